"""Randomised but insecure ciphers of classes that a verdict must FAIL, written as an outsider would write them.

Each keeps the ``Cipher`` contract (lossless round trip, ``ValueError`` on bad input) and
looks fine to the statistics; each is broken by a known, cheap attack. They are loaded
by path (``tests/insecure_ciphers.py:Class``) by the tests of the IND-CPA battery, the key
audits and ``medcrypt evaluate``.
"""

import hashlib
import hmac
import os

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher as _Cipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes

from medcrypt.ciphers import CipherImages, check_images, check_key, flip_key_bit


def _ctr(key: bytes, iv: bytes, data: bytes) -> bytes:
    encryptor = _Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


class _AES:
    family = "baseline"
    lossless = True
    key_bits = 256
    key_bytes = 32

    def keygen(self, seed=None):
        return os.urandom(self.key_bytes) if seed is None else np.random.default_rng(seed).bytes(self.key_bytes)

    def flip_key_bit(self, key, bit):
        return flip_key_bit(key, bit)

    def _key(self, key) -> bytes:
        return check_key(key, self.key_bytes, self.name)

    def _aes_key(self, key) -> bytes:
        return self._key(key)

    def _iv(self) -> bytes:
        return os.urandom(16)

    def _each(self, images, key):
        images = check_images(images, self.name)
        aes_key = self._aes_key(key)
        for image in images:
            iv = self._iv()
            yield image, iv, np.frombuffer(_ctr(aes_key, iv, image.tobytes()), np.uint8).reshape(image.shape)


class ShortNonceCTR(_AES):
    """AES-CTR whose initial counter block is a random 16-bit nonce (zero-padded): nonces repeat after ~2^8 images."""

    name = "short-nonce-ctr"
    nonce_bytes = 2

    def _iv(self) -> bytes:
        return os.urandom(self.nonce_bytes) + bytes(16 - self.nonce_bytes)

    def encrypt(self, images, key):
        out = list(self._each(images, key))
        return CipherImages(np.stack([c for _, _, c in out]),
                            np.stack([np.frombuffer(iv[:self.nonce_bytes], np.uint8) for _, iv, _ in out]))

    def decrypt(self, cipher, key):
        pixels = check_images(np.asarray(cipher).view(np.ndarray), self.name, argument="cipher")
        aes_key = self._aes_key(key)
        pad = bytes(16 - self.nonce_bytes)
        return np.stack([np.frombuffer(_ctr(aes_key, bytes(n) + pad, c.tobytes()), np.uint8).reshape(c.shape)
                         for c, n in zip(pixels, cipher.side)])


class NonceCTR24(ShortNonceCTR):
    """Like :class:`ShortNonceCTR` with a 24-bit nonce: 2^16 queries rarely meet the challenge's nonce,
    but they repeat about a hundred nonces among themselves (two-time pads in waiting)."""

    name = "nonce-ctr-24"
    nonce_bytes = 3


class EncryptAndMAC(_AES):
    """AES-CTR with a fresh nonce, plus an HMAC of the *plaintext* in the side data: equal images, equal tags."""

    name = "encrypt-and-mac"

    def encrypt(self, images, key):
        key = self._key(key)
        rows = []
        for image, iv, cipher in self._each(images, key):
            tag = hmac.new(key, image.tobytes(), hashlib.sha256).digest()[:16]
            rows.append((cipher, np.frombuffer(iv + tag, np.uint8)))
        return CipherImages(np.stack([c for c, _ in rows]), np.stack([s for _, s in rows]))

    def decrypt(self, cipher, key):
        pixels = check_images(np.asarray(cipher).view(np.ndarray), self.name, argument="cipher")
        key = self._key(key)
        return np.stack([np.frombuffer(_ctr(key, s[:16].tobytes(), c.tobytes()), np.uint8).reshape(c.shape)
                         for c, s in zip(pixels, cipher.side)])


class ParityByte(_AES):
    """AES-CTR with its 16-byte IV prepended, then one extra byte whose lowest bit is the parity of the pixel sum.

    The output is (N, 16 + T + 1) bytes for (N, H, W) images: longer than the image, as the contract allows.
    """

    name = "parity-byte"

    def encrypt(self, images, key):
        rows = []
        for image, iv, cipher in self._each(images, key):
            leak = self._leak(image)
            rows.append(np.concatenate([np.frombuffer(iv, np.uint8), cipher.reshape(-1), [leak]]).astype(np.uint8))
        return np.stack(rows)

    tail = 1  # bytes after the pixels

    def _leak(self, image) -> int:
        return (os.urandom(1)[0] & 0xFE) | (int(image.astype(np.int64).sum()) & 1)

    def decrypt(self, cipher, key):
        cipher = np.asarray(cipher)
        extra = 16 + self.tail
        if cipher.dtype != np.uint8 or cipher.ndim != 2 or cipher.shape[1] <= extra:
            raise ValueError(f"{self.name}: cipher must be the (N, {extra} + T) uint8 array that encrypt returned")
        key = self._aes_key(key)
        side = int(round((cipher.shape[1] - extra) ** 0.5))
        end = cipher.shape[1] - self.tail
        plain = [np.frombuffer(_ctr(key, row[:16].tobytes(), row[16:end].tobytes()), np.uint8) for row in cipher]
        return np.stack(plain).reshape(len(cipher), side, side)


