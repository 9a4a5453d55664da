"""Chapter 3's checked exercises: the one-pixel NPCR of a reused key image, and the two-time pad broken.

The challenge uses gan-keygen's generator at its random initialisation: the attack needs
only that one seed gives one key image, added modulo 256, which no training changes, so
nothing is trained at check time.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import data, metrics
from ..ciphers import GANKeyGenCipher
from ..ciphers.gan import key_image_from_pair
from .core import Challenge, Exercise, Result, Setup, near

#: The generator's weights and the secret seed of the challenge come from this seed.
CHALLENGE_SEED = 303


def _xrays(n: int) -> np.ndarray:
    with warnings.catch_warnings():  # the offline copy's checksum differs from the official file; expected
        warnings.simplefilter("ignore", data.OfflineCopyWarning)
        return data.load("pneumoniamnist", "test", limit=n).images


def one_pixel_npcr() -> float:
    """NPCR (%) of gan-keygen between an X-ray and the same X-ray with one pixel changed, under one seed."""
    cipher = GANKeyGenCipher(seed=CHALLENGE_SEED)
    seed = cipher.keygen(seed=CHALLENGE_SEED)
    image = _xrays(1)
    changed = image.copy()
    changed[0, 14, 14] ^= 1
    return 100 * float(metrics.npcr_uaci(cipher.encrypt(image, seed), cipher.encrypt(changed, seed)).npcr.pooled)


def _setup() -> Setup:
    cipher = GANKeyGenCipher(seed=CHALLENGE_SEED)
    seed = cipher.keygen(seed=CHALLENGE_SEED)
    known, secret = _xrays(2)
    public = {"known_plain": known, "known_cipher": cipher.encrypt(known[None], seed)[0],
              "cipher": cipher.encrypt(secret[None], seed)[0]}
    return Setup(public, {"image": secret, "key_image": cipher.key_image(seed)})


def _judge(answer, setup: Setup) -> Result:
    public, image = setup.public, setup.secret["image"]
    values = np.asarray(answer)
    if values.shape != image.shape:
        return Result(False, f"Not yet: give the recovered image, shape {image.shape}; got shape {values.shape}.")
    if np.array_equal(values, image):
        return Result(True, "Right: the key image K = C1 − P1 decrypts every image under that seed, bit for bit.")
    if np.array_equal(values.astype(np.int64) % 256, image):
        return Result(False, "Not yet: right modulo 256, but give it as pixel values 0..255 (uint8).")
    if np.array_equal(values, setup.secret["key_image"]):
        return Result(False, "Not yet: that is the key image itself; now subtract it from the other cipher image.")
    if np.array_equal(values.astype(np.uint8), (public["cipher"] - public["known_cipher"]).astype(np.uint8)):
        return Result(False, "Not yet: C2 − C1 is the difference of the two plaintexts; add the known plaintext.")
    if np.mean(values == image) > 0.5:
        return Result(False, "Not yet: most pixels are right. Did you compute in integers without wrapping? The key is "
                             "added modulo 256, so subtract modulo 256 (uint8 arithmetic wraps).")
    return Result(False, "Not yet: one seed gives one key image, C = P + K mod 256. What does the known pair tell you "
                         "about K?")


def _solve(public) -> np.ndarray:
    """Section 3.5's attack: the key image from the known pair, subtracted from the other cipher image."""
    return public["cipher"] - key_image_from_pair(public["known_plain"], public["known_cipher"])


def _wrong(public) -> list:
    return [public["cipher"], public["cipher"] - public["known_cipher"],
            public["cipher"].astype(np.int64) - public["known_cipher"] + public["known_plain"] - 256,
            public["known_plain"], np.zeros((3, 3), np.uint8)]


ITEMS = (
    Exercise("03_gan", 2, "the NPCR of gan-keygen between an X-ray and the same X-ray with one pixel changed",
             one_pixel_npcr, 0.005, "%",
             ((near(lambda e: e / 100, 0.0001), "NPCR is quoted in percent, not as a fraction."),
              (near(lambda e: 1.0, 0.01), "that is the number of cipher pixels that change; NPCR is their share "
                                          "of the image's pixels, in percent."),
              (near(lambda e: 100 * metrics.npcr_expected(), 0.05), "that is an ideal cipher's NPCR; with one key "
                                                                   "image, what does a one-pixel change do?"))),
    Challenge("03_gan", 4, "the X-ray behind `cipher`, as a 28×28 uint8 array", _setup, _judge, _solve, _wrong),
)
