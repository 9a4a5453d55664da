"""Ciphers behind one contract (see :mod:`medcrypt.ciphers.base`) and a registry of them."""

from .base import Cipher, CipherImages, Key, available, check_images, flip_key_bit, get, register
from .aes import AESCTR, AESCTRReusedNonce
from .identity import Identity

__all__ = [
    "Cipher", "CipherImages", "Key", "available", "check_images", "flip_key_bit", "get", "register",
    "AESCTR", "AESCTRReusedNonce", "Identity",
]
