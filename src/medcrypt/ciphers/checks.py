"""The ``Cipher`` contract as named checks, one rule each, in the spirit of scikit-learn's ``check_estimator``.

The contract (:class:`medcrypt.ciphers.base.Cipher`) is written down once, in ``base``; this
module is the one place it is *checked*. The test suite runs every check on every registered
cipher, ``medcrypt evaluate`` runs them on a candidate before the attacks, and
``medcrypt check module:Class`` runs them alone, so an author can fix a plugin in seconds
before spending minutes on the protocol.

Each check takes ``(cipher, images, key)`` and returns a :class:`CheckResult`; none prints.
``passed`` is ``None`` when the rule does not apply (a keyless cipher has no wrong key). A
failure is ``fatal`` only when it makes every later measurement meaningless: a missing
required member, encryption that does not give one ``uint8`` cipher image per image, a
broken round trip, or a ``keygen``/``flip_key_bit`` that crashes (the suite calls both
everywhere). Every other failure (a ``TypeError`` where a ``ValueError`` belongs, a message
that does not say what is expected) is a finding: worth fixing, but the attacks still measure
the cipher.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .. import families
from .base import AuthenticationError, CipherImages, bit_depths, check_images, ciphertext_bytes

#: Members every cipher has; ``flip_key_bit`` too when ``key_bits > 0`` (see :func:`check_attributes`).
REQUIRED = ("name", "family", "lossless", "key_bits", "keygen", "encrypt", "decrypt")
#: The seed :func:`run_checks` draws its key and rebuilt instances with, when the caller gives none.
SEED = 0


@dataclass(frozen=True)
class CheckResult:
    """What one check found. ``passed`` is None when the rule does not apply to this cipher.

    ``fatal`` is True only for a failure that makes the other results meaningless (it is
    False whenever ``passed`` is not False); ``medcrypt evaluate`` stops at such a failure and
    records the rest as findings.
    """

    name: str
    passed: bool | None
    detail: str
    fatal: bool = False

    @property
    def state(self) -> str:
        """``pass``, ``FAIL`` or ``n/a``, as the command line and the report print it."""
        return {True: "pass", False: "FAIL", None: "n/a"}[self.passed]

    @property
    def title(self) -> str:
        """The check in words, as pages and reports name it: ``check_rejects_float_images`` -> 'rejects float images'."""
        return self.name.removeprefix("check_").replace("_", " ").replace("16 bit", "16-bit")


class ConformanceError(ValueError):
    """Raised by :func:`assert_conforms`; the message lists every failed check with what to fix."""


Check = Callable[[Any, np.ndarray, Any], CheckResult]


def _line(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _rule(doing: str, *, fatal_on_crash: bool) -> Callable[[Callable[..., tuple]], Check]:
    """Make a check from a function returning ``(passed, detail)`` or ``(passed, detail, fatal)``.

    The check is named after the function. An exception the function does not expect (the
    cipher crashed ``doing`` what the rule needs) becomes a failure, fatal for the rules
    without whose answer no measurement means anything.
    """
    def wrap(function):
        @functools.wraps(function)
        def check(cipher, images, key) -> CheckResult:
            try:
                passed, detail, *fatal = function(cipher, images, key)
            except Exception as exc:  # the cipher crashed on input the contract says it must take
                return CheckResult(function.__name__, False, f"crashed {doing}: {_line(exc)}; it must answer there",
                                   fatal_on_crash)
            return CheckResult(function.__name__, passed, detail, bool(fatal and fatal[0]) and passed is False)
        check.fatal_on_crash = fatal_on_crash
        return check
    return wrap


def _short(text: str, limit: int = 100) -> str:
    """A message cut to ``limit`` characters, for a one-line report."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _equal(a, b) -> bool:
    """Whether two keys or outputs are the same, whatever their type (bytes, arrays, anything with ``==``)."""
    try:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return bool(np.array_equal(np.asarray(a), np.asarray(b)))
        return bool(a == b)
    except Exception:
        return False


def _few(images: np.ndarray) -> np.ndarray:
    """Two images (or one): enough for the rules about errors and keys, cheap for a learned model."""
    return images[:2]


