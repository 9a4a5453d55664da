"""The conformance checks themselves (:mod:`medcrypt.ciphers.checks`): each catches the break it names, only the
breaks that make results meaningless are fatal, ``medcrypt check`` exits 0 or 2, and library code reads no member
of a cipher that the contract does not document (:data:`medcrypt.ciphers.base.CONTRACT_MEMBERS`)."""

import hashlib
import os
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from medcrypt.__main__ import main as medcrypt_main
from medcrypt.ciphers import AuthenticationError, CipherImages, base, check_images, check_key, checks, flip_key_bit
from medcrypt.ciphers.base import seeded_key

from conftest import shrink_ci_profile

def _mac(key: bytes, message: bytes) -> np.ndarray:
    return np.frombuffer(hashlib.blake2b(message, key=key, digest_size=8).digest(), np.uint8)


IMAGES = np.random.default_rng(3).integers(0, 256, (3, 8, 8), dtype=np.uint8)


class Good:
    """A small cipher that keeps every rule: a key-derived XOR stream, deterministic."""

    name, family, lossless, key_bits = "good-xor", "baseline", True, 64

    def keygen(self, seed=None):
        return seeded_key(seed, 8)

    def flip_key_bit(self, key, bit):
        return flip_key_bit(key, bit)

    def _stream(self, key, shape):
        return np.random.default_rng(int.from_bytes(check_key(key, 8, self.name), "big")).integers(
            0, 256, shape, dtype=np.uint8)

    def encrypt(self, images, key):
        images = check_images(images, self.name)
        return images ^ self._stream(key, images.shape[1:])

    def decrypt(self, cipher, key):
        cipher = check_images(np.asarray(cipher), self.name, argument="cipher")
        return cipher ^ self._stream(key, cipher.shape[1:])


class Nonced(Good):
    """Randomised: a fresh 8-byte nonce per image from the operating system, in the side data; a tag over all of it."""

    name = "good-nonced"

    def __init__(self, seed=0):
        self.seed = seed

    def _nonces(self, n):
        return np.frombuffer(os.urandom(8 * n), np.uint8).reshape(n, 8).copy()

    def _tag(self, key, pixels, nonces):
        """An 8-byte keyed BLAKE2 tag per image: wide enough that a flipped bit never collides by chance (a 1-byte
        tag let one altered input in 256 through, and this test failed CI once)."""
        return np.stack([_mac(bytes(key), p.tobytes() + n.tobytes()) for p, n in zip(pixels, nonces)])

    def _xor(self, pixels, key, nonces):
        """Each image XOR the stream of (key XOR its nonce)."""
        key = np.frombuffer(check_key(key, 8, self.name), np.uint8)
        return np.stack([p ^ self._stream((key ^ n).tobytes(), pixels.shape[1:]) for p, n in zip(pixels, nonces)])

    def encrypt(self, images, key):
        images = check_images(images, self.name)
        nonces = self._nonces(len(images))
        pixels = self._xor(images, key, nonces)
        return CipherImages(pixels, np.concatenate([nonces, self._tag(key, pixels, nonces)], axis=1))

    def decrypt(self, cipher, key):
        side = cipher.side
        pixels = check_images(np.asarray(cipher).view(np.ndarray), self.name, argument="cipher")
        if not np.array_equal(self._tag(check_key(key, 8, self.name), pixels, side[:, :8]), side[:, 8:]):
            raise AuthenticationError("tag mismatch")
        return self._xor(pixels, key, side[:, :8])


# ---------------------------------------------------------------- one break per check

class NoFlip(Good):
    flip_key_bit = None


class IntOutput(Good):
    def encrypt(self, images, key):
        return super().encrypt(images, key).astype(np.int16)


class DropsAnImage(Good):
    def encrypt(self, images, key):
        return super().encrypt(images, key)[1:]


class Lossy(Good):
    def decrypt(self, cipher, key):
        return super().decrypt(cipher, key) & np.uint8(0xFE)


class DecryptCrashes(Good):
    def decrypt(self, cipher, key):
        raise RuntimeError("no GPU")


class KeygenCrashes(Good):
    def keygen(self, seed=None):
        raise RuntimeError("no entropy")


class UnseededKeygen(Good):
    def keygen(self, seed=None):
        return os.urandom(8)


class StringLossless(Good):
    lossless = "yes"


class QuantumFamily(Good):
    family = "quantum"


