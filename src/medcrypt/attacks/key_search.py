"""Random-key search: is the key space as large as the key looks?

The key audit (:mod:`medcrypt.attacks.key_audit`) flips one key bit at a time. That
shows that every bit *matters*, not that there are many *keys*: a 128-bit key folded to
64 bits, or reduced to its parity (two keys in all), still changes the cipher whenever
one bit flips. This search measures the key space from the other side. A few known
plaintexts are encrypted once under the right key, giving c*, and c* is decrypted under
``n_keys`` fresh keys from the cipher's own ``keygen()`` (never seeded: the keys a user
would get). Two kinds of coincidence reveal a small key space:

* **Hits.** A random key decrypts c* as well as the right key does: bit for bit its
  decryption for a lossless cipher, within 1 dB of its PSNR for a lossy one. With N
  equally likely equivalent keys a random key hits with probability 1/N, so h hits in n
  tries estimate N as n/h.
* **Collisions** (the birthday test). Two random keys decrypt c* to the same bytes. Among
  n keys there are n(n−1)/2 pairs, each colliding with probability 1/N, so c collisions
  estimate N as n(n−1)/(2c): n keys see key spaces up to about n², not just n.

An authenticated cipher that refuses a key (:class:`AuthenticationError`) scores a miss
and gives no decryption to compare. A cipher that decrypts every wrong key to one fixed
image collides on every pair, and rightly: the key does not change the decryption. (A
cipher that means "wrong key" should raise, not return a fixed image.)

With no hit and no collision the Poisson bound holds: at 95 % confidence the key space
is at least (n + n_d(n_d − 1)/2) / ln 20 equivalent keys, n_d the keys that decrypted.
That is only about 2·log2(n) bits, far below 128: passing says that no small key space
was seen, never that the key has 128 bits. :func:`float_parameter_bits` (a bound for keys
that reach a cipher as float64 numbers) and :func:`divide_and_conquer_bits` live with the
chaotic ciphers that use them and are re-exported here.
"""

from __future__ import annotations

import hashlib
import inspect
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from .. import metrics
from ..ciphers.base import AuthenticationError, Cipher, check_images
from ..ciphers.chaos import divide_and_conquer_bits, float_parameter_bits

__all__ = ["CONFIDENCE", "KeySearch", "divide_and_conquer_bits", "float_parameter_bits", "keys_for_budget",
           "random_key_search", "uses_decrypt_keys"]

#: Confidence of :attr:`KeySearch.lower_bound_bits`.
CONFIDENCE = 0.95
#: A lossy cipher's random key hits when its PSNR is at most this far below the right key's.
PSNR_TOLERANCE_DB = 1.0


@dataclass(frozen=True)
class KeySearch:
    """What decrypting one set of cipher images under ``n_keys`` random keys showed.

    ``hits``: random keys that decrypted as well as the right key. ``collisions``: pairs of
    random keys with byte-identical decryptions. ``rejections``: keys the cipher refused
    (authentication failed). ``distinct``: different decryptions seen, ``largest_class``:
    the most random keys that shared one.
    """

    cipher: str
    n_keys: int
    hits: int
    collisions: int
    rejections: int
    distinct: int
    largest_class: int
    seconds: float

    @property
    def decrypted(self) -> int:
        """Random keys that gave a decryption (not refused)."""
        return self.n_keys - self.rejections

    @property
    def _pairs(self) -> int:
        return self.decrypted * (self.decrypted - 1) // 2

    @property
    def hit_estimate_bits(self) -> float | None:
        """log2(n / hits): the key space that would make a random key this often equivalent to the right one."""
        return math.log2(self.n_keys / self.hits) if self.hits else None

    @property
    def collision_estimate_bits(self) -> float | None:
        """log2(n(n − 1) / (2c)) over the keys that decrypted: the birthday estimate of the key space."""
        return math.log2(self._pairs / self.collisions) if self.collisions else None

    @property
    def estimated_bits(self) -> float | None:
        """log2 of the key space these coincidences show, or ``None`` when there were none.

        Of the two estimates, the one with more events: its relative error is about
        1/√events. (A lone hit among thousands of collisions would otherwise decide.) A
        lossy cipher that ignores its key decrypts every key as a hit without byte-equal
        decryptions, so the hits must be allowed to decide.
        """
        if not (self.hits or self.collisions):
            return None
        return self.hit_estimate_bits if self.hits > self.collisions else self.collision_estimate_bits

    @property
    def lower_bound_bits(self) -> float | None:
        """With no hit and no collision: log2 of the key space that :data:`CONFIDENCE` allows, else ``None``.

        Each of the n tries against the right key and of the pairs of decryptions matches
        with probability 1/N; seeing none of m = n + pairs chances has probability
        exp(−m/N) under Poisson, at least 1 − CONFIDENCE only when N >= m / ln(1 / (1 − CONFIDENCE)).
        """
        if self.hits or self.collisions:
            return None
        chances = self.n_keys + self._pairs
        return math.log2(chances / -math.log(1 - CONFIDENCE))

    def passed(self, minimum_bits: int = 128) -> bool:
        """False when hits or collisions show a key space below ``minimum_bits``; True otherwise.

        With any affordable number of keys, any coincidence at all means failure. True
        means only that no small key space was seen: :attr:`lower_bound_bits` is about
        2·log2(n_keys), far below 128.
        """
        estimate = self.estimated_bits
        return estimate is None or estimate >= minimum_bits

    def to_dict(self) -> dict:
        return {"n_keys": self.n_keys, "hits": self.hits, "collisions": self.collisions,
                "rejections": self.rejections, "distinct_decryptions": self.distinct,
                "largest_class": self.largest_class, "seconds": float(self.seconds),
                "estimated_bits": self.estimated_bits, "lower_bound_bits": self.lower_bound_bits,
                "passed": self.passed()}