def _keyed(cipher) -> bool:
    return bool(cipher.key_bits)


# ------------------------------------------------------------------ members and declarations

@_rule("reading the members", fatal_on_crash=True)
def check_attributes(cipher, images, key):
    """Every required member exists, and ``flip_key_bit`` when the cipher has key bits (the key audit flips them)."""
    missing = [m for m in REQUIRED if not hasattr(cipher, m)]
    if missing:
        return False, (f"has no `{missing[0]}`, which the Cipher contract requires; add "
                       f"{', '.join(missing)} (medcrypt.ciphers.base.Cipher)"), True
    not_callable = [m for m in ("keygen", "encrypt", "decrypt") if not callable(getattr(cipher, m))]
    if not_callable:
        return False, f"`{not_callable[0]}` is not a method; make it one (medcrypt.ciphers.base.Cipher)", True
    if cipher.key_bits and not callable(getattr(cipher, "flip_key_bit", None)):
        return False, (f"claims {cipher.key_bits} key bits but has no flip_key_bit(key, bit) for the key audit; add "
                       "one (for bytes keys, delegate to medcrypt.ciphers.flip_key_bit)"), True
    return True, ", ".join(REQUIRED + (("flip_key_bit",) if cipher.key_bits else ()))


@_rule("reading name, lossless and key_bits", fatal_on_crash=False)
def check_declared_types(cipher, images, key):
    """``name`` is a non-empty str, ``lossless`` a bool and ``key_bits`` an int >= 0: tables print and sum them."""
    problems = []
    if not isinstance(cipher.name, str) or not cipher.name:
        problems.append(f"name must be a non-empty str; got {cipher.name!r}")
    if not isinstance(cipher.lossless, (bool, np.bool_)):
        problems.append(f"lossless must be True or False; got {cipher.lossless!r}")
    if not isinstance(cipher.key_bits, (int, np.integer)) or isinstance(cipher.key_bits, bool) or cipher.key_bits < 0:
        problems.append(f"key_bits must be an int >= 0 (0 for a keyless transform); got {cipher.key_bits!r}")
    if problems:
        return False, "; ".join(problems)
    return True, f"name {cipher.name!r}, {'lossless' if cipher.lossless else 'lossy'}, {int(cipher.key_bits)} key bits"


@_rule("reading family", fatal_on_crash=False)
def check_family(cipher, images, key):
    """``family`` is a row of :mod:`medcrypt.families`, so the chapters, plots and registry can place the cipher."""
    if cipher.family not in families.CIPHER_FAMILIES:
        return False, (f"family {cipher.family!r} is not one of {', '.join(families.CIPHER_FAMILIES)}; pick one "
                       "(a new family is a new row in medcrypt.families)")
    return True, cipher.family


@_rule("in keygen()", fatal_on_crash=True)
def check_keygen(cipher, images, key):
    """``keygen(seed)`` is reproducible, and ``keygen()`` draws a fresh key each call (the attacks draw many)."""
    one, two = cipher.keygen(seed=SEED + 1), cipher.keygen(seed=SEED + 1)
    if not _equal(one, two):
        return False, "keygen(seed=1) gave two different keys; derive a seeded key from the seed alone"
    if _keyed(cipher):
        fresh = cipher.keygen(), cipher.keygen()
        if _equal(*fresh):
            return False, "keygen() gave the same key twice; draw unseeded keys from os.urandom"
        return True, "seeded keys repeat, unseeded keys differ"
    cipher.keygen()
    return True, "keyless: keygen() and keygen(seed) answer"


# ------------------------------------------------------------------ what comes out

@_rule("encrypting valid uint8 images", fatal_on_crash=True)
def check_uint8_one_per_image(cipher, images, key):
    """``encrypt`` returns a ``uint8`` array with one cipher image per image (their shape may differ: a latent code)."""
    out = cipher.encrypt(images, key)
    if not isinstance(out, np.ndarray) or out.dtype != np.uint8:
        got = out.dtype if isinstance(out, np.ndarray) else type(out).__name__
        return False, f"encrypt returned {got}; it must return a uint8 array (N, ...) of cipher bytes", True
    if out.ndim < 1 or len(out) != len(images):
        return False, (f"encrypt returned {out.shape[0] if out.ndim else 'no'} cipher images for {len(images)} images; "
                       "return one per image along the first axis"), True
    return True, f"uint8 cipher images of shape {tuple(out.shape[1:])}"


