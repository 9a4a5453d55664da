"""Chapters 5 and 6: every branch of the sentences chosen by computed values."""

import math

import pytest

from medcrypt import metrics, nist
from medcrypt.book import prose





def test_value_change_every_branch():
    assert prose.value_change(0.812, 0.43) == "fell from 0.812 to 0.430"
    assert prose.value_change(0.4, 0.5, digits=1) == "rose from 0.4 to 0.5"
    assert prose.value_change(0.40001, 0.4) == "stayed at 0.400"


def test_training_loss_every_branch():
    assert prose.training_loss([]) == "no loss was recorded"
    assert prose.training_loss([0.8]) == "after its single epoch the loss is 0.800"
    assert prose.training_loss([0.8, 0.5, 0.4], "statistics loss") == "over 3 epochs the statistics loss fell from 0.800 to 0.400"
    assert (prose.training_loss([34.86, 34.17], "error of Bob", " grey levels", 1)
            == "over 2 epochs the error of Bob fell from 34.9 grey levels to 34.2 grey levels")


def test_nist_count_shows_its_own_denominator_as_integers():
    assert prose.nist_count(1, 8) == "1 of 8"
    assert prose.nist_count(1.0, 8.0) == "1 of 8"
    assert prose.nist_count(None, 0).startswith("none run")
    assert prose.nist_count(0, 0).startswith("none run")


def test_nist_denominator_is_true_to_the_suite():
    sentence = prose.nist_denominator({"a": 8, "b": 8}, metrics.NIST_SEQUENCE_BITS, nist.MIN_BITS)
    assert "8 when all 7 tests run" in sentence and "40,000 bits are long enough" in sentence
    assert sentence.endswith("Here every cipher was judged on 8 rows.")
    short = prose.nist_denominator({"a": 6, "b": 0}, 1000, nist.MIN_BITS)
    assert "too short for rank" in short and short.endswith("Here the ciphers were judged on 6 rows; b got no NIST verdict.")
    assert prose.nist_denominator({"a": 0}, 1000, nist.MIN_BITS).endswith(" Here a got no NIST verdict.")
    assert "judged on 6 and 8 rows." in prose.nist_denominator({"a": 6, "b": 8}, 40_000, nist.MIN_BITS)


DIRECTIONS = ("horizontal", "vertical", "diagonal")


def test_correlation_change_every_branch():
    untrained = dict(zip(DIRECTIONS, (0.03, -0.025, 0.247)))
    mixed = prose.correlation_change(dict(zip(DIRECTIONS, (-0.05, -0.05, 0.017))), untrained)
    assert "in the diagonal direction (0.0170 against 0.2470), but not in the horizontal (-0.0500 against " in mixed
    assert "vertical (-0.0500 against -0.0250) directions." in mixed
    two = prose.correlation_change(dict(zip(DIRECTIONS, (0.01, 0.01, 0.3))), untrained)
    assert "in the horizontal (0.0100 against 0.0300) and vertical (0.0100 against -0.0250) directions, but not in " \
           "the diagonal direction (0.3000 against 0.2470)." in two
    every = prose.correlation_change(dict(zip(DIRECTIONS, (0.01, 0.01, 0.01))), untrained)
    assert "in every direction" in every
    none = prose.correlation_change(dict(zip(DIRECTIONS, (0.3, 0.3, 0.3))), untrained)
    assert "in no direction" in none and "not lower" not in none


def test_p_value_and_chi2_sentence_every_branch():
    assert prose.p_value(0.0) == "p < 0.0001" and prose.p_value(0.698) == "p = 0.698"
    some = prose.chi2_sentence({"trained": 0.0, "AES-CTR": 0.698}, 0.05)
    assert some == ("The pooled histograms above give χ² p < 0.0001 (trained) and p = 0.698 (AES-CTR): "
                    "at α = 0.05 a flat histogram is rejected for trained only.")
    assert "none rejects" in prose.chi2_sentence({"a": 0.3}, 0.05)
    assert "every one rejects" in prose.chi2_sentence({"a": 0.0, "b": 0.01}, 0.05)


