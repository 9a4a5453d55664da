"""Chapter 2's checked exercises, and its "break it" challenge: the chaotic cipher under a hidden key.

The challenge hands out a chosen-plaintext oracle of ``chaos-logistic`` under a key drawn
from a fixed seed, and the cipher images of a few test X-rays; the target is the X-rays,
bit for bit. The reference solution is the library's chosen-plaintext attack
(:func:`medcrypt.attacks.chosen_plaintext_attack`) on the oracle alone.
"""

from __future__ import annotations

import math

import numpy as np

from .. import metrics
from ..attacks.chosen_plaintext import chosen_plaintext_attack, probe_images
from ..ciphers import get
from ..ciphers.chaos import divide_and_conquer_bits
from .core import Challenge, Exercise, Result, Setup, near

#: The challenge's key and targets come from this seed, so a student who restarts gets the same task.
SEED = 20260202
TARGETS = 4
SIDE = 28
BLOCK = 16  # bytes of one AES block


def _ecb_npcr() -> float:
    """Expected NPCR (%) of AES-ECB when one pixel of a 28×28 image changes: one block, 16 pixels, changes."""
    return 100 * BLOCK * metrics.npcr_expected() / (SIDE * SIDE)


def _targets() -> np.ndarray:
    """Test X-rays when the offline data is there, else smooth synthetic 'X-rays' (same task, no download)."""
    try:
        from .. import data

        with data.accepting_subsets():
            return data.load("pneumoniamnist", "test", size=SIDE, limit=TARGETS).images
    except Exception:  # no data root: a deterministic stand-in with an X-ray's smooth structure
        y, x = np.mgrid[0:SIDE, 0:SIDE] / (SIDE - 1)
        return np.stack([(255 * (0.5 + 0.4 * np.sin(3 * x + i) * np.cos(2 * y - i))).astype(np.uint8)
                         for i in range(TARGETS)])


def _setup() -> Setup:
    cipher = get("chaos-logistic")
    key = cipher.keygen(seed=SEED)
    plain = _targets()

    def encrypt(images):
        """The chosen-plaintext oracle: chaos-logistic under the hidden key, for any uint8 images of 28×28."""
        return cipher.encrypt(np.asarray(images, np.uint8), key)

    return Setup({"encrypt": encrypt, "cipher_images": cipher.encrypt(plain, key), "shape": (SIDE, SIDE)},
                 {"plain": plain})


def _judge(answer, setup: Setup) -> Result:
    plain = setup.secret["plain"]
    guess = np.asarray(answer)
    if guess.shape != plain.shape:
        return Result(False, f"Not yet: give the {len(plain)} recovered images as one array of shape {plain.shape}; "
                             f"got shape {guess.shape}.")
    if not np.all((guess >= 0) & (guess <= 255) & (guess == np.round(guess))):
        return Result(False, "Not yet: pixels are whole grey levels 0 to 255; work in uint8, modulo 256.")
    guess = guess.astype(np.uint8)
    if np.array_equal(guess, plain):
        return Result(True, f"Right: all {len(plain)} X-rays recovered bit for bit, without the key.")
    if np.array_equal(guess, np.asarray(setup.public["cipher_images"])):
        return Result(False, "Not yet: that is the cipher images themselves. Ask the oracle for an all-zero "
                             "image and the position-counting images, as in section 2.7.")
    flat_guess, flat_plain = guess.reshape(len(guess), -1), plain.reshape(len(plain), -1)
    if np.array_equal(np.sort(flat_guess, axis=1), np.sort(flat_plain, axis=1)):
        return Result(False, "Not yet: right grey levels in the wrong places. The permutation is undone the "
                             "other way round: plain[:, source] = values, not values[:, source].")
    wrong = int(np.sum(guess != plain))
    return Result(False, f"Not yet: {wrong} of {plain.size} pixels are wrong. Subtract b = E(0) before undoing the "
                         "chains, undo the backward chain before the forward one, and keep to uint8 so that "
                         "everything is modulo 256.")


def _solve(public: dict) -> np.ndarray:
    key, _ = chosen_plaintext_attack(public["encrypt"], tuple(public["shape"]))
    return key.decrypt(np.asarray(public["cipher_images"]))


def _wrong(public: dict) -> list:
    key, _ = chosen_plaintext_attack(public["encrypt"], tuple(public["shape"]))
    cipher = np.asarray(public["cipher_images"])
    plain = key.decrypt(cipher)
    flat = plain.reshape(len(plain), -1)
    swapped = flat[:, key.source][:, key.source]  # the permutation undone the wrong way round
    no_mask = key.decrypt(cipher + key.mask.reshape(cipher.shape[1:]))  # the mask b counted twice
    one_off = plain.copy()
    one_off[0, 0, 0] ^= 1
    return [cipher, np.zeros_like(plain), swapped.reshape(plain.shape), no_mask, one_off, plain[:-1],
            plain.astype(float) + 0.5]


ITEMS = (
    Exercise("02_baselines", 1, "the expected NPCR (%) of AES-ECB when one pixel of a 28×28 image changes",
             _ecb_npcr, 0.05, "%",
             ((near(lambda e: 100 / (SIDE * SIDE), 0.05), "AES works on 16-byte blocks: a changed pixel changes "
                                                           "every byte of its block, not only itself."),
              (near(lambda e: e / 100, 0.001), "NPCR is quoted in percent, not as a fraction."),
              (near(lambda e: 100 * metrics.npcr_expected(), 0.5), "ECB encrypts each block on its own: only the "
                                                                    "block holding the changed pixel changes."))),
    Exercise("02_baselines", 2, "the number of chosen images the attack of section 2.7 needs for a 512×512 image",
             lambda: len(probe_images((512, 512))), 0.01, "images",
             ((near(lambda e: e - 1, 0.01), "one image per base-256 digit of the position is not all: the "
                                            "all-zero image that gives b = E(0) counts too."),
              (lambda v, e: v == math.ceil(math.log2(512 * 512)) + 1,
               "the position images hold base-256 digits, a byte each, not one bit each."))),
    Exercise("02_baselines", 3, "the search cost in bits of a key of two 128-bit sub-keys that can be searched "
                                "one after the other", lambda: divide_and_conquer_bits({"a": 128, "b": 128}), 0.01,
             "bits",
             ((near(lambda e: 256, 0.01), "searched one after the other, the two searches add, 2^128 + 2^128; "
                                          "they do not multiply."),
              (near(lambda e: 128, 0.01), "there are two searches of 2^128 keys each: 2^128 + 2^128 = 2^129."))),
    Challenge("02_baselines", 4, "the recovered X-rays, an array of shape (4, 28, 28) of uint8", _setup, _judge,
              _solve, _wrong),
)