@_rule("decrypting its own cipher images", fatal_on_crash=True)
def check_round_trip(cipher, images, key):
    """``decrypt`` inverts ``encrypt``: ``uint8`` images of the plaintext's shape, bit-exact when ``lossless``."""
    decrypted = np.asarray(cipher.decrypt(cipher.encrypt(images, key), key))
    if decrypted.shape != images.shape or decrypted.dtype != np.uint8:
        return False, (f"decrypt returned {decrypted.dtype} {decrypted.shape}; it must return uint8 images of shape "
                       f"{images.shape}"), True
    n = len(images)
    exact = float((decrypted.reshape(n, -1) == images.reshape(n, -1)).all(axis=1).mean())
    if cipher.lossless and exact < 1.0:
        return False, (f"declares lossless=True but decrypts only {exact:.1%} of {n} images bit-exactly; "
                       "fix decrypt or declare lossless=False"), True
    return True, f"{exact:.1%} of {n} images bit-exact" + (" (declared lossless)" if cipher.lossless else "")


@_rule("decrypting a slice of a batch", fatal_on_crash=False)
def check_decrypts_part_of_a_batch(cipher, images, key):
    """Decrypting one cipher image cut from a batch gives its image back: the attacks decrypt single images."""
    if len(images) < 2:
        return None, "needs two images"
    encrypted = cipher.encrypt(_few(images), key)
    whole = np.asarray(cipher.decrypt(encrypted, key))
    part = np.asarray(cipher.decrypt(encrypted[1:2], key))
    if not _equal(part, whole[1:2]):
        return False, ("decrypt(encrypted[1:2]) differs from decrypt(encrypted)[1:2]; keep per-image side data "
                       "(a nonce) in a CipherImages so that slicing the batch keeps it")
    return True, "a slice decrypts as in its batch"


# ------------------------------------------------------------------ bad input says what is expected

def _rejects(cipher, bad, key, what: str, fragment: str) -> tuple[bool, str]:
    """Whether ``encrypt(bad)`` raises a ValueError that says what is expected (uint8) and what it got."""
    try:
        cipher.encrypt(bad, key)
    except ValueError as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        if not re.search("uint8", message) or not re.search(fragment, message):
            return False, (f"the ValueError for {what} does not say what is expected and what it got ({message!r}); "
                           "let medcrypt.ciphers.check_images write it")
        return True, _short(message)
    except Exception as exc:
        return False, (f"encrypt raised {_line(exc)} for {what}; raise a ValueError saying what is expected "
                       "(medcrypt.ciphers.check_images)")
    return False, f"encrypt accepted {what}; refuse it with a ValueError (medcrypt.ciphers.check_images)"


@_rule("on float images", fatal_on_crash=False)
def check_rejects_float_images(cipher, images, key):
    """Float images raise a ValueError: silently casting [0, 1] floats to uint8 would encrypt black images."""
    return _rejects(cipher, _few(images).astype(np.float32) / 255, key, "float32 images", "float")


@_rule("on a single image", fatal_on_crash=False)
def check_rejects_missing_batch_axis(cipher, images, key):
    """A single image without its batch axis raises a ValueError (it would be read as a batch of rows)."""
    single = images[0] if images.ndim == 3 else images[0, :, :, 0]
    return _rejects(cipher, single, key, "an image without a batch axis", "batch axis")


@_rule("on an empty batch", fatal_on_crash=False)
def check_rejects_empty_batch(cipher, images, key):
    """An empty batch raises a ValueError rather than returning nothing that looks encrypted."""
    return _rejects(cipher, images[:0], key, "an empty batch", "empty")


@_rule("on a 5-d array", fatal_on_crash=False)
def check_rejects_wrong_rank(cipher, images, key):
    """A 5-d array raises a ValueError naming the shape it got."""
    bad = np.expand_dims(_few(images), 1)
    bad = bad[..., None] if bad.ndim == 4 else bad
    return _rejects(cipher, bad, key, f"a {bad.ndim}-d array", "shape")


