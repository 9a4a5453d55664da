"""Chapter 5's checked exercises: the integer coupling's exactness bound, and its determinism broken by IND-CPA.

The challenge uses a small coupling network at its random initialisation: the attack
rests on the cipher being deterministic, which no training changes, so nothing is
trained at check time.
"""

from __future__ import annotations

import numpy as np

from ..attacks import ind_cpa
from ..ciphers.invertible import ACTIVATION_BOUND, WEIGHT_BOUND, IntegerCouplingCipher, ShiftNet
from .core import BlindGuesser, Challenge, Exercise, Result, Setup, inverted, near

#: The coupling network of the challenge: small, untrained, and its key from a fixed seed.
CHALLENGE_SEED = 505
#: Challenges the judge plays against the student's adversary, and the advantage it must reach.
TRIALS, TARGET = 200, 0.9
#: The exercise's network width.
WIDTH = 8


def _setup() -> Setup:
    cipher = IntegerCouplingCipher(layers=2, width=4, seed=CHALLENGE_SEED)
    key = cipher.keygen(seed=CHALLENGE_SEED)
    rng = np.random.default_rng(CHALLENGE_SEED)
    images = rng.integers(0, 256, (16, 28, 28), dtype=np.uint8)  # any pool: the attack ignores the content
    return Setup({"oracle": lambda batch: cipher.encrypt(batch, key), "images": images}, {})


def _judge(answer, setup: Setup) -> Result:
    if not isinstance(answer, ind_cpa.Adversary):
        return Result(False, "Not yet: give an adversary, an object with a `name`, `choose(oracle, images, rng)` and "
                             "`guess(oracle, challenges, rng)` (see medcrypt.attacks.ind_cpa.Adversary).")
    try:
        played = ind_cpa.play(answer, setup.public["oracle"], setup.public["images"], trials=TRIALS)
    except ValueError as error:
        return Result(False, f"Not yet: the game could not be played: {error}")
    advantage = played.advantage
    if advantage >= TARGET:
        return Result(True, f"Right: your adversary won {played.wins} of {played.trials} challenges, "
                            f"advantage {advantage:.2f}.")
    if advantage <= -TARGET:
        return Result(False, f"Not yet: advantage {advantage:.2f}: you tell the two apart but answer the opposite bit.")
    return Result(False, f"Not yet: advantage {advantage:.2f} (at least {TARGET} needed). The cipher is "
                         "deterministic: what does the oracle return when you ask it for m0 again?")


ITEMS = (
    Exercise("05_invertible", 2, f"the largest magnitude of a partial sum in the shift network of width {WIDTH}",
             lambda: ShiftNet.largest_sum(1, WIDTH, IntegerCouplingCipher.key_bits), 0.5, "",
             ((near(lambda e: 2 * 9 * WEIGHT_BOUND * 128 + IntegerCouplingCipher.key_bits * WEIGHT_BOUND, 0.5),
               "that is the first convolution's bound; the middle and last convolutions sum more terms "
               f"({WIDTH} channels of activations up to {ACTIVATION_BOUND})."),
              (near(lambda e: 2 * 9 * WEIGHT_BOUND * 128, 0.5),
               "the first layer also adds the key embedding: 128 terms of ±1 times a weight."))),
    Challenge("05_invertible", 4, "an IND-CPA adversary (an object with name, choose and guess)", _setup, _judge,
              lambda public: ind_cpa.RepeatQuery(TRIALS), lambda public: [BlindGuesser(), inverted(ind_cpa.RepeatQuery)(TRIALS), 0.95]),
)