class BatchDependent(Good):
    """The stream depends on the batch size: one image cut from a batch no longer decrypts."""

    def encrypt(self, images, key):
        images = check_images(images, self.name)
        return images ^ np.uint8(len(images)) ^ self._stream(key, images.shape[1:])

    def decrypt(self, cipher, key):
        cipher = check_images(np.asarray(cipher), self.name)
        return cipher ^ np.uint8(len(cipher)) ^ self._stream(key, cipher.shape[1:])


class Casts(Good):
    """Casts whatever it gets to uint8: floats become black images, lists and 16-bit words are accepted."""

    def encrypt(self, images, key):
        return super().encrypt(np.asarray(images).astype(np.uint8), key)


class DtypeOnly(Good):
    """Checks the dtype and nothing else: single images, empty batches and 5-d arrays go through."""

    def encrypt(self, images, key):
        if not isinstance(images, np.ndarray) or images.dtype != np.uint8:
            raise ValueError(f"{self.name}: images must be uint8; got {type(images).__name__}")
        return images ^ self._stream(key, images.shape[1:])


class IgnoresImageShape(Good):
    image_shape = (8, 8)


class Claims16Bits(Good):
    bit_depths = (8, 16)


class TypeErrorKey(Good):
    """Raises TypeError for a key that is not bytes, as ``int.from_bytes`` does."""

    def _stream(self, key, shape):
        if not isinstance(key, (bytes, bytearray)):
            raise TypeError(f"cannot convert {type(key).__name__} to bytes")
        return super()._stream(key, shape)


class AnyKeyLength(Good):
    def _stream(self, key, shape):
        if not isinstance(key, (bytes, bytearray)):
            raise ValueError("key must be bytes")
        return np.random.default_rng(int.from_bytes(key, "big")).integers(0, 256, shape, dtype=np.uint8)


class FlipDoesNothing(Good):
    def flip_key_bit(self, key, bit):
        return key


class FlipCrashes(Good):
    def flip_key_bit(self, key, bit):
        raise IndexError("bit out of range")


class IgnoresBitZero(Good):
    def _stream(self, key, shape):
        key = check_key(key, 8, self.name)
        return super()._stream(bytes([key[0] & 0x7F]) + key[1:], shape)


class BatchKeysLie(Good):
    """Its decrypt_keys returns the ciphertext, not the decryptions: the key search must not believe it."""

    def decrypt_keys(self, cipher, keys):
        return np.stack([np.asarray(cipher)] * len(keys))


class HalfAuthenticated(Nonced):
    """Refuses a wrong key, but decrypts a flipped cipher-image bit: the tag covers the nonce only."""

    def _tag(self, key, pixels, nonces):
        return np.stack([_mac(bytes(key), n.tobytes()) for n in nonces])


class SeededNonce(Nonced):
    """Draws nonces from the constructor's seed: every instance built alike repeats them."""

    def __init__(self, seed=0):
        self._rng = np.random.default_rng(seed)

    def _nonces(self, n):
        return self._rng.integers(0, 256, (n, 8), dtype=np.uint8)


BREAKS = [  # (cipher class, the check that must fail, fatal?)
    (NoFlip, "check_attributes", True),
    (KeygenCrashes, "check_keygen", True),
    (UnseededKeygen, "check_keygen", False),
    (IntOutput, "check_uint8_one_per_image", True),
    (DropsAnImage, "check_uint8_one_per_image", True),
    (Lossy, "check_round_trip", True),
    (DecryptCrashes, "check_round_trip", True),
    (FlipCrashes, "check_flip_key_bit", True),
    (FlipDoesNothing, "check_flip_key_bit", False),
    (StringLossless, "check_declared_types", False),
    (QuantumFamily, "check_family", False),
    (BatchDependent, "check_decrypts_part_of_a_batch", False),
    (Casts, "check_rejects_float_images", False),
    (DtypeOnly, "check_rejects_missing_batch_axis", False),
    (DtypeOnly, "check_rejects_empty_batch", False),
    (DtypeOnly, "check_rejects_wrong_rank", False),
    (Casts, "check_rejects_list", False),
    (IgnoresImageShape, "check_refuses_other_image_size", False),
    (Casts, "check_16_bit_support_or_refusal", False),
    (Claims16Bits, "check_16_bit_support_or_refusal", False),
    (TypeErrorKey, "check_rejects_wrong_key_type", False),
    (AnyKeyLength, "check_wrong_key_size_named", False),
    (IgnoresBitZero, "check_wrong_key_does_not_decrypt", False),
    (BatchKeysLie, "check_decrypt_keys_agrees", False),
    (HalfAuthenticated, "check_authenticated_refuses_tampering", False),
    (SeededNonce, "check_nonce_not_seeded_by_default", False),
]


