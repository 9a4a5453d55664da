"""Chapter 6's checked exercises: the NPCR a block-wise learned cipher can reach, and two breaks of the Hopfield cipher.

The challenges use 28×28 crops of the fundus photograph that ships inside scikit-image
(no download), so they run wherever the library does.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import metrics
from ..attacks import chosen_plaintext_attack
from ..ciphers import get
from .core import Challenge, Exercise, Result, Setup, image_answer, near

#: The fixed seed of the challenges' keys: a student who restarts gets the same task.
SEED = 6006
#: anc-alice-bob's block side in pixels (the chapter's ``patch``) and the chapter's image side.
PATCH, SIDE = 4, 28


@cache
def crops() -> np.ndarray:
    """Sixteen 28×28 grey images: a 4×4 grid of crops of the fundus photograph, each shrunk from 176×176."""
    from skimage.transform import resize

    from ..data import sample_medical_images

    retina = sample_medical_images()["retina (fundus photograph)"]
    q = retina.shape[0] // 4
    return np.stack([(resize(retina[r * q:(r + 1) * q, c * q:(c + 1) * q], (SIDE, SIDE), anti_aliasing=True) * 255)
                     .round().astype(np.uint8) for r in range(4) for c in range(4)])


def _pixels_wrong(answer: np.ndarray, secret: np.ndarray) -> str:
    return f"{np.mean(answer != secret):.0%} of the pixels are wrong"


# ------------------------------------------------------------------ exercise 4: chosen plaintext

def _cpa_setup() -> Setup:
    cipher = get("chaos-hopfield")
    key = cipher.keygen(seed=SEED)
    secret = crops()[5]
    return Setup({"encrypt": lambda images: cipher.encrypt(images, key),
                  "cipher": np.asarray(cipher.encrypt(secret[None], key))[0].copy()}, {"image": secret})


def _cpa_judge(answer, setup: Setup) -> Result:
    secret, cipher = setup.secret["image"], setup.public["cipher"]
    decided, answer = image_answer(answer, secret, "Right: a few chosen images gave an equivalent key (P, b), and "
                                                   "it decrypts the X-ray without the chaotic network's key.")
    if decided is not None:
        return decided
    if np.array_equal(answer, cipher):
        return Result(False, "Not yet: that is the cipher image itself; decrypt it with the equivalent key.")
    if np.array_equal(np.sort(answer.ravel()), np.sort(secret.ravel())):
        return Result(False, "Not yet: the right pixel values in the wrong places. Undo the diffusion first, then "
                             "the permutation: cipher position j holds plain position P[j], not the other way round.")
    return Result(False, f"Not yet: {_pixels_wrong(answer, secret)}. The cipher is E(p) = M·(P·p) + b with the "
                         "public diffusion M: ask for the all-zero image to get b, then for images that locate "
                         "each pixel, and invert in the reverse order.")


def _cpa_solve(public: dict) -> np.ndarray:
    cipher = public["cipher"]
    equivalent, _ = chosen_plaintext_attack(public["encrypt"], cipher.shape)
    return equivalent.decrypt(cipher[None])[0]


def _cpa_wrong(public: dict) -> list:
    cipher = public["cipher"]
    zero = np.asarray(public["encrypt"](np.zeros((1, *cipher.shape), dtype=np.uint8)))[0]
    return [cipher, ((cipher.astype(int) - zero) % 256).astype(np.uint8), np.zeros_like(cipher), cipher[:14]]


# ------------------------------------------------------------------ exercise 5: IND-CPA

#: Challenge cipher images of the IND-CPA challenge, and the advantage an answer must reach.
ROUNDS, ADVANTAGE = 32, 0.9


def _ind_cpa_setup() -> Setup:
    cipher = get("chaos-hopfield")
    key = cipher.keygen(seed=SEED + 1)
    m0, m1 = crops()[0], crops()[15]
    bits = np.random.default_rng(SEED).integers(0, 2, ROUNDS)
    challenges = np.asarray(cipher.encrypt(np.where(bits[:, None, None] == 1, m1, m0), key)).copy()
    return Setup({"m0": m0, "m1": m1, "encrypt": lambda images: cipher.encrypt(images, key),
                  "challenges": challenges}, {"bits": bits})


def _ind_cpa_judge(answer, setup: Setup) -> Result:
    bits = setup.secret["bits"]
    guesses = np.asarray(answer)
    if guesses.shape != bits.shape or not np.isin(guesses, (0, 1)).all():
        return Result(False, f"Not yet: answer with {len(bits)} guesses b', each 0 or 1, one per challenge image.")
    advantage = 2 * float(np.mean(guesses == bits)) - 1
    if advantage >= ADVANTAGE:
        return Result(True, f"Right: advantage {advantage:.2f}. A deterministic cipher gives m₀ the same cipher "
                            "image every time, so one oracle query tells the two images apart.")
    if advantage <= -ADVANTAGE:
        return Result(False, f"Not yet: advantage {advantage:.2f}; you are always wrong, so swap 0 and 1 (b' = 0 means "
                             "you think the challenge encrypts m₀).")
    return Result(False, f"Not yet: advantage {advantage:.2f}, below {ADVANTAGE}. Guessing from the histogram or "
                         "the pixel statistics is not enough; ask the oracle for E(m₀) and compare.")


def _ind_cpa_solve(public: dict) -> np.ndarray:
    reference = np.asarray(public["encrypt"](public["m0"][None]))[0]
    return np.array([0 if np.array_equal(c, reference) else 1 for c in public["challenges"]])


def _ind_cpa_wrong(public: dict) -> list:
    right = _ind_cpa_solve(public)
    return [1 - right, np.zeros_like(right), np.random.default_rng(0).integers(0, 2, len(right)), right[:-1],
            right + 2]


ITEMS = (
    Exercise("06_feedforward", 2, "the largest NPCR (in percent) that a one-pixel change of a 28×28 image can give "
             "under anc-alice-bob, which encrypts every 4×4 block on its own",
             lambda: 100 * PATCH ** 2 / SIDE ** 2, 0.01, "%",
             ((near(lambda e: e / 100, 0.001), "NPCR is quoted in percent, not as a fraction."),
              (near(lambda e: 100 * metrics.npcr_expected(), 0.01), "that is an ideal cipher's NPCR; this cipher "
                                                                     "can change only the block the pixel lies in."),
              (near(lambda e: 100 / SIDE ** 2, 0.005), "the changed pixel's whole block can change, not only "
                                                      "the pixel itself."))),
    Challenge("06_feedforward", 4, "the 28×28 plain image (uint8) behind the given chaos-hopfield cipher image",
              _cpa_setup, _cpa_judge, _cpa_solve, _cpa_wrong),
    Challenge("06_feedforward", 5, f"{ROUNDS} guesses b' (0 or 1), one per challenge image, with IND-CPA advantage "
              f"at least {ADVANTAGE}", _ind_cpa_setup, _ind_cpa_judge, _ind_cpa_solve, _ind_cpa_wrong),
)