@_rule("on a list", fatal_on_crash=False)
def check_rejects_list(cipher, images, key):
    """A nested list raises a ValueError: a batch is an array, not whatever ``np.asarray`` makes of it."""
    return _rejects(cipher, _few(images)[:, :2, :2].tolist(), key, "a list", r"\blist\b|dtype int")


@_rule("on images of another size", fatal_on_crash=False)
def check_refuses_other_image_size(cipher, images, key):
    """A model built for one ``image_shape`` refuses other sizes with a ValueError naming its shape."""
    shape = getattr(cipher, "image_shape", None)
    if shape is None:
        return None, "no image_shape: the cipher takes any size"
    if tuple(shape) != tuple(images.shape[1:]):
        return None, f"image_shape {tuple(shape)} differs from the images given"
    bigger = np.ascontiguousarray(np.repeat(np.repeat(_few(images), 2, axis=1), 2, axis=2))
    named = re.escape(f"(N, {', '.join(map(str, shape))})") + "|" + re.escape(str(tuple(shape)))
    try:
        cipher.encrypt(bigger, key)
    except ValueError as exc:
        if not re.search(named, str(exc)):
            return False, (f"the ValueError for {bigger.shape[1:]} images does not name the shape {tuple(shape)} "
                           "expected")
        return True, f"refuses {bigger.shape[1:]} images"
    except Exception as exc:
        return False, f"encrypt raised {_line(exc)} for images of another size; raise a ValueError naming image_shape"
    return False, (f"built for {tuple(shape)} but accepted {bigger.shape[1:]} images; refuse them "
                   "(check_images(..., image_shape=...))")


@_rule("on uint16 words", fatal_on_crash=False)
def check_16_bit_support_or_refusal(cipher, images, key):
    """16-bit words round-trip as ``uint16`` when ``bit_depths`` has 16, else a ValueError refuses them.

    Cutting 12- to 16-bit DICOM pixels to 8 bits would lose what a clinician needs, so a
    cipher either takes them whole or says it does not.
    """
    few = _few(images).astype(np.uint16)
    words = (few << 8) | (255 - few)  # both bytes of each word in use
    if 16 not in bit_depths(cipher):
        try:
            cipher.encrypt(words, key)
        except ValueError as exc:
            return True, _short(f"refuses uint16 words: {_line(exc)[len('ValueError: '):]}")
        except Exception as exc:
            return False, f"encrypt raised {_line(exc)} for uint16 words; refuse them with a ValueError (check_images)"
        return False, ("accepted uint16 words without declaring 16 in bit_depths; refuse them with a ValueError "
                       "(check_images) or declare bit_depths = (8, 16) (ciphers.base.takes_16_bit)")
    encrypted = cipher.encrypt(words, key)
    if not isinstance(encrypted, np.ndarray) or encrypted.dtype != np.uint16 or len(encrypted) != len(words):
        got = encrypted.dtype if isinstance(encrypted, np.ndarray) else type(encrypted).__name__
        return False, f"declares 16-bit support but encrypts words to {got}; return uint16 cipher images, one per image"
    decrypted = np.asarray(cipher.decrypt(encrypted, key))
    if decrypted.dtype != np.uint16 or decrypted.shape != words.shape:
        return False, (f"decrypts 16-bit cipher images to {decrypted.dtype} {decrypted.shape}; "
                       f"return uint16 {words.shape}")
    if cipher.lossless and not np.array_equal(decrypted, words):
        return False, "declares lossless and 16-bit support but does not decrypt words bit-exactly"
    return True, "uint16 words round-trip"


# ------------------------------------------------------------------ keys

@_rule("on a key of the wrong type", fatal_on_crash=False)
def check_rejects_wrong_key_type(cipher, images, key):
    """A key of the wrong type raises a ValueError, as every other bad input does (not a TypeError or worse)."""
    if not _keyed(cipher):
        return None, "keyless"
    try:
        cipher.encrypt(_few(images), object())
    except ValueError:
        return True, "ValueError"
    except Exception as exc:
        return False, (f"encrypt raised {type(exc).__name__} for a key of the wrong type; raise a ValueError naming "
                       "the key expected (medcrypt.ciphers.check_key)")
    return False, "encrypt accepted object() as a key; refuse it with a ValueError (medcrypt.ciphers.check_key)"