#: Random keys per call of a cipher's optional ``decrypt_keys`` (one ``decrypt`` per key without it) ...
KEYS_PER_CALL = 256
#: ... and fewer for large images, so that one call decrypts at most this many pixel values.
VALUES_PER_CALL = 2**20


def uses_decrypt_keys(cipher) -> bool:
    """Whether the search may decrypt ``cipher`` under many keys per call: only this library's own ciphers.

    A check of sampled keys catches a ``decrypt_keys`` that is wrong on many keys, not one
    that is wrong on exactly the few keys that would show a small key space; a cipher
    under evaluation could hide its weak keys that way. So a cipher from elsewhere is
    decrypted key by key, however it is written. "This library's own" is decided by what
    a cipher cannot claim for itself: its class must be the very object a module of the
    installed package holds under its name (a ``__module__`` set to a library name, or a
    subclass defined elsewhere, is not), and ``decrypt`` and ``decrypt_keys`` must be the
    class's functions compiled from files inside the package (not set on the instance).
    """
    if not callable(getattr(cipher, "decrypt_keys", None)):
        return False
    cls = type(cipher)
    module = sys.modules.get(cls.__module__)
    module_file = getattr(module, "__file__", None)
    if (not cls.__module__.startswith("medcrypt.") or module_file is None or not _inside_package(module_file)
            or getattr(module, cls.__qualname__, None) is not cls):
        return False
    if {"decrypt", "decrypt_keys"} & set(getattr(cipher, "__dict__", {})):
        return False
    for name in ("decrypt", "decrypt_keys"):
        code = getattr(inspect.getattr_static(cls, name, None), "__code__", None)
        if code is None or not _inside_package(code.co_filename):
            return False
    return True


_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _inside_package(path: str) -> bool:
    return _PACKAGE_DIR in Path(path).resolve().parents