class CentrePixelByte(ParityByte):
    """Like :class:`ParityByte`, but the extra byte's top bit is the top bit of the centre pixel.

    Any fixed pair of images whose centre pixels are both dark (or both bright) agrees on
    it, so only an adversary that probes many images sees it.
    """

    name = "centre-pixel-byte"

    def _leak(self, image) -> int:
        centre = int(image[image.shape[0] // 2, image.shape[1] // 2])
        return (os.urandom(1)[0] & 0x7F) | (centre & 0x80)


class NoisyLeakByte(ParityByte):
    """Like :class:`ParityByte`, but the leaked bit (the lowest bit of the first pixel) is flipped in one encryption of eight.

    No ciphertext bit is a fixed function of the plaintext, so only a statistical
    adversary sees it.
    """

    name = "noisy-leak-byte"

    def _leak(self, image) -> int:
        noise = os.urandom(1)[0]
        flip = int((noise & 0x07) == 0)  # one draw in eight
        return (noise & 0xFE) | ((int(image.reshape(-1)[0]) & 1) ^ flip)


class PrependedIV(ParityByte):
    """Sound AES-CTR written as many libraries do it: a fresh 16-byte IV prepended, (N, 16 + T) bytes out."""

    name = "prepended-iv"
    tail = 0

    def encrypt(self, images, key):
        return np.stack([np.concatenate([np.frombuffer(iv, np.uint8), c.reshape(-1)]) for _, iv, c in self._each(images, key)])

class SmallKeySpace(PrependedIV):
    """Sound AES-CTR, but its 256-bit key is SHA-256 of two random bytes: 2^16 keys in all, every bit of them "matters"."""

    name = "small-key-space"

    def keygen(self, seed=None):
        seed_bytes = os.urandom(2) if seed is None else np.random.default_rng(seed).bytes(2)
        return hashlib.sha256(seed_bytes).digest()


class ParityKey(PrependedIV):
    """AES-CTR under a key reduced to its parity: two keys in all, though a flipped key bit changes everything."""

    name = "parity-key"

    def _aes_key(self, key) -> bytes:
        parity = bin(int.from_bytes(self._key(key), "big")).count("1") & 1
        return hashlib.sha256(bytes([parity])).digest()


class _FreshNonce(_AES):
    """A fresh 16-byte nonce per image in the side data, and an AES-CTR key-stream that ``_forward`` uses as it likes."""

    def encrypt(self, images, key):
        images, key = check_images(images, self.name), self._key(key)
        nonces = [os.urandom(16) for _ in images]
        pixels = [self._forward(image.reshape(-1), self._stream(key, nonce, image.size)).reshape(image.shape)
                  for image, nonce in zip(images, nonces)]
        return CipherImages(np.stack(pixels), np.stack([np.frombuffer(n, np.uint8) for n in nonces]))

    def decrypt(self, cipher, key):
        pixels, key = check_images(np.asarray(cipher).view(np.ndarray), self.name, argument="cipher"), self._key(key)
        return np.stack([self._backward(c.reshape(-1), self._stream(key, s.tobytes(), c.size)).reshape(c.shape)
                         for c, s in zip(pixels, cipher.side)])

    @staticmethod
    def _stream(key, nonce, size) -> np.ndarray:
        return np.frombuffer(_ctr(key, nonce, bytes(4 * size)), np.uint8)


class RepeatedKeyStream(_FreshNonce):
    """XOR with a fresh 16-byte pad repeated over the image: a Vigenère cipher with a new key per image."""

    name = "repeated-key-stream"

    def _forward(self, pixels, stream):
        return pixels ^ np.resize(stream[:16], pixels.size)

    _backward = _forward


class PermuteAndXorByte(_FreshNonce):
    """A fresh pixel permutation per image, then XOR with one fresh byte: confusion without diffusion."""

    name = "permute-and-xor-byte"

    @staticmethod
    def _order(stream, size):
        return np.argsort(stream[: 4 * size].view(">u4"), kind="stable")

    def _forward(self, pixels, stream):
        return pixels[self._order(stream, pixels.size)] ^ stream[-1]

    def _backward(self, cipher, stream):
        plain = np.empty_like(cipher)
        plain[self._order(stream, cipher.size)] = cipher ^ stream[-1]
        return plain


class MaskInTheClear(_FreshNonce):
    """XOR with a key-only key-stream and a fresh random mask, as long as the image, that travels in the side data.

    (A mask shorter than the image and repeated would also cancel in the lagged views.)
    """

    name = "mask-in-the-clear"

    def encrypt(self, images, key):
        images, key = check_images(images, self.name), self._key(key)
        masks = [os.urandom(image.size) for image in images]
        stream = self._stream(key, bytes(16), images[0].size)[:images[0].size]
        pixels = [image.reshape(-1) ^ stream ^ np.resize(np.frombuffer(m, np.uint8), image.size) for image, m in zip(images, masks)]
        return CipherImages(np.stack(pixels).reshape(images.shape), np.stack([np.frombuffer(m, np.uint8) for m in masks]))

    def decrypt(self, cipher, key):
        pixels, key = check_images(np.asarray(cipher).view(np.ndarray), self.name, argument="cipher"), self._key(key)
        stream = self._stream(key, bytes(16), pixels[0].size)[:pixels[0].size]
        return np.stack([c.reshape(-1) ^ stream ^ np.resize(m, c.size) for c, m in zip(pixels, cipher.side)]).reshape(pixels.shape)
