"""Ciphers that break the contract, loaded by path by tests/test_evaluate.py as ``medcrypt evaluate`` would."""

import numpy as np

from medcrypt.ciphers import check_images


class Base:
    name = "broken"
    family = "baseline"
    lossless = True
    key_bits = 0

    def keygen(self, seed=None):
        return b""

    def encrypt(self, images, key):
        return check_images(images, self.name) ^ np.uint8(0x5A)

    def decrypt(self, cipher, key):
        return check_images(np.asarray(cipher), self.name) ^ np.uint8(0x5A)


class WrongDtype(Base):
    def encrypt(self, images, key):
        return super().encrypt(images, key).astype(np.int16)


class AcceptsFloats(Base):
    def encrypt(self, images, key):
        return (np.asarray(images) * 0).astype(np.uint8) if np.asarray(images).dtype != np.uint8 else \
            super().encrypt(images, key)


class Lossy(Base):
    def decrypt(self, cipher, key):
        return super().decrypt(cipher, key) & np.uint8(0xFE)


class FailsToTrain(Base):
    def fit(self, images, epochs=1):
        raise RuntimeError("no GPU")


class Trainable(Base):
    fitted_on = None

    def fit(self, images, epochs=1, seed=0):
        self.fitted_on = (len(images), epochs, seed)