@_rule("on a short key", fatal_on_crash=False)
def check_wrong_key_size_named(cipher, images, key):
    """A bytes key of the wrong size raises a ValueError naming the size and ``keygen()``, the way to make one."""
    if not _keyed(cipher):
        return None, "keyless"
    if not isinstance(key, (bytes, bytearray)) or not key:
        return None, f"keys are {type(key).__name__}, not bytes"
    short = bytes(key)[:-1]
    try:
        cipher.encrypt(_few(images), short)
    except ValueError as exc:
        if str(len(key)) not in str(exc) or "keygen" not in str(exc):
            return False, (f"the ValueError for a {len(short)}-byte key does not name the {len(key)} bytes expected "
                           "and keygen(); use medcrypt.ciphers.check_key")
        return True, _short(_line(exc)[len("ValueError: "):])
    except Exception as exc:
        return False, f"encrypt raised {_line(exc)} for a short key; raise a ValueError (medcrypt.ciphers.check_key)"
    return False, f"encrypt accepted a {len(short)}-byte key; refuse it (medcrypt.ciphers.check_key)"


@_rule("in flip_key_bit(key, bit)", fatal_on_crash=True)
def check_flip_key_bit(cipher, images, key):
    """``flip_key_bit`` changes the key for bits 0 and ``key_bits - 1`` and is its own inverse (the key audit)."""
    if not _keyed(cipher):
        return None, "keyless"
    last = int(cipher.key_bits) - 1
    first, end = cipher.flip_key_bit(key, 0), cipher.flip_key_bit(key, last)
    if _equal(first, key) or _equal(end, key):
        bit = 0 if _equal(first, key) else last
        return False, f"flip_key_bit(key, {bit}) returned the key unchanged; flip that bit"
    if not _equal(cipher.flip_key_bit(first, 0), key):
        return False, "flipping bit 0 twice does not give the key back; flip exactly that bit"
    return True, f"bits 0 and {last} flip, and flip back"


@_rule("decrypting under a wrong key", fatal_on_crash=False)
def check_wrong_key_does_not_decrypt(cipher, images, key):
    """A key one bit away decrypts to other images, or is refused (:class:`AuthenticationError`)."""
    if not _keyed(cipher):
        return None, "keyless"
    few = _few(images)
    encrypted = cipher.encrypt(few, key)
    try:
        wrong = np.asarray(cipher.decrypt(encrypted, cipher.flip_key_bit(key, 0)))
    except AuthenticationError:
        return True, "refused (AuthenticationError)"
    if _equal(wrong, cipher.decrypt(encrypted, key)):
        return False, "a key with bit 0 flipped decrypts to the same images; every key bit must matter"
    return True, "a key one bit away decrypts to other images"


@_rule("decrypting under several keys at once", fatal_on_crash=False)
def check_decrypt_keys_agrees(cipher, images, key):
    """An optional ``decrypt_keys(cipher, keys)`` returns ``decrypt`` under each key, stacked."""
    if not callable(getattr(cipher, "decrypt_keys", None)):
        return None, "no decrypt_keys"
    few = _few(images)
    encrypted = cipher.encrypt(few, key)
    keys = [key, cipher.flip_key_bit(key, 0)] if _keyed(cipher) else [key]
    try:
        expected = np.stack([np.asarray(cipher.decrypt(encrypted, k)) for k in keys])
    except AuthenticationError:
        return None, "decrypt refuses a wrong key, so decrypt_keys has nothing to agree with"
    got = np.asarray(cipher.decrypt_keys(encrypted, keys))
    if got.shape != expected.shape or got.dtype != expected.dtype or not np.array_equal(got, expected):
        return False, (f"decrypt_keys gave {got.dtype} {got.shape}, not decrypt's {expected.dtype} {expected.shape} "
                       "key by key; the key search ignores it (slower) until it agrees")
    return True, f"equals decrypt under each of {len(keys)} keys"


