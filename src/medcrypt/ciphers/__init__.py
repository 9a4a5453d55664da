"""Ciphers behind one contract (see :mod:`medcrypt.ciphers.base`) and a registry of them."""

from .base import (AuthenticationError, Cipher, CipherImages, Key, available, check_images, factory, flip_key_bit, get,
                   register)
from .aes import AESCTR, AESCTRReusedNonce, AESECB, AESGCM
from .autoencoder import KeyedAutoencoderCipher, LatentHybridCipher, VariationalLatentHybridCipher
from .chaos import LogisticPermutationDiffusion
from .feedforward import AdversarialNeuralCipher
from .hopfield import HopfieldNonceCipher, HopfieldPermutationDiffusion
from .gan import GANKeyGenCipher, GANTranslationCipher
from .invertible import IntegerCouplingCipher
from .identity import Identity

__all__ = [
    "AuthenticationError", "Cipher", "CipherImages", "Key", "available", "check_images", "factory", "flip_key_bit", "get",
    "register",
    "AESCTR", "AESCTRReusedNonce", "AESECB", "AESGCM", "AdversarialNeuralCipher", "HopfieldNonceCipher",
    "HopfieldPermutationDiffusion", "KeyedAutoencoderCipher", "LatentHybridCipher",
    "VariationalLatentHybridCipher", "GANKeyGenCipher", "GANTranslationCipher", "Identity", "IntegerCouplingCipher", "LogisticPermutationDiffusion",
]