class _Trial:
    """c* under the right key, and the test of random keys against it.

    One of this library's ciphers with ``decrypt_keys`` (:func:`uses_decrypt_keys`)
    decrypts c* under many keys per call. One key of every call, drawn at random, is also
    decrypted with ``decrypt``, and a disagreement raises: it is a bug of the library, and
    a search that went on would have counted wrong decryptions already.
    """

    def __init__(self, cipher: Cipher, images: np.ndarray, key):
        self.cipher = cipher
        self.images = check_images(np.asarray(images), "random_key_search")
        self.cipher_images = cipher.encrypt(self.images, key)
        self.right = np.asarray(cipher.decrypt(self.cipher_images, key))
        self.lossless = bool(getattr(cipher, "lossless", False))
        self.right_psnr = None if self.lossless else self._psnr(self.right)
        self.batched = uses_decrypt_keys(cipher)
        self._probes = np.random.default_rng()  # which key of a call is checked: unseeded, like the keys
        self.keys_per_call = max(1, min(KEYS_PER_CALL, VALUES_PER_CALL // max(1, self.cipher_images.size)))

    def _psnr(self, decryption: np.ndarray) -> float:
        return float(metrics.psnr(self.images, decryption).pooled)

    def _is_hit(self, decryption: np.ndarray) -> bool:
        if decryption.shape != self.right.shape:
            return False
        if self.lossless:
            return decryption.dtype == self.right.dtype and np.array_equal(decryption, self.right)
        return self._psnr(decryption) >= self.right_psnr - PSNR_TOLERANCE_DB

    def _decrypt(self, key) -> np.ndarray | None:
        """c* decrypted under ``key``, or None when the cipher refuses the key."""
        try:
            return np.asarray(self.cipher.decrypt(self.cipher_images, key))
        except AuthenticationError:
            return None

    def _decryptions(self, keys: list) -> list[np.ndarray | None]:
        if not self.batched:
            return [self._decrypt(key) for key in keys]
        batch = np.asarray(self.cipher.decrypt_keys(self.cipher_images, keys))
        probe = int(self._probes.integers(len(keys)))
        expected = self._decrypt(keys[probe])
        if (expected is None or batch.shape != (len(keys), *expected.shape) or batch.dtype != expected.dtype
                or not np.array_equal(batch[probe], expected)):
            raise RuntimeError(f"{getattr(self.cipher, 'name', type(self.cipher).__name__)}: decrypt_keys disagrees "
                               "with decrypt under one key; fix decrypt_keys (medcrypt check reports it)")
        return list(batch)

    def __call__(self, n_keys: int = 1) -> list[tuple[bool, bytes | None]]:
        """(hit, fingerprint of the decryption) for each of ``n_keys`` fresh random keys; no fingerprint when refused."""
        keys = [self.cipher.keygen() for _ in range(n_keys)]  # no seed: the keys a user would get
        outcomes = []
        for decryption in self._decryptions(keys):
            if decryption is None:
                outcomes.append((False, None))
                continue
            digest = hashlib.blake2b(digest_size=16)
            digest.update(f"{decryption.dtype.str}{decryption.shape}".encode())
            digest.update(np.ascontiguousarray(decryption).tobytes())
            outcomes.append((self._is_hit(decryption), digest.digest()))
        return outcomes


def random_key_search(cipher: Cipher, images: np.ndarray, key, *, n_keys: int, progress: bool = False) -> KeySearch:
    """Decrypt ``images`` encrypted under ``key`` with ``n_keys`` random keys; count hits and collisions.

    ``images``: a few known plaintexts (one or two suffice: a coincidence needs the whole
    decryption to agree). Keys are whatever the cipher's ``keygen()`` returns (``bytes``
    for the built-in ciphers); they are only passed back to ``decrypt`` (or, for this library's
    own ciphers, ``decrypt_keys``: :func:`uses_decrypt_keys`).
    """
    n_keys = int(n_keys)
    if n_keys < 2:
        raise ValueError(f"n_keys must be at least 2 (collisions need pairs); got {n_keys}")
    start = time.perf_counter()
    trial = _Trial(cipher, images, key)
    hits, rejections, classes = 0, 0, {}
    with tqdm(total=n_keys, desc=f"key search {getattr(cipher, 'name', '')}", unit="key",
              disable=not progress, leave=False) as bar:
        done = 0
        while done < n_keys:
            step = min(trial.keys_per_call if trial.batched else 1, n_keys - done)
            for hit, fingerprint in trial(step):
                hits += hit
                if fingerprint is None:
                    rejections += 1
                else:
                    classes[fingerprint] = classes.get(fingerprint, 0) + 1
            done += step
            bar.update(step)
    sizes = list(classes.values())
    return KeySearch(cipher=str(getattr(cipher, "name", type(cipher).__name__)), n_keys=n_keys, hits=int(hits),
                     collisions=sum(k * (k - 1) // 2 for k in sizes), rejections=rejections,
                     distinct=len(sizes), largest_class=max(sizes, default=0),
                     seconds=time.perf_counter() - start)


def keys_for_budget(cipher: Cipher, images: np.ndarray, key, *, seconds: float, minimum: int = 2**10,
                    maximum: int = 2**20) -> int:
    """How many random keys :func:`random_key_search` can try on ``images`` in about ``seconds``, in [minimum, maximum].

    Times a few tries (fresh key, decryption, comparison) after one untimed warm-up, for
    at least 0.1 s and 4 tries, in calls of up to :data:`KEYS_PER_CALL` keys where
    :func:`uses_decrypt_keys`. ``maximum`` bounds memory too: the search keeps one
    fingerprint per distinct decryption (about 100 bytes with its dictionary entry).
    """
    if not 2 <= minimum <= maximum:
        raise ValueError(f"keys_for_budget needs 2 <= minimum <= maximum; got {minimum}, {maximum}")
    trial = _Trial(cipher, images, key)
    trial(trial.keys_per_call if trial.batched else 1)
    tries, start = 0, time.perf_counter()
    while tries < 4 or (time.perf_counter() - start < 0.1 and tries < 10_000):
        step = trial.keys_per_call if trial.batched else 1
        trial(step)
        tries += step
    per_key = (time.perf_counter() - start) / tries
    return int(min(maximum, max(minimum, seconds / per_key)))
