"""Chapter 4's checked exercises: what GCM's nonce and tag cost a latent code, and why the code must be authenticated.

The challenge seals a latent code with AES-CTR, encryption without integrity, in place of
the AES-GCM that the book's hybrids use, and asks for a forgery: a ciphertext that the
receiver decrypts to the code of another X-ray. The codec is at its random
initialisation: the attack needs only that CTR is malleable (c = p ⊕ keystream), which no
training of the codec changes, so nothing is trained at check time.
"""

from __future__ import annotations

import numpy as np

from ..attacks.algebraic import two_time_pad
from ..ciphers import AESCTR, LatentHybridCipher
from ..ciphers.base import CipherImages
from .ch03 import _xrays
from .core import Challenge, Exercise, Result, Setup, near

#: The codec's weights and the secret AES key of the challenge come from this seed.
CHALLENGE_SEED = 404
#: The latent size, in bytes, of the exercise and of the challenge's codec.
LATENT = 32


def _setup() -> Setup:
    codec = LatentHybridCipher(latent_dim=LATENT, seed=CHALLENGE_SEED)
    ctr = AESCTR()
    key = ctr.keygen(seed=CHALLENGE_SEED)
    known, target = _xrays(2)
    sealed = ctr.encrypt(codec.encode_latent(known[None])[:, None, :], key)  # a fresh nonce, as a sender draws it
    return Setup({"codec": codec, "known_image": known, "target_image": target, "sealed": sealed},
                 {"open": lambda forged: ctr.decrypt(forged, key)[0, 0],
                  "target_code": codec.encode_latent(target[None])[0],
                  "known_code": codec.encode_latent(known[None])[0]})


def _judge(answer, setup: Setup) -> Result:
    if getattr(answer, "side", None) is None:
        return Result(False, "Not yet: the receiver needs the nonce too. Start from a copy of `sealed` (a CipherImages, "
                             "which carries the nonce in `.side`) and change its bytes, e.g. forged = sealed.copy().")
    if np.shape(answer) != np.shape(setup.public["sealed"]):
        return Result(False, f"Not yet: a sealed code has shape {np.shape(setup.public['sealed'])}; "
                             f"got {np.shape(answer)}.")
    opened = setup.secret["open"](answer)
    target, known = setup.secret["target_code"], setup.secret["known_code"]
    if np.array_equal(opened, target):
        return Result(True, "Right: without the key you made the receiver decode another patient's X-ray. AES-GCM's tag "
                            "would have refused the forgery.")
    if np.array_equal(opened, known):
        return Result(False, "Not yet: that still opens to the original code. CTR adds a keystream by XOR: what do you "
                             "XOR into the ciphertext to turn the known code into the target code?")
    return Result(False, f"Not yet: it opens to a code that differs from the target's in {int(np.sum(opened != target))} "
                         f"of {target.size} bytes. Did you compute both codes with `codec.encode_latent` (shape "
                         "(1, d)) and combine them by XOR, not by subtraction?")


def _solve(public) -> CipherImages:
    """The two-time pad of chapter 8, run backwards: the keystream from the known pair, XORed onto the target code."""
    codes = [public["codec"].encode_latent(public[name][None])[:, None, :] for name in ("known_image", "target_image")]
    forged = two_time_pad(codes[0], np.asarray(public["sealed"]), codes[1])
    return CipherImages(forged, public["sealed"].side)


def _wrong(public) -> list:
    sealed, right = public["sealed"], _solve(public)
    return [sealed.copy(), np.asarray(right), CipherImages(np.asarray(right) ^ 1, sealed.side),
            CipherImages(np.asarray(right), sealed.side ^ 1)]


ITEMS = (
    Exercise("04_autoencoder", 2, f"the compression ratio of a 28×28 X-ray sent as a {LATENT}-byte latent code under "
             "AES-GCM, nonce and tag included", lambda: LatentHybridCipher(latent_dim=LATENT).compression_ratio_with_overhead,
             0.01, "",
             ((near(lambda e: 28 * 28 / LATENT, 0.01), "GCM sends a 12-byte nonce and a 16-byte tag with every code."),
              (near(lambda e: 1 / e, 0.001), "the ratio is image bytes over cipher bytes, not the other way round."))),
    Challenge("04_autoencoder", 4, "a forged sealed code (a CipherImages like `sealed`) that opens to the target "
              "X-ray's latent code", _setup, _judge, _solve, _wrong),
)
