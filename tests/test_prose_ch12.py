"""Chapters 1 and 2: every branch of the sentences and table cells chosen by computed values."""

import math

import numpy as np
import pytest

from medcrypt import metrics, verdicts
from medcrypt.book import prose
from medcrypt.ciphers import get

SHAPE = (28, 28)


def ideal_row(**changes):
    """A results row as an ideal cipher gives it on 300 images of 28×28 (pass rates at their null values)."""
    row = {"n_images": 300, "chi2_pass_rate": 0.95, "chi2_p_pooled": 0.5, "corr_h_pooled": 0.001,
           "corr_v_pooled": -0.001, "corr_d_pooled": 0.0,
           "npcr_pass_rate": metrics.npcr_null_pass_rate(784, 0.05), "uaci_pass_rate": 0.95,
           "key_npcr_pass_rate": metrics.npcr_null_pass_rate(784, 0.05), "key_uaci_pass_rate": 0.95,
           "nist_run": 8, "nist_passed": 8}
    row.update(changes)
    return row


def test_an_ideal_row_is_flagged_by_nothing():
    flags = verdicts.suite_flags(ideal_row(), SHAPE, 0.05)
    assert list(flags) == list(verdicts.SUITE_TESTS) and not any(flags.values())


@pytest.mark.parametrize("change, test", [
    ({"chi2_pass_rate": 0.8}, "per-image χ²"),
    ({"chi2_p_pooled": 1e-9}, "pooled χ²"),
    ({"corr_v_pooled": -0.04}, "pooled correlation"),
    ({"npcr_pass_rate": 0.0}, "one-pixel NPCR"),
    ({"uaci_pass_rate": 0.2}, "one-pixel UACI"),
    ({"key_npcr_pass_rate": 0.0}, "key sensitivity"),
    ({"key_uaci_pass_rate": 0.5}, "key sensitivity"),
    ({"nist_passed": 7}, "NIST"),
])
def test_each_test_flags_what_it_should_and_only_that(change, test):
    flags = verdicts.suite_flags(ideal_row(**change), SHAPE, 0.05)
    assert flags[test] is True and not any(f for t, f in flags.items() if t != test)


def test_a_correlation_within_sampling_noise_is_not_flagged_but_beyond_it_is():
    pairs = 300 * 28 * 27
    noise = 1 / math.sqrt(pairs)
    assert not verdicts.suite_flags(ideal_row(corr_h_pooled=2 * noise), SHAPE, 0.05)["pooled correlation"]
    assert verdicts.suite_flags(ideal_row(corr_h_pooled=-5 * noise), SHAPE, 0.05)["pooled correlation"]


def test_tests_that_do_not_apply_are_none():
    flags = verdicts.suite_flags(ideal_row(key_npcr_pass_rate=None, nist_run=0, nist_passed=None,
                                        corr_h_pooled=float("nan"), corr_v_pooled=float("nan"),
                                        corr_d_pooled=float("nan")), SHAPE, 0.05)
    assert flags["key sensitivity"] is None and flags["NIST"] is None
    assert flags["pooled correlation"] is None


def test_suite_flags_on_real_ciphers_the_way_chapter_1_says():
    images = np.random.default_rng(0).integers(0, 256, (80, 28, 28), dtype=np.uint8)
    images[:, :, 14:] //= 4  # some structure for the identity map to leak
    flags = {}
    for name in ("aes-ctr", "identity"):
        cipher = get(name, unsafe_test_nonce_seed=1) if name == "aes-ctr" else get(name)
        row = metrics.evaluate(cipher, images, cipher.keygen(seed=1), nist=False)
        flags[name] = verdicts.suite_flags(row, SHAPE, 0.05)
    assert flags["identity"]["one-pixel NPCR"] and flags["identity"]["pooled χ²"]
    assert flags["aes-ctr"]["NIST"] is None  # nist=False: no verdict, not a pass
    table = prose.suite_flag_table(flags)
    assert list(table.columns) == list(verdicts.SUITE_TESTS) and list(table.index) == ["aes-ctr", "identity"]
    assert set(table.to_numpy().ravel()) <= {"flags", "passes", "–"} and table.loc["identity", "NIST"] == "–"


def test_verdict_sentence_every_branch():
    none = dict.fromkeys(verdicts.SUITE_TESTS, None)
    assert prose.suite_verdict_sentence("x", none) == "No test of the suite applies to x."
    assert prose.suite_verdict_sentence("x", {"a": False, "b": False}) == "No test of the suite flags x."
    assert prose.suite_verdict_sentence("x", {"a": True, "b": True}) == "Every test of the suite flags x."
    assert prose.suite_verdict_sentence("x", {"a": True, "b": False}) == "The a test flags x; the b test passes it."
    assert (prose.suite_verdict_sentence("x", {"a": True, "b": True, "c": False, "d": False, "e": None})
            == "The a and b tests flag x; the c and d tests pass it (the e test did not apply).")
    assert (prose.suite_verdict_sentence("x", {"a": False, "b": None, "c": None})
            == "No test of the suite flags x (the b and c tests did not apply).")


def test_flag_phrase_and_hint_sentence_every_branch():
    assert [prose.suite_flag_phrase(f) for f in (True, False, None)] == [
        "flags the cipher", "does not flag the cipher", "does not apply to the cipher"]
    quiet = prose.suite_hint_sentence({"a": False, "b": None}, "section 2.5")
    assert quiet.startswith("Nothing in section 2.5 hinted")
    one = prose.suite_hint_sentence({"a": True, "b": False}, "section 2.5")
    assert one == ("In section 2.5, the a test had flagged the cipher: a flag says that it is not ideal, not which "
                   "weakness an attack will use.")
    two = prose.suite_hint_sentence({"a": True, "b": True}, "section 2.5")
    assert "the a and b tests had flagged the cipher" in two and "Nothing" not in two