@_rule("decrypting altered cipher images", fatal_on_crash=False)
def check_authenticated_refuses_tampering(cipher, images, key):
    """A cipher that verifies (raises :class:`AuthenticationError` anywhere) refuses every altered input.

    Refusing a wrong key but decrypting a flipped ciphertext bit (or the reverse) is the
    half-authenticated cipher that chapter 8's bit-flip test would otherwise pass.
    """
    encrypted = cipher.encrypt(_few(images), key)
    trials: dict[str, Callable[[], Any]] = {}
    if _keyed(cipher):
        trials["a wrong key"] = lambda: cipher.decrypt(encrypted, cipher.flip_key_bit(key, 0))
    pixels = encrypted.copy().view(np.ndarray)
    pixels.reshape(-1)[0] ^= 1
    side = getattr(encrypted, "side", None)
    trials["a flipped cipher-image bit"] = lambda: cipher.decrypt(
        CipherImages(pixels, side) if side is not None else pixels, key)
    if side is not None and np.asarray(side).size:
        altered = np.array(side, copy=True)
        altered.reshape(-1).view(np.uint8)[0] ^= 1
        trials["a flipped side-data bit"] = lambda: cipher.decrypt(
            CipherImages(encrypted.view(np.ndarray).copy(), altered), key)
    refused = {}
    for what, call in trials.items():
        try:
            call()
            refused[what] = False
        except AuthenticationError:
            refused[what] = True
        except Exception:
            refused[what] = False
    if not any(refused.values()):
        return None, "not authenticated (decrypts altered input; chapter 8's bit-flip test measures that)"
    accepted = [what for what, ok in refused.items() if not ok]
    if accepted:
        return False, (f"refuses some altered input but not {' or '.join(accepted)}; verify every byte "
                       "(tag over pixels and side data) and raise AuthenticationError")
    return True, f"refuses {', '.join(refused)}"


# ------------------------------------------------------------------ nonces

def rebuild(cipher, image_shape: tuple[int, ...], seed: int = SEED):
    """A fresh instance of ``type(cipher)`` built as the book builds one (:func:`~medcrypt.ciphers.plugins.build`)."""
    from .plugins import build

    return build(type(cipher), image_shape, seed)


@_rule("encrypting the same images twice", fatal_on_crash=False)
def check_nonce_not_seeded_by_default(cipher, images, key):
    """Two instances built the same way (same seed) must not encrypt alike when the cipher is randomised.

    A nonce drawn from the constructor's ``seed`` repeats across every run of the book:
    two hospitals using the same seed share key-streams. Nonces come from the operating
    system; a reproducible one hides behind ``unsafe_test_nonce_seed``. A deterministic
    cipher has no nonce (IND-CPA reports that), so the rule does not apply to it.
    """
    few = _few(images)
    if np.array_equal(ciphertext_bytes(cipher.encrypt(few, key)), ciphertext_bytes(cipher.encrypt(few, key))):
        return None, "deterministic: no nonce (chapter 8's IND-CPA test reports that)"
    try:
        twins = [rebuild(cipher, images.shape[1:]) for _ in range(2)]
    except Exception as exc:
        return None, f"randomised, but a second instance could not be built ({_line(exc)})"
    first, second = (ciphertext_bytes(twin.encrypt(few, key)) for twin in twins)
    if np.array_equal(first, second):
        return False, (f"two instances built with seed={SEED} encrypt alike: the nonce comes from the constructor's "
                       "seed; draw it from os.urandom (a reproducible nonce only behind unsafe_test_nonce_seed)")
    return True, "two instances built alike draw different nonces"


#: Every rule, in the order they run and print: the fatal ones first.
CHECKS: tuple[Check, ...] = (
    check_attributes, check_keygen, check_uint8_one_per_image, check_round_trip, check_flip_key_bit,
    check_declared_types, check_family, check_decrypts_part_of_a_batch,
    check_rejects_float_images, check_rejects_missing_batch_axis, check_rejects_empty_batch, check_rejects_wrong_rank,
    check_rejects_list, check_refuses_other_image_size, check_16_bit_support_or_refusal,
    check_rejects_wrong_key_type, check_wrong_key_size_named, check_wrong_key_does_not_decrypt,
    check_decrypt_keys_agrees, check_authenticated_refuses_tampering, check_nonce_not_seeded_by_default,
)