def test_flow_summary_every_branch():
    assert "every image exactly" in prose.flow_summary([1, 1], [0, 0])
    assert "90% or more" in prose.flow_summary([0.9, 1], [0, 0.2]) and "at most 20%" in prose.flow_summary([1], [0.2])


def test_exact_decryption_every_branch():
    assert "as the construction promises" in prose.exact_decryption(1.0, 1.0)
    partial = prose.exact_decryption(0.98, 1.0)
    assert "98%" in partial and "short of" in partial


def test_npcr_against_critical_every_branch():
    both = prose.npcr_against_critical({"a": 0.9962, "b": 0.0022, "c": 0.0017}, 0.9924)
    assert both == ("a (99.62%) is at or above the critical value of a random cipher, 99.24%; "
                    "b (0.22%) and c (0.17%) are below it.")
    assert "below the critical value" in prose.npcr_against_critical({"b": 0.002}, 0.9924)
    assert "below" not in prose.npcr_against_critical({"a": 0.9962, "d": 0.997}, 0.9924)


def test_coupling_spread_only_explains_a_local_change():
    assert "3×3 convolution" in prose.coupling_spread(0.002, 0.9924)
    assert "spread a one-pixel change" in prose.coupling_spread(0.996, 0.9924)


def test_uaci_band_every_branch():
    low, high = 0.3181, 0.3512
    assert prose.uaci_band({"a": 0.33, "b": 0.335}, low, high).startswith("Every pooled UACI")
    some = prose.uaci_band({"hop · breast": 0.3529, "aes": 0.335}, low, high)
    assert "hop · breast (35.29%)" in some and "every other" in some
    assert prose.uaci_band({"x": 0.0, "y": 0.36}, low, high).startswith("No pooled UACI")


def test_flow_rounding_every_branch():
    falling = prose.flow_rounding([1.0, 2.0, 3.0], [1, 1, 1], [0.0, 0.0, 0.0], [52.04, 37.97, 17.84])
    assert "bit-exact for every image at every weight scale" in falling
    assert "bit-exact at no weight scale, with a PSNR of 52.04 dB at weight scale 1, 37.97 dB at weight scale 2" \
        in falling and "the lower the PSNR" in falling and "0% bit-exact" not in falling
    uneven = prose.flow_rounding([1.0, 2.0], [0.9, 1.0], [0.5, 0.1], [30.0, 40.0])
    assert "only 90% to 100%" in uneven and "does not fall steadily" in uneven
    exact = prose.flow_rounding([1.0, 2.0], [1, 1], [1.0, 0.2], [math.inf, 40.0])
    assert "PSNR ∞ dB" in exact and "the lower the PSNR" in exact
    odd = prose.flow_rounding([1.0, 2.0], [1, 1], [0.2, 1.0], [40.0, math.inf])
    assert "steadily" not in odd and "lower the PSNR" not in odd


def test_reported_psnr_every_branch():
    below = prose.reported_psnr(100, [52.04, 37.97, 17.84])
    assert "255²/10¹⁰" in below and "6.5 × 10⁻⁶" in below and "153,787" in below
    assert "rounding the output of these flows does not produce" in below and "needs its full text" in below
    above = prose.reported_psnr(40, [math.inf, 52.0])
    assert "reaches at least that" in above
    mixed = prose.reported_psnr(40, [52.0, 17.8])
    assert "some do not" in mixed


def test_eve_verdict_every_branch():
    assert "nothing from the ciphertext" in prose.eve_verdict(35.8, 35.6, 25.2)
    assert "more than either guess" in prose.eve_verdict(20.0, 35.6, 25.2)
    assert "less than the block's position" in prose.eve_verdict(30.0, 35.6, 25.2)
    assert "not the median block" in prose.eve_verdict(30.0, 25.0, 35.0)


def test_bob_learned_every_branch():
    assert prose.bob_learned(20.0, 33.8).startswith("Alice and Bob learn a lossy cipher")
    assert "did not learn a usable cipher" in prose.bob_learned(34.2, 33.8)