def test_nist_counts_always_show_their_own_denominator():
    assert prose.nist_rows_passed({"nist_run": 8, "nist_passed": 5.0}) == "5 of 8 NIST rows"
    assert prose.nist_rows_passed({"nist_run": 0, "nist_passed": None}).startswith("no NIST verdict")
    assert "40,000" in prose.nist_rows_passed({"nist_run": 0, "nist_passed": None})
    assert prose.nist_table_cell({"nist_run": 8.0, "nist_passed": 8}) == "8 of 8"
    assert prose.nist_table_cell({"nist_run": 0, "nist_passed": None}) == "–"


def test_suite_verdict_sentences_group_ciphers_with_equal_flags():
    quiet, loud = {"a": False, "b": False}, {"a": True, "b": False}
    assert prose.suite_verdict_sentences({"x": quiet, "y": quiet}) == "No test of the suite flags x and y."
    assert prose.suite_verdict_sentences({"x": quiet, "y": loud, "z": quiet}) == (
        "No test of the suite flags x and z. The a test flags y; the b test passes it.")


def test_nist_failed_rows_every_branch():
    assert prose.nist_failed_rows({"nist_run": 0, "nist_passed": None}) == "no NIST row was run"
    assert prose.nist_failed_rows({"nist_run": 8, "nist_passed": 8, "nist_failed_rows": ""}) == "no row fails"
    assert prose.nist_failed_rows({"nist_run": 8, "nist_passed": 7, "nist_failed_rows": "runs"}) == "the runs row fails"
    two = prose.nist_failed_rows({"nist_run": 8, "nist_passed": 6, "nist_failed_rows": "runs; frequency"})
    assert two == "the runs and frequency rows fail"


def test_nist_denominators_every_branch():
    same = {"a": {"nist_run": 8}, "b": {"nist_run": 8}}
    assert prose.nist_denominator_sentence(same) == "Every cipher judged here was judged on the same 8 rows."
    mixed = {"a": {"nist_run": 8}, "b": {"nist_run": 6}, "c": {"nist_run": 0}}
    assert prose.nist_denominator_sentence(mixed) == "The ciphers here were judged on 6 and 8 rows; c got no NIST verdict."
    assert prose.nist_denominator_sentence({"c": {"nist_run": 0}}) == "No cipher of this table got a NIST verdict."
    assert prose.nist_denominator_sentence({"a": {"nist_run": 8}, "c": {"nist_run": None}}).endswith("; c got no NIST verdict.")





def test_best_of_every_branch():
    assert prose.timing_repeats(1) == "timed once" and prose.timing_repeats(3) == "best of 3 runs"
    with pytest.raises(ValueError):
        prose.timing_repeats(0)


def test_npcr_tell_every_branch():
    expected = metrics.npcr_expected()
    above = prose.chaos_npcr_tell(0.9969, expected)
    assert "above the random value 99.61%" in above and "tell" in above
    below = prose.chaos_npcr_tell(0.9950, expected)
    assert "does not exceed" in below and "tell" not in below


def test_logistic_lyapunov_sentence_every_branch():
    chaotic = prose.logistic_lyapunov_sentence({"permutation": 0.65, "diffusion": 0.66}, transient=1000)
    assert "0.650 for the permutation map and 0.660 for the diffusion map" in chaotic
    assert "positive" in chaotic and "2⁻⁵²" in chaotic and "about 55 steps, well within the 1,000 iterations" in chaotic
    slow = prose.logistic_lyapunov_sentence({"permutation": 0.02}, transient=1000)
    assert "beyond the 1,000" in slow
    settled = prose.logistic_lyapunov_sentence({"permutation": 0.65, "diffusion": -0.1}, transient=1000)
    assert "not positive" in settled and "steps" not in settled


def test_chaos_attack_sentence_every_branch():
    everything = prose.chaos_attack_sentence(3, "0.45 ms", 1.0, 6, 256)
    assert everything == ("With 3 chosen images and 0.45 ms of computation, the attacker decrypts all 6 X-rays they "
                          "never chose, bit for bit, without learning one of the 256 key bits.")
    assert "decrypts 3 of the 6" in prose.chaos_attack_sentence(3, "1 ms", 0.5, 6, 256)
    assert "decrypts none of the 6" in prose.chaos_attack_sentence(3, "1 ms", 0.0, 6, 256)
    assert "With 1 chosen image and" in prose.chaos_attack_sentence(1, "1 ms", 1.0, 6, 256)


def test_speed_sentence_every_branch():
    rates = {"aes-ctr": {"encrypt_mb_per_s": 4000.0, "ratio_to_ceiling": 0.7},
             "aes-gcm": {"encrypt_mb_per_s": 100.0, "ratio_to_ceiling": 0.015},
             "chaos-logistic": {"encrypt_mb_per_s": 100.0, "ratio_to_ceiling": 0.015}}
    slower = prose.speed_sentence(rates, 5714.0)
    assert "4,000 MB/s, 70% of the ceiling of 5,714 MB/s" in slower and "40.0 times slower" in slower
    assert "1.5% of the ceiling" in slower
    rates["chaos-logistic"]["encrypt_mb_per_s"] = 8000.0
    assert "2.0 times faster than AES-CTR in this run" in prose.speed_sentence(rates, 5714.0)
