"""Ciphers behind one contract (see :mod:`medcrypt.ciphers.base`) and a registry of them.

The classical ciphers are imported here; the learned ones need torch, so their modules
are imported on first use (``from medcrypt.ciphers import GANKeyGenCipher`` or
``factory("gan-keygen")``), and ``import medcrypt.metrics`` works without torch.
"""

import importlib

from .base import (AuthenticationError, Cipher, CipherImages, Key, LearnedCipher, available, check_images, check_key,
                   factory, flip_key_bit, get, register, register_lazy)
from .aes import AESCTR, AESCTRReusedNonce, AESECB, AESGCM
from .chaos import LogisticPermutationDiffusion
from .hopfield import HopfieldNonceCipher, HopfieldPermutationDiffusion
from .identity import Identity
from .learnable import BlockScramblingEtC, BlockwiseLearnableEncryption

#: The learned ciphers: class -> (module, registry name). Their modules import torch.
_LEARNED = {
    "KeyedAutoencoderCipher": ("autoencoder", "ae-keyed"),
    "LatentHybridCipher": ("autoencoder", "ae-latent-gcm"),
    "VariationalLatentHybridCipher": ("autoencoder", "vae-latent-gcm"),
    "AdversarialNeuralCipher": ("feedforward", "anc-alice-bob"),
    "GANKeyGenCipher": ("gan", "gan-keygen"),
    "GANTranslationCipher": ("gan", "gan-translation"),
    "IntegerCouplingCipher": ("invertible", "inn-coupling"),
}
for _cls, (_module, _name) in _LEARNED.items():
    register_lazy(_name, f"{__name__}.{_module}:{_cls}")


def __getattr__(attribute: str):
    """Import a learned cipher's module (and torch) only when one of its classes is asked for."""
    if attribute in _LEARNED:
        return getattr(importlib.import_module(f"{__name__}.{_LEARNED[attribute][0]}"), attribute)
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")


__all__ = [
    "AuthenticationError", "Cipher", "CipherImages", "Key", "LearnedCipher", "available", "check_images", "check_key",
    "factory", "flip_key_bit", "get", "register", "register_lazy",
    "AESCTR", "AESCTRReusedNonce", "AESECB", "AESGCM", "HopfieldNonceCipher", "HopfieldPermutationDiffusion",
    "BlockScramblingEtC", "BlockwiseLearnableEncryption", "Identity", "LogisticPermutationDiffusion", *_LEARNED,
]