def test_every_check_has_a_break_here():
    assert {name for _, name, _ in BREAKS} == {check.__name__ for check in checks.CHECKS}


@pytest.mark.parametrize("cls, name, fatal", BREAKS, ids=[f"{c.__name__}-{n}" for c, n, _ in BREAKS])
def test_each_check_catches_its_break_and_says_what_to_fix(cls, name, fatal):
    results = {r.name: r for r in checks.run_checks(cls(), IMAGES)}
    result = results[name]
    assert result.passed is False and result.fatal is fatal, result
    assert result.detail and "\n" not in result.detail
    # a fatal check is one that makes the rest meaningless; nothing else is fatal
    assert {r.name for r in results.values() if r.fatal} <= {name, "check_round_trip", "check_uint8_one_per_image",
                                                             "check_attributes", "check_keygen", "check_flip_key_bit"}


@pytest.mark.parametrize("cls", [Good, Nonced], ids=lambda c: c.__name__)
def test_sound_ciphers_pass_every_check_that_applies(cls):
    results = checks.assert_conforms(cls(), IMAGES)
    assert [r.name for r in results] == [c.__name__ for c in checks.CHECKS]
    states = {r.name: r.passed for r in results}
    randomised = cls is Nonced
    assert states["check_authenticated_refuses_tampering"] is (True if randomised else None)
    assert states["check_nonce_not_seeded_by_default"] is (True if randomised else None)


def test_results_are_frozen_and_say_pass_fail_or_na():
    result = checks.CheckResult("check_x", None, "keyless")
    assert result.state == "n/a" and not result.fatal
    with pytest.raises(AttributeError):
        result.passed = True


def test_a_missing_member_or_a_crashing_keygen_stops_the_other_checks():
    results = checks.run_checks(object(), IMAGES)
    assert results[0].fatal and "no `name`" in results[0].detail
    assert all(r.passed is None and r.detail.startswith("not run") for r in results[1:])
    results = checks.run_checks(KeygenCrashes(), IMAGES)
    assert [r.state for r in results[:2]] == ["pass", "FAIL"] and results[1].fatal
    assert all(r.passed is None for r in results[2:])


def test_assert_conforms_lists_every_failure():
    with pytest.raises(checks.ConformanceError, match=r"check_rejects_float_images: encrypt accepted float32.*"
                                                      r"check_rejects_list"):
        checks.assert_conforms(Casts(), IMAGES)
    with pytest.raises(ValueError, match=r"check_round_trip \(fatal\): declares lossless=True"):
        checks.assert_conforms(Lossy(), IMAGES)


# ---------------------------------------------------------------- medcrypt check

BROKEN_FILE = '''
import numpy as np
from medcrypt.ciphers import check_images


class Lossy:
    name, family, lossless, key_bits = "lossy", "baseline", True, 0

    def keygen(self, seed=None):
        return b""

    def encrypt(self, images, key):
        return check_images(images, self.name) ^ np.uint8(0x5A)

    def decrypt(self, cipher, key):
        return (check_images(np.asarray(cipher), self.name) ^ np.uint8(0x5A)) & np.uint8(0xFE)
'''


