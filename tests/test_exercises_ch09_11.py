"""Chapters 9-11's checked exercises: each reference agrees with a second computation (the hints for common
slips are tested with every chapter's in test_exercises.py)."""

import numpy as np
import pytest

from medcrypt import exercises
from medcrypt.exercises import ch10, ch11


def test_truncation_changes_exactly_the_words_above_one_byte():
    words = ch10.ct_words()
    assert ch10.truncation_changed_percent(words) == pytest.approx(100 * np.mean(words > 255))
    assert ch10.truncation_changed_percent(np.arange(256, dtype=np.uint16)) == 0
    assert ch10.high_byte_levels(np.array([0, 255, 256, 65535], dtype=np.uint16)) == 3


def test_the_arnold_permutations_are_bijections_and_the_cat_map_has_a_period():
    found = ch11.arnold_permutations(6, iterations=ch11.ITERATIONS)
    side = 6
    assert all(sorted(np.frombuffer(p, dtype=np.int64)) == list(range(side * side)) for p in found)
    assert len(found) <= ch11.ITERATIONS * (side - 1) ** 2
    # a = b = 1 alone, iterated up to the map's period, returns to the identity exactly once
    x, y = np.divmod(np.arange(side * side), side)
    steps = 0
    while True:
        x, y = (x + y) % side, (x + 2 * y) % side
        steps += 1
        if np.array_equal(x * side + y, np.arange(side * side)):
            break
    assert steps > 1 and len(ch11.arnold_permutations(side, iterations=steps)) >= steps - 1


def test_the_challenges_arnold_xor_is_the_chapters_bit_for_bit(tmp_path):
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    from test_evaluate import appendix_cipher
    from medcrypt.ciphers.plugins import load_class

    chapter = load_class(appendix_cipher(tmp_path))()
    images = np.random.default_rng(3).integers(0, 256, (3, 28, 28), dtype=np.uint8)
    for seed in (0, 1, 7):
        key = chapter.keygen(seed=seed)
        assert np.array_equal(chapter.encrypt(images, key), ch11.arnold_encrypt(images, key))


def test_the_challenge_hints_name_the_slip():
    challenge = exercises.challenge("11_evaluate", 4)
    secret = challenge._instance().secret
    assert "still in their moved places" in challenge.check(secret["stream_only"]).message
    assert "wrong order" in challenge.check(secret["plain"][::-1]).message
    assert not challenge.check(secret["plain"][:, :27]) and challenge.check(secret["plain"])
