"""Sentences chosen by computed values: every branch."""

import pandas as pd
import pytest

from medcrypt.book import prose


@pytest.mark.parametrize("items, expected", [([], "none"), (["a"], "a"), (["a", "b"], "a and b"),
                                             (["a", "b", "c"], "a, b and c")])
def test_names(items, expected):
    assert prose.names(items) == expected


def test_worst_rate():
    assert prose.worst_rate(pd.Series({"x": 0.05, "y": 0.1})) == "y at 0.100"
    with pytest.raises(ValueError):
        prose.worst_rate(pd.Series(dtype=float))


def test_gcm_clause_claims_chapter_7_only_when_gcm_passed():
    assert "no attack" in prose.gcm_clause(True)
    assert prose.gcm_clause(False) == "" and prose.gcm_clause(None) == ""


def test_calibration_sentence_every_branch():
    quiet = prose.calibration_sentence(12, 280, 0.05, 0)
    assert "no evidence of miscalibration at this sample size" in quiet and "are calibrated" not in quiet
    sized = prose.calibration_sentence(12, 280, 0.05, 0, runs_per_test=20)
    assert "With 20 runs per test" in sized and "15%" in sized and "can show nothing" in sized
    assert "significantly above" in prose.calibration_sentence(40, 280, 0.05, 0)
    broken = prose.calibration_sentence(12, 280, 0.05, 2)
    assert broken.startswith("2 of the 280") and "miscalibration" not in broken





def test_ceiling_sentence_gives_each_share_and_marks_the_tiny_ones():
    text = prose.ceiling_sentence({"aes-ctr": {"ratio_to_ceiling": 0.7}, "gan": {"ratio_to_ceiling": 0.00002}}, 5600.0)
    assert text.startswith("Against the ceiling of 5,600 MB/s")
    assert "aes-ctr 70.0% and gan less than 0.1%." in text and "fixed cost" not in text
    assert "On a batch of 200 images a cipher's fixed cost" in prose.ceiling_sentence({}, 1.0, n_images=200)
    assert "larger" not in prose.ceiling_sentence({}, 1.0, n_images=2000)  # chapter 9's batch may be smaller
