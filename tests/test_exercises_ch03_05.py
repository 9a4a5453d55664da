"""Chapters 3 to 5's checked exercises: the challenges' material and judges (the hints for common slips are
tested with every chapter's in test_exercises.py)."""

import numpy as np
import pytest

from medcrypt import exercises
from medcrypt.ciphers.base import CipherImages


def test_the_two_time_pad_challenge_hints_at_the_plaintext_difference():
    task = exercises.challenge("03_gan", 4).give()
    assert set(task) == {"known_plain", "known_cipher", "cipher"}  # nothing secret is handed out
    difference = task["cipher"] - task["known_cipher"]
    assert "difference of the two plaintexts" in exercises.check("03_gan", 4, difference).message
    assert exercises.check("03_gan", 4, task["cipher"] - (task["known_cipher"] - task["known_plain"]))


def test_the_forgery_challenge_needs_the_nonce_and_xor():
    task = exercises.challenge("04_autoencoder", 4).give()
    codes = [task["codec"].encode_latent(task[name][None]) for name in ("known_image", "target_image")]
    assert "nonce" in exercises.check("04_autoencoder", 4, np.asarray(task["sealed"])).message
    subtracted = CipherImages(np.asarray(task["sealed"]) - codes[0] + codes[1], task["sealed"].side)
    assert not exercises.check("04_autoencoder", 4, subtracted)
    forged = task["sealed"].copy()
    forged ^= codes[0] ^ codes[1]  # the solution's recipe, as the chapter gives it
    assert exercises.check("04_autoencoder", 4, forged)


def test_the_ind_cpa_challenge_names_an_inverted_guess():
    from medcrypt.attacks import ind_cpa

    class Inverted(ind_cpa.RepeatQuery):
        def guess(self, oracle, challenges, rng):
            return 1 - super().guess(oracle, challenges, rng)

    assert "opposite bit" in exercises.check("05_invertible", 4, Inverted(200)).message