def test_lossy_every_branch():
    assert "none of the test images" in prose.lossy_sentence(0.0)
    assert "every test image exactly" in prose.lossy_sentence(1.0)
    assert "only 40%" in prose.lossy_sentence(0.4)


def test_ecb_leak_every_branch():
    assert "layout shows through" in prose.ecb_leak(3, 3, 49) and "even share" not in prose.ecb_leak(3, 3, 49)
    assert "even share" in prose.ecb_leak(2, 3, 49)
    assert "do not always give equal" in prose.ecb_leak(49, 3, 49)


def test_weights_search_every_branch():
    assert "returns exactly the matrix" in prose.weights_search(True)
    assert "not reproduced" in prose.weights_search(False)
    for sentence in (prose.weights_search(True), prose.weights_search(False)):
        assert "published" not in sentence


def test_lyapunov_every_branch():
    chaotic = prose.lyapunov_sentence(0.653, 0.713, 256, 200)
    assert "positive from every start" in chaotic and "≈ 55 iterations" in chaotic and "well within" in chaotic
    slow = prose.lyapunov_sentence(0.1, 0.2, 256, 200)
    assert "more than the 200 dropped" in slow
    assert "not positive from every start" in prose.lyapunov_sentence(-0.1, 0.7, 256, 200)


def test_keystream_nist_every_branch():
    passed = prose.keystream_nist(8, 8, 25, 1_000_000, 40_000, 55)
    assert "8 of 8 NIST rows on 1,000,000 bits (25 sequences of 40,000 bits" in passed
    assert "uniformity of the P-values is not judged" in passed and "necessary, not sufficient" in passed
    failed = prose.keystream_nist(7, 8, 100, 4_000_000, 40_000, 55)
    assert "not judged" not in failed and "evidence against" in failed


def test_wrong_key_every_branch():
    assert "barely matters" in prose.wrong_key_sentence(15.03, 15.09)
    better = prose.wrong_key_sentence(22.28, 22.17)  # the wrong key decrypting better must not read as "barely"
    assert "protects nothing" in better and "barely" not in better
    assert "still" not in prose.wrong_key_sentence(9.0, 25.0)
    assert "noise" in prose.wrong_key_noise(9.30, 9.36) and "within 1 dB" in prose.wrong_key_noise(9.30, 9.36)
    assert "closer to the image" in prose.wrong_key_noise(14.0, 9.36)
    assert "further from the image" in prose.wrong_key_noise(5.0, 9.36)


def test_key_bit_sweep_every_branch():
    assert "searched bit by bit" in prose.key_bit_sweep(128, 128)
    assert "ignores none" in prose.key_bit_sweep(0, 128)
    assert prose.key_bit_sweep(12, 128).startswith("12 of the 128 bits")


def test_chosen_plaintext_every_branch():
    broken = prose.chosen_plaintext(3, 0.0012, 1.0, 100, 192)
    assert broken.startswith("3 chosen images and 1.2 ms") and "not in the key-stream" in broken
    assert "(3," not in broken
    partial = prose.chosen_plaintext(3, 0.0004, 0.5, 100, 192)
    assert "0.40 ms" in partial and "not fully of the attacked form" in partial


def test_lyapunov_spectrum_every_branch():
    dissipative = prose.lyapunov_spectrum_sentence([-2.526, 0.679, -7.827], 64, 1.269)
    assert "on average 0.679, −2.526 and −7.827 per iteration" in dissipative
    assert "Their sum, −9.674" in dissipative and "e^(−9.67) ≈ 6.3 × 10⁻⁵" in dissipative
    assert "strongly dissipative" in dissipative and "Kaplan–Yorke dimension is 1.27" in dissipative
    conservative = prose.lyapunov_spectrum_sentence([0.5, -0.5], 8, 2.0)
    assert "is not negative" in conservative and "whole state space" in conservative
    assert "not chaotic" in prose.lyapunov_spectrum_sentence([-0.1, -0.5], 8, 0.0)