def test_medcrypt_check_exits_0_for_a_sound_cipher(shared_root, capsys):
    assert medcrypt_main(["check", "medcrypt.ciphers.aes:AESCTR", "--data-root", str(shared_root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(checks.CHECKS) + 1
    assert out[0].startswith("pass check_attributes") and re.match(r"n/a +check_authenticated", out[-3])
    assert out[-1] == f"aes-ctr: {len(checks.CHECKS) - 3} passed, 0 failed, 3 n/a"


def test_medcrypt_check_exits_2_for_a_broken_round_trip_or_a_bad_spec(shared_root, tmp_path, capsys):
    path = tmp_path / "lossy.py"
    path.write_text(BROKEN_FILE)
    assert medcrypt_main(["check", f"{path}:Lossy", "--data-root", str(shared_root)]) == 2
    out = capsys.readouterr().out
    assert "FAIL check_round_trip (fatal): declares lossless=True but decrypts only 0.0% of 8 images" in out
    for argv in ([f"{path}:Missing"], ["no_colon_here"], [f"{path}:Lossy", "--images", "1"], []):
        assert medcrypt_main(["check", *argv, "--data-root", str(shared_root)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("medcrypt check: error: ") and err.count("\n") == 1, err
    assert medcrypt_main(["check", "--help"]) == 0
    assert "Exits 0 when every check passed" in " ".join(capsys.readouterr().out.split())


# ---------------------------------------------------------------- the contract documents every member read

def _recording(cls, seen: set[str]):
    """``cls`` with every public member that code outside the cipher's own modules reads recorded in ``seen``.

    A cipher's own methods calling its own helpers is not the library reading the cipher,
    so reads from the modules that define the class (and its bases) are left out.
    """
    own = {sys.modules[c.__module__].__file__ for c in cls.__mro__ if c.__module__ in sys.modules
           and getattr(sys.modules[c.__module__], "__file__", None)}

    def note(name: str) -> None:
        if not name.startswith("_") and sys._getframe(2).f_code.co_filename not in own:
            seen.add(name)

    class Meta(type):
        def __getattribute__(klass, name):
            note(name)
            return super().__getattribute__(name)

    class Recording(cls, metaclass=Meta):
        def __getattribute__(self, name):
            note(name)
            return object.__getattribute__(self, name)

    Recording.__name__ = Recording.__qualname__ = cls.__name__
    return Recording


@pytest.fixture(scope="module")
def members_read(shared_root, tmp_path_factory):
    """What one whole ``medcrypt evaluate`` run (tiny sizes) and the checks read on chaos-logistic and AES-CTR.

    chaos-logistic is the candidate and a recording AES-CTR the reference, so one run of the
    protocol covers both (about 40 s on two busy cores).
    """
    from medcrypt import evaluate
    from medcrypt.ciphers import AESCTR, LogisticPermutationDiffusion

    seen: set[str] = set()
    aes_class, chaos_class = _recording(AESCTR, seen), _recording(LogisticPermutationDiffusion, seen)
    with pytest.MonkeyPatch.context() as patch:
        shrink_ci_profile(patch)
        patch.setattr(evaluate, "get", lambda name: aes_class())
        evaluate.run(chaos_class, out=tmp_path_factory.mktemp("members"), profile="ci", images=8,
                     data_root=shared_root)
    checks.run_checks(aes_class(), IMAGES)
    return seen


def test_library_code_reads_only_documented_members(members_read):
    assert {"encrypt", "decrypt", "keygen", "flip_key_bit", "key_schedule_bits", "bit_depths"} <= members_read
    undocumented = members_read - set(base.CONTRACT_MEMBERS)
    assert not undocumented, (f"library code reads {sorted(undocumented)} on a cipher; document them in the Cipher "
                              "protocol and CONTRACT_MEMBERS (medcrypt.ciphers.base)")


def test_every_documented_member_is_read_by_library_code_and_test_declarations_are_not():
    """The other direction, read from the source: a documented member no code reads (``separable_key_bits`` was
    one) is a promise the library does not keep; the declarations only the tests read must stay so."""
    here = Path(base.__file__).resolve()
    source = "\n".join(p.read_text(encoding="utf-8") for p in here.parents[1].rglob("*.py") if p != here)
    documents = here.read_text(encoding="utf-8")  # base.py itself, less the lists and protocols that name them all
    for written in (base.Cipher.__doc__, base.LearnedCipher.__doc__):
        documents = documents.replace(written, "")
    source += re.sub(r"\nCONTRACT_MEMBERS = \(.*?\n\)|\nTEST_DECLARATIONS = .*?\n", "\n", documents, flags=re.S)

    def read(member: str) -> bool:
        return re.search(rf"\.{member}\b|[\"']{member}[\"']", source) is not None

    assert [m for m in base.CONTRACT_MEMBERS if not read(m)] == []
    assert [m for m in base.TEST_DECLARATIONS if read(m)] == []
    assert not set(base.CONTRACT_MEMBERS) & set(base.TEST_DECLARATIONS)
    for member in (*base.CONTRACT_MEMBERS, *base.TEST_DECLARATIONS):
        assert f"``{member}" in base.Cipher.__doc__ + base.LearnedCipher.__doc__, member
