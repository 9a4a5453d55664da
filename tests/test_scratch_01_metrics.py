"""Chapter 1's from-scratch cells against the library: NPCR and UACI bit for bit, the IND-CPA game by its outcome.

The game is random, so it is compared by outcome: against a deterministic cipher every
game is won in both implementations (advantage exactly 1, as def-ind-cpa predicts); against
a cipher with fresh counter blocks both estimates are draws of 2w/n - 1 with w ~ Bin(n, 1/2).
Each then has standard deviation 1/sqrt(n), their difference sqrt(2/n), and the test
allows 4 of those (a false failure about once in 16,000 runs; the generators are seeded,
so a given run is repeatable).
"""

import math

import numpy as np
import pytest

from medcrypt import metrics
from medcrypt.attacks import ind_cpa
from medcrypt.ciphers import get

from from_scratch import scratch

S = scratch("01_metrics")
npcr, uaci = S["npcr"], S["uaci"]
ind_cpa_game, ind_cpa_advantage, repeat_query = S["ind_cpa_game"], S["ind_cpa_advantage"], S["repeat_query"]

TRIALS = 200
POOL = np.stack([np.zeros((28, 28), np.uint8), np.full((28, 28), 255, np.uint8)])


def oracle_of(name: str):
    cipher = get(name)
    key = cipher.keygen(seed=5)
    return lambda images: cipher.encrypt(images, key)


@pytest.mark.parametrize("name", ["aes-ctr-nonce-reuse", "chaos-logistic", "aes-ctr"])
def test_npcr_and_uaci_equal_the_library_bit_for_bit(name, xrays):
    encrypt = oracle_of(name)
    changed = metrics.one_pixel_change(xrays, np.random.default_rng(1))
    c1, c2 = np.asarray(encrypt(xrays)), np.asarray(encrypt(changed))
    library = metrics.npcr_uaci(c1, c2)
    assert np.array_equal(npcr(c1, c2), library.npcr.per_image)
    assert np.array_equal(uaci(c1, c2), library.uaci.per_image)


def test_npcr_and_uaci_on_pairs_worked_by_hand():
    a = np.array([[[0, 10], [255, 7]]], np.uint8)
    b = np.array([[[0, 20], [0, 7]]], np.uint8)
    assert npcr(a, b).tolist() == [0.5]  # two of four pixels differ
    assert uaci(a, b).tolist() == [(10 + 255) / 4 / 255]
    assert npcr(a, a).tolist() == [0.0] and uaci(a, a).tolist() == [0.0]


def test_uaci_does_not_wrap_around_in_uint8():
    a, b = np.array([[[0]]], np.uint8), np.array([[[255]]], np.uint8)
    assert uaci(a, b).tolist() == [1.0] and uaci(b, a).tolist() == [1.0]


def test_npcr_and_uaci_of_random_images_approach_the_null_values():
    rng = np.random.default_rng(2)
    c1, c2 = (rng.integers(0, 256, (400, 64, 64), dtype=np.uint8) for _ in range(2))
    n = 400 * 64 * 64
    assert abs(npcr(c1, c2).mean() - metrics.npcr_expected()) < 5 * metrics.npcr_std(n)
    assert abs(uaci(c1, c2).mean() - metrics.uaci_expected()) < 5 * metrics.uaci_std(n)


@pytest.mark.parametrize("name", ["aes-ctr-nonce-reuse", "chaos-logistic"])
def test_the_game_is_won_every_time_against_a_deterministic_cipher_as_in_the_library(name):
    encrypt = oracle_of(name)
    rng = np.random.default_rng(3)
    assert all(ind_cpa_game(encrypt, repeat_query, rng) for _ in range(50))
    assert ind_cpa_advantage(encrypt, repeat_query, TRIALS, rng) == 1.0
    library = ind_cpa.repeat_query_adversary(encrypt, POOL, trials=TRIALS, seed=3)
    assert library.wins == library.trials == TRIALS and library.advantage == 1.0


def test_against_fresh_counter_blocks_both_games_agree_within_sampling_error():
    encrypt = oracle_of("aes-ctr")
    scratch_advantage = ind_cpa_advantage(encrypt, repeat_query, TRIALS, np.random.default_rng(4))
    library = ind_cpa.repeat_query_adversary(encrypt, POOL, trials=TRIALS, seed=4)
    tolerance = 4 * math.sqrt(2 / TRIALS)
    assert abs(scratch_advantage - library.advantage) <= tolerance
    assert abs(scratch_advantage) <= 4 / math.sqrt(TRIALS) and abs(library.advantage) <= 4 / math.sqrt(TRIALS)
    low, high = library.interval()
    assert low <= 0 <= high


def test_the_game_draws_its_coin_so_a_blind_or_cheating_adversary_scores_as_it_should():
    encrypt = oracle_of("aes-ctr-nonce-reuse")
    rng = np.random.default_rng(6)
    always_zero = lambda oracle, challenge: 0 if challenge(POOL[0], POOL[1]) is not None else 1
    assert abs(ind_cpa_advantage(encrypt, always_zero, 400, rng)) <= 4 / math.sqrt(400)
    # An adversary that reads the challenge correctly but answers the opposite is always wrong: advantage -1.
    contrary = lambda oracle, challenge: 1 - repeat_query(oracle, challenge)
    assert ind_cpa_advantage(encrypt, contrary, 50, rng) == -1.0


def test_the_oracle_passes_one_image_at_a_time_and_the_challenge_hides_the_bit():
    seen = []

    def encrypt(images):
        seen.append(images.shape)
        return images ^ 0x5A

    bits = [ind_cpa_game(encrypt, repeat_query, np.random.default_rng(i)) for i in range(20)]
    assert all(bits) and set(seen) == {(1, 28, 28)}
