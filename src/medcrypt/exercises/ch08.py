"""Chapter 8's checked exercises: the table's Bonferroni level, and two ciphers to break.

The challenges use small images cut from the medical samples that ship inside
scikit-image (no download), so they run wherever the library does.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import verdicts
from ..attacks import algebraic, ind_cpa
from ..ciphers import get
from .core import BlindGuesser, Challenge, Exercise, Result, Setup, image_answer, inverted, near

#: The fixed seed of the challenges' keys: a student who restarts gets the same task.
SEED = 8008


@cache
def pool() -> np.ndarray:
    """Eight 28×28 grey images: corners and centres of the fundus photograph and the CT phantom."""
    from skimage.transform import resize

    from ..data import sample_medical_images

    crops = []
    for image in sample_medical_images().values():
        n = image.shape[0]
        for top, left, side in ((0, 0, n), (n // 4, n // 4, n // 2), (0, n // 2, n // 2), (n // 2, 0, n // 2)):
            crop = image[top:top + side, left:left + side]
            crops.append((resize(crop, (28, 28), anti_aliasing=True) * 255).round().astype(np.uint8))
    return np.stack(crops)


# ------------------------------------------------------------------ exercise 3: a reused nonce

def _nonce_setup() -> Setup:
    cipher = get("aes-ctr-nonce-reuse")
    key = cipher.keygen(seed=SEED)
    images = pool()[[0, 4]]  # a fundus crop (known) and the phantom (secret)
    c = cipher.encrypt(images, key)
    return Setup({"known_plain": images[0].copy(), "known_cipher": np.asarray(c[0]).copy(),
                  "cipher": np.asarray(c[1]).copy(), "nonce": np.asarray(c.side[1]).copy()},
                 {"image": images[1]})


def _nonce_judge(answer, setup: Setup) -> Result:
    secret, public = setup.secret["image"], setup.public
    decided, answer = image_answer(answer, secret, "Right: one known image gave the whole key-stream, and the "
                                                   "key-stream decrypts the other.")
    if decided is not None:
        return decided
    c0, c1, p0 = (public[k].astype(np.int64) for k in ("known_cipher", "cipher", "known_plain"))
    if np.array_equal(answer, c0 ^ c1):
        return Result(False, "Not yet: that is c₀ ⊕ c₁ = p₀ ⊕ p₁, the XOR of the two plaintexts; remove the known p₀.")
    if np.array_equal(answer, (c1 - c0 + p0) % 256):
        return Result(False, "Not yet: the key-stream is XORed onto the pixels, not added; use ⊕, not + and −.")
    if np.array_equal(answer, p0):
        return Result(False, "Not yet: that is the known image; the task is the other one.")
    right = float(np.mean(answer == secret))
    return Result(False, f"Not yet: {right:.0%} of the pixels are right. Every pixel is c₁ ⊕ (c₀ ⊕ p₀); "
                         "check the dtype (uint8) and that no pixel was rounded or clipped.")


def _nonce_solve(public: dict) -> np.ndarray:
    return algebraic.two_time_pad(public["known_plain"], public["known_cipher"], public["cipher"])


def _nonce_wrong(public: dict) -> list:
    c0, c1, p0 = public["known_cipher"], public["cipher"], public["known_plain"]
    return [c0 ^ c1, ((c1.astype(int) - c0 + p0) % 256).astype(np.uint8), p0, c1, np.zeros_like(c1), c1[:14]]


# ------------------------------------------------------------------ exercise 4: IND-CPA

GAME_TRIALS = 200
TARGET_ADVANTAGE = 0.9


def _game_setup() -> Setup:
    cipher = get("chaos-logistic")
    key = cipher.keygen(seed=SEED)
    return Setup({"images": pool(), "oracle": lambda images: cipher.encrypt(images, key), "trials": GAME_TRIALS,
                  "target": TARGET_ADVANTAGE}, {})


def _game_judge(answer, setup: Setup) -> Result:
    if not isinstance(answer, ind_cpa.Adversary):
        return Result(False, "Not yet: the answer is an adversary, an object with a `name`, "
                             "`choose(oracle, images, rng)` and `guess(oracle, challenges, rng)` (see "
                             "`medcrypt.attacks.ind_cpa.Adversary`).")
    public = setup.public
    outcome = ind_cpa.play(answer, public["oracle"], public["images"], trials=public["trials"], seed=None)
    if outcome.trials < public["trials"] // 2:
        return Result(False, f"Not yet: only {outcome.trials} of {public['trials']} challenges had m0 ≠ m1; "
                             "choose two different images.")
    if outcome.advantage >= public["target"]:
        return Result(True, f"Right: advantage {outcome.advantage:.2f} over {outcome.trials} challenges, with "
                            f"{outcome.queries} oracle queries. A deterministic cipher loses the game.")
    if outcome.advantage <= -public["target"]:
        return Result(False, f"Not yet: advantage {outcome.advantage:.2f}: you win almost always but answer "
                             "the opposite bit; swap 0 and 1.")
    return Result(False, f"Not yet: advantage {outcome.advantage:.2f}, below {public['target']}. The cipher is "
                         "deterministic: what does the oracle answer when you ask for m0 again?")


def _game_solve(public: dict):
    return ind_cpa.RepeatQuery(public["trials"])


def _game_wrong(public: dict) -> list:
    return [BlindGuesser(), inverted(ind_cpa.RepeatQuery)(public["trials"]), ind_cpa.RepeatQuery]  # the last: a class, not an adversary


ITEMS = (
    Exercise("08_attacks", 2, "the level of each test when 17 ciphers with 12 tests each share a false-FAIL "
             "rate of 0.05", lambda: verdicts.table_level(0.05, 17, 1, adversaries=6), 1e-6, "",
             ((near(lambda e: 0.05 / 17, 1e-5), "divide by every test of the table, not by the ciphers alone."),
              (near(lambda e: 0.05 / 12, 1e-5), "divide by every test of the table, not by one cipher's tests."),
              (near(lambda e: 0.05, 1e-6), "that is the whole table's rate; each test must run at a smaller one."))),
    Challenge("08_attacks", 3, "the secret image, a 28×28 uint8 array", _nonce_setup, _nonce_judge, _nonce_solve,
              _nonce_wrong),
    Challenge("08_attacks", 4, "an IND-CPA adversary (an object with choose and guess)", _game_setup, _game_judge,
              _game_solve, _game_wrong),
)