def test_state_entropy_sentence_every_branch():
    args = dict(float32_bits=19.93, float32_interval=(19.61, 20.26), mantissas=(14, 28), slope=1.071, intercept=-5.43,
                float64_bits=51.3, float64_interval=(49.98, 52.64), transient=200, state_bits=159, kaplan_yorke=1.27)
    low = prose.state_entropy_sentence(**args)
    assert "about 2²⁰ values" in low and "19.9 bits (95% interval 19.6 to 20.3)" in low
    assert "H₂ ≈ 1.07 p − 5.4" in low and "at or below the Kaplan–Yorke dimension (1.27)" in low
    assert "51.3 bits (95% interval 50.0 to 52.6), far below the 159 bits" in low
    steep = prose.state_entropy_sentence(**{**args, "slope": 1.4, "intercept": 2.0, "float64_interval": (150, 170)})
    assert "H₂ ≈ 1.40 p + 2.0" in steep and "above the Kaplan–Yorke dimension" in steep
    assert "as much as the 159 bits" in steep
    flat = prose.state_entropy_sentence(**{**args, "slope": -0.01})
    assert "does not grow" in flat and "Extrapolated" not in flat


def test_state_guessing_verdict_every_branch():
    weak = prose.state_guessing_verdict(49.98, 192)
    assert "about 2⁵⁰ trials" in weak and "fails the key-search verdict of chapter 8" in weak
    assert "192-bit key" in weak and "capped" not in weak
    strong = prose.state_guessing_verdict(159.0, 192)
    assert "2¹⁵⁹" in strong and "capped at the state's 159 bits" in strong and "does not beat" in strong
    assert "fails" not in prose.state_guessing_verdict(128.0, 192)


def test_nonce_attack_and_summaries_every_branch():
    failed = prose.nonce_attack(True, 49.98)
    assert "fails" in failed and failed.count(":") == 1
    assert "about 2⁵⁰ trials" in failed and "takes away" in failed and "not the chaos" not in failed
    resisted = prose.nonce_attack(True, 130.0)
    assert "about 2¹³⁰ trials" in resisted and "takes away" not in resisted and resisted.count(":") == 1
    assert "did not stop it" in prose.nonce_attack(False, 49.98)
    assert "falls to 3 chosen images" in prose.hopfield_summary(8, 8, 3, 1.0)
    assert "8 of 8 NIST rows" in prose.hopfield_summary(8, 8, 3, 1.0)
    assert "decrypts 50%" in prose.hopfield_summary(7, 8, 3, 0.5)
    weak = prose.nonce_summary(True, 49.98)
    assert "stops that attack, not a search" in weak and "2⁵⁰" in weak and "not the chaos" not in weak
    assert "the hash and the nonce do the work" in prose.nonce_summary(True, 140.0)
    assert "did not stop" in prose.nonce_summary(False, 49.98)
    assert prose.nonce_summary(True, 49.98).endswith("AES-GCM from a maintained library, with proper key management (chapter 2), is.")
    assert "within 1 dB for 128 of its 128 bits" in prose.anc_summary(128, 128)
    assert "at least 1 dB" in prose.anc_summary(0, 128)


def test_no_sentence_shows_a_raw_value():
    from medcrypt.book import proofread

    sentences = [prose.reported_psnr(100, [52.0, math.inf]), prose.flow_rounding([1.0], [1], [1.0], [math.inf]),
                 prose.nist_count(None, 0), prose.keystream_nist(8.0, 8.0, 25, 10**6, 40_000, 55),
                 prose.lyapunov_spectrum_sentence([0.6787542, -2.5255318, -7.8274921], 64, 1.2687569),
                 prose.state_entropy_sentence(19.92, (19.6, 20.25), (14, 28), 1.0706, -5.433, 51.309, (49.98, 52.63),
                                              200, 159, 1.2688),
                 prose.state_guessing_verdict(49.982119, 192), prose.nonce_summary(True, 49.98)]
    for sentence in sentences:
        assert not proofread.raw_values(sentence) and not proofread.float_counts(sentence)
