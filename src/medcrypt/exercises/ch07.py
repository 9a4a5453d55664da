"""Chapter 7's checked exercises: what EtC's key can choose, and an EtC image to recover from known pairs.

The challenge uses 28×28 crops of the fundus photograph that ships inside scikit-image
(no download, :func:`medcrypt.exercises.ch06.crops`), so it runs wherever the library does.
"""

from __future__ import annotations

import numpy as np

from .. import metrics
from ..attacks import algebraic
from ..ciphers import get
from .ch06 import SIDE, crops
from .core import Challenge, Exercise, Result, Setup, near

#: The fixed seed of the challenge's key: a student who restarts gets the same task.
SEED = 7007
#: EtC's block side in the challenge, the larger block of the checked exercise, and the known pairs handed out.
BLOCK, LARGE_BLOCK, KNOWN = 4, 7, 8
#: An answer this close to the image counts (a bit-exact answer is infinitely close).
PSNR_BAR = 40.0


def _etc_bits(block: int) -> float:
    return get("etc-blockwise", block_size=block).key_space_bits((SIDE, SIDE))


# ------------------------------------------------------------------ exercise 4: known plaintext

def _kpa_setup() -> Setup:
    cipher = get("etc-blockwise", block_size=BLOCK)
    key = cipher.keygen(seed=SEED)
    images = crops()
    target, known = images[5], np.delete(images, 5, axis=0)[:KNOWN]
    return Setup({"known_plain": known.copy(), "known_cipher": np.asarray(cipher.encrypt(known, key)).copy(),
                  "cipher": np.asarray(cipher.encrypt(target[None], key))[0].copy(), "block_size": BLOCK},
                 {"image": target})


def _kpa_judge(answer, setup: Setup) -> Result:
    secret, cipher = setup.secret["image"], setup.public["cipher"]
    answer = np.asarray(answer)
    if answer.shape != secret.shape:
        return Result(False, f"Not yet: the answer is one image of shape {secret.shape}; got shape {answer.shape}.")
    answer = answer.astype(np.uint8) if np.all((answer >= 0) & (answer <= 255)) else answer
    psnr = metrics.psnr(secret[None], answer[None].astype(np.uint8)).pooled if answer.dtype == np.uint8 else 0.0
    if psnr >= PSNR_BAR:
        exact = "bit for bit" if np.array_equal(answer, secret) else f"to {psnr:.1f} dB"
        return Result(True, f"Right: recovered {exact}, without the key: the known pairs give an equivalent key "
                            "(which plain pixel each cipher pixel holds, and which were negated).")
    if np.array_equal(answer, cipher):
        return Result(False, "Not yet: that is the cipher image itself.")
    if any(np.array_equal(answer, k) for k in setup.public["known_plain"]):
        return Result(False, "Not yet: that is one of the known images; the task is the image behind `cipher`.")
    if np.array_equal(np.sort(answer.ravel()), np.sort(secret.ravel())):
        return Result(False, "Not yet: the right pixel values in the wrong places. Cipher position j holds plain "
                             "position source[j]: set plain[source] = cipher ⊕ mask, do not read cipher[source].")
    if np.mean(np.minimum(answer, 255 - answer) == np.minimum(secret, 255 - secret)) > 0.95:
        return Result(False, "Not yet: the places are right but some blocks are still negated: XOR each position "
                             "with its mask c₀ ⊕ p₀[source] (255 where the block was negated).")
    return Result(False, f"Not yet: {np.mean(answer != secret):.0%} of the pixels are wrong (PSNR {psnr:.1f} dB, "
                         f"the bar is {PSNR_BAR:.0f} dB). Match each cipher position's column of differences "
                         "c_i ⊕ c_0 over the known pairs with a plain position's column p_i ⊕ p_0.")


def _kpa_solve(public: dict) -> np.ndarray:
    key = algebraic.recover_key(public["known_plain"], public["known_cipher"], "permutation + XOR")
    return key.decrypt(public["cipher"][None])[0]


def _kpa_wrong(public: dict) -> list:
    cipher, known = public["cipher"], public["known_plain"]
    key = algebraic.recover_key(known, public["known_cipher"], "permutation + XOR")
    read_backwards = (cipher.ravel()[key.source] ^ key.mask).reshape(cipher.shape)  # plain = cipher[source]: wrong
    unmasked = np.empty(cipher.size, dtype=np.uint8)
    unmasked[key.source] = cipher.ravel()  # moved back, but not XORed with the mask
    return [cipher, known[0], 255 - cipher, read_backwards, unmasked.reshape(cipher.shape), np.zeros_like(cipher),
            cipher[:14]]


ITEMS = (
    Exercise("07_learnable", 2, f"log2 of the number of distinct EtC scramblings of a {SIDE}×{SIDE} grey image on "
             f"{LARGE_BLOCK}×{LARGE_BLOCK} blocks", lambda: _etc_bits(LARGE_BLOCK), 0.05, "bits",
             ((near(lambda e: e - (SIDE // LARGE_BLOCK) ** 2, 0.05), "each block is also negated or not: one more "
                                                                      "bit per block."),
              (near(lambda e: e - 3 * (SIDE // LARGE_BLOCK) ** 2, 0.05), "each block is also turned into one of "
                                                                          "eight orientations: three more bits per "
                                                                          "block."),
              (near(lambda e: 256.0, 0.05), "256 is the key's length; the question asks how many scramblings "
                                            "the scheme can apply, which the key does not limit here."))),
    Challenge("07_learnable", 4, f"the {SIDE}×{SIDE} plain image (uint8) behind the given EtC cipher image, to within "
              f"{PSNR_BAR:.0f} dB", _kpa_setup, _kpa_judge, _kpa_solve, _kpa_wrong),
)