def run_checks(cipher, images: np.ndarray, key=None, checks: tuple[Check, ...] = CHECKS) -> list[CheckResult]:
    """Every check on ``cipher``, in order; ``key`` defaults to ``cipher.keygen(seed=0)``.

    ``images`` is a valid ``uint8`` batch (two or more images). When required members are
    missing, or ``keygen`` crashes, the remaining checks cannot even start and read n/a.
    """
    images = check_images(images, "run_checks")
    results: list[CheckResult] = []
    blocked = None
    for check in checks:
        if blocked:
            results.append(CheckResult(check.__name__, None, f"not run: {blocked}"))
            continue
        if check is not check_attributes and key is None:
            try:
                key = cipher.keygen(seed=SEED)
            except Exception as exc:
                results.append(CheckResult("check_keygen", False, f"keygen(seed={SEED}) crashed: {_line(exc)}", True))
                blocked = "keygen crashed"
                if check is check_keygen:
                    continue
                results.append(CheckResult(check.__name__, None, f"not run: {blocked}"))
                continue
        result = check(cipher, images, key)
        results.append(result)
        if check is check_attributes and result.passed is False:
            blocked = "required members are missing"
    return results


def failures(results: list[CheckResult]) -> list[CheckResult]:
    """The failed checks (``passed is False``), fatal or not."""
    return [r for r in results if r.passed is False]


def assert_conforms(cipher, images: np.ndarray, key=None) -> list[CheckResult]:
    """Run every check; raise :class:`ConformanceError` listing each failure, else return the results (for tests)."""
    results = run_checks(cipher, images, key)
    failed = failures(results)
    if failed:
        who = getattr(cipher, "name", type(cipher).__name__)
        raise ConformanceError(f"{who} breaks the Cipher contract: " +
                               "; ".join(f"{r.name}{' (fatal)' if r.fatal else ''}: {r.detail}" for r in failed))
    return results


# ------------------------------------------------------------------ medcrypt check

class UsageError(Exception):
    """A command-line mistake, reported in one line by ``medcrypt check`` and ``medcrypt evaluate``."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors raise :class:`UsageError` instead of printing argparse's usage block."""

    def error(self, message):
        raise UsageError(message)


def parser() -> argparse.ArgumentParser:
    p = OneLineParser(prog="medcrypt check", description="Check that a cipher class keeps the Cipher contract, one line per "
                "rule, on a few PneumoniaMNIST test images (seconds; learned ciphers are checked untrained). "
                "Exits 0 when every check passed or does not apply, 2 otherwise.")
    p.add_argument("cipher", help="package.module:Class or path/to/file.py:Class")
    p.add_argument("--images", type=int, default=8, help="test images to check on (default 8)")
    p.add_argument("--size", type=int, default=28, choices=[28, 64, 128, 224], help="image size (default 28)")
    p.add_argument("--data-root", default=None, help="MedMNIST folder (default $MEDMNIST_ROOT or ~/.medmnist)")
    return p


def main(argv: list[str] | None = None) -> int:
    """``medcrypt check module:Class``: 0 when every check passed or does not apply, 2 on any failure or error."""
    from .. import data
    from .plugins import PluginError, build, load_class

    try:
        args = parser().parse_args(argv)
        if args.images < 2:
            raise ValueError(f"--images must be at least 2; got {args.images}")
        cls = load_class(args.cipher)
        with data.accepting_subsets():
            images = data.load("pneumoniamnist", "test", size=args.size, root=args.data_root, limit=args.images).images
        cipher = build(cls, images.shape[1:], SEED)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except (UsageError, PluginError, ValueError, FileNotFoundError) as exc:
        print(f"medcrypt check: error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", file=sys.stderr)
        return 2
    results = run_checks(cipher, images)
    for r in results:
        print(f"{r.state:4} {r.name}{' (fatal)' if r.fatal else ''}: {r.detail}")
    failed = failures(results)
    who = getattr(cipher, "name", cls.__name__)
    print(f"{who}: {sum(r.passed is True for r in results)} passed, {len(failed)} failed, "
          f"{sum(r.passed is None for r in results)} n/a")
    return 2 if failed else 0
