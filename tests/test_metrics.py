import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import special, stats

from medcrypt import metrics
from medcrypt.ciphers import get

from conftest import smooth_phantoms


def uniform(shape, seed):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


# ---------------------------------------------------------------- NPCR / UACI (Wu, Noonan & Agaian 2011)

def test_npcr_and_uaci_expectations_are_255_256_and_257_768():
    assert metrics.npcr_expected() == float(Fraction(255, 256))
    assert metrics.uaci_expected() == pytest.approx(float(Fraction(257, 768)), abs=1e-15)


def test_npcr_uaci_moments_match_simulated_random_cipher_pairs():
    n = 4000
    a, b = uniform((n, 32, 32), 1), uniform((n, 32, 32), 2)
    d = metrics.npcr_uaci(a, b)
    t = 32 * 32
    assert d.npcr.mean == pytest.approx(metrics.npcr_expected(), abs=4 * metrics.npcr_std(t) / math.sqrt(n))
    assert d.uaci.mean == pytest.approx(metrics.uaci_expected(), abs=4 * metrics.uaci_std(t) / math.sqrt(n))
    assert np.std(d.npcr.per_image) == pytest.approx(metrics.npcr_std(t), rel=0.06)
    assert np.std(d.uaci.per_image) == pytest.approx(metrics.uaci_std(t), rel=0.06)


def test_critical_values_follow_the_formulas():
    t = 256 * 256
    for alpha in (0.05, 0.01, 0.001):
        z1, z2 = stats.norm.ppf(1 - alpha), stats.norm.ppf(1 - alpha / 2)
        assert metrics.npcr_critical(t, alpha) == pytest.approx(255 / 256 - z1 * math.sqrt(255 / t) / 256)
        sigma = math.sqrt(257 * (255**2 + 2 * 255 + 3) / (18 * 256**2 * 255 * t))
        low, high = metrics.uaci_critical(t, alpha)
        assert (low, high) == pytest.approx((257 / 768 - z2 * sigma, 257 / 768 + z2 * sigma))
    # Stricter levels lower the NPCR bar and widen the UACI interval; bigger images tighten both.
    assert metrics.npcr_critical(t, 0.001) < metrics.npcr_critical(t, 0.05) < metrics.npcr_expected()
    assert metrics.npcr_critical(28 * 28) < metrics.npcr_critical(t)


def test_uaci_test_rejects_about_alpha_of_random_pairs():
    n = 6000
    d = metrics.npcr_uaci(uniform((n, 64, 64), 3), uniform((n, 64, 64), 4))
    assert 1 - d.uaci_pass_rate(0.05) == pytest.approx(0.05, abs=0.012)


def test_exact_npcr_null_pass_rate_matches_simulation_at_28x28():
    n = 6000
    d = metrics.npcr_uaci(uniform((n, 28, 28), 5), uniform((n, 28, 28), 6))
    exact = metrics.npcr_null_pass_rate(28 * 28)
    assert d.npcr_pass_rate() == pytest.approx(exact, abs=0.015)
    assert exact < 0.93  # the normal approximation promises 0.95 but small images fall short
    assert metrics.npcr_null_pass_rate(256 * 256) == pytest.approx(0.95, abs=0.01)


def test_npcr_uaci_extremes():
    zeros, full = np.zeros((2, 8, 8), np.uint8), np.full((2, 8, 8), 255, np.uint8)
    same = metrics.npcr_uaci(zeros, zeros)
    assert same.npcr.pooled == 0 and same.uaci.pooled == 0
    opposite = metrics.npcr_uaci(zeros, full)
    assert opposite.npcr.pooled == 1 and opposite.uaci.pooled == 1
    with pytest.raises(ValueError, match="one shape"):
        metrics.npcr_uaci(zeros, full[:1])


def test_one_pixel_change_changes_exactly_one_value_by_one():
    images = uniform((10, 28, 28, 3), 7)
    changed = metrics.one_pixel_change(images, np.random.default_rng(0))
    diff = (changed.astype(int) - images.astype(int)) % 256
    assert changed.shape == images.shape
    assert (np.count_nonzero(diff.reshape(10, -1), axis=1) == 1).all()
    assert set(np.unique(diff)) == {0, 1}


# ---------------------------------------------------------------- histogram

def test_entropy_of_flat_and_constant_images():
    flat = np.arange(256, dtype=np.uint8).reshape(1, 16, 16)
    assert metrics.entropy(flat).pooled == pytest.approx(8.0)
    assert metrics.entropy(np.zeros((1, 16, 16), np.uint8)).pooled == 0.0
    two_levels = np.array([[[0, 255], [255, 0]]], np.uint8)
    assert metrics.entropy(two_levels).pooled == pytest.approx(1.0)


def test_expected_entropy_matches_monte_carlo_at_28x28():
    sim = metrics.entropy(uniform((3000, 28, 28), 8))
    assert sim.mean == pytest.approx(metrics.expected_entropy(784), abs=0.002)
    assert metrics.expected_entropy(784) < 7.8  # far below 8: the small-image bias


def test_expected_entropy_agrees_with_the_evidence_simulation():
    # shared/literature/evidence.md §0: 200 random images gave about 7.9972 (256x256)
    # and 7.9993 (512x512); the exact expectation must agree to that precision.
    assert metrics.expected_entropy(256 * 256) == pytest.approx(7.9972, abs=1e-4)
    assert metrics.expected_entropy(512 * 512) == pytest.approx(7.9993, abs=1e-4)


def test_chi_square_against_uniform():
    flat = np.tile(np.arange(256, dtype=np.uint8), (2, 1)).reshape(2, 16, 16)
    result = metrics.chi_square(flat)
    assert result.statistic.pooled == 0 and result.p_value.pooled == pytest.approx(1.0)
    assert metrics.chi_square(smooth_phantoms()).p_value.pooled < 1e-12
    noise = metrics.chi_square(uniform((2000, 28, 28), 9))
    assert noise.statistic.pooled == pytest.approx(stats.chi2.isf(noise.p_value.pooled, 255))
    assert 0.9 < noise.pass_rate(0.05) < 0.99


def test_histograms_count_every_pixel_per_image():
    images = uniform((5, 28, 28, 3), 10)
    counts = metrics.histograms(images)
    assert counts.shape == (5, 256) and (counts.sum(axis=1) == 28 * 28 * 3).all()
    assert np.array_equal(counts[2], np.bincount(images[2].ravel(), minlength=256))


# ---------------------------------------------------------------- correlation

def test_correlation_matches_numpy_and_separates_smooth_from_random():
    images = smooth_phantoms(8)
    for direction in metrics.DIRECTIONS:
        a, b = metrics.adjacent_pairs(images, direction)
        r = metrics.correlation(images, direction)
        assert r.per_image[3] == pytest.approx(np.corrcoef(a[3], b[3])[0, 1])
        assert r.pooled == pytest.approx(np.corrcoef(a.ravel(), b.ravel())[0, 1])
        assert r.pooled > 0.8
        assert abs(metrics.correlation(uniform((200, 28, 28), 11), direction).pooled) < 0.01
    assert np.isnan(metrics.correlation(np.zeros((1, 8, 8), np.uint8), "vertical").per_image[0])
    with pytest.raises(ValueError, match="direction"):
        metrics.correlation(images, "sideways")


# ---------------------------------------------------------------- fidelity

def test_fidelity_measures():
    x = uniform((4, 28, 28), 12)
    assert metrics.psnr(x, x).pooled == math.inf and metrics.ssim(x, x).mean == pytest.approx(1.0)
    off_by_one = np.where(x < 255, x + 1, x - 1).astype(np.uint8)
    assert metrics.mse(x, off_by_one) == pytest.approx(np.ones(4))
    assert metrics.psnr(x, off_by_one).pooled == pytest.approx(20 * math.log10(255))
    assert metrics.bit_exact_rate(x, off_by_one) == 0
    half = x.copy()
    half[:2] = off_by_one[:2]
    assert metrics.bit_exact_rate(x, half) == 0.5
    assert metrics.ssim(x, uniform((4, 28, 28), 13)).mean < 0.1


# ---------------------------------------------------------------- NIST SP 800-22 in the suite

def test_bitstream_is_int64_msb_first():
    bits = metrics.bitstream(np.array([[[0b10000001]]], np.uint8))
    assert bits.dtype == np.int64 and bits.tolist() == [1, 0, 0, 0, 0, 0, 0, 1]


def test_nist_summary_counts_calibrated_and_section4_rows():
    random_bits = metrics.bitstream(uniform((1, 1000, 400), 18))  # 3.2 Mbit: 80 sequences
    row = metrics.nist_summary(metrics.nist_report(random_bits))
    assert row["nist_sequences"] == 80 and row["nist_sequence_bits"] == metrics.NIST_SEQUENCE_BITS
    assert row["nist_run"] == 8 and row["nist_passed"] == 8 and row["nist_uniformity_tested"]
    biased = (np.random.default_rng(1).random(3_200_000) < 0.52).astype(np.int64)
    worse = metrics.nist_summary(metrics.nist_report(biased))
    assert worse["nist_passed"] < 8 and worse["nist_frequency_proportion"] < 0.5
    assert row["nist_failed_rows"] == "" and "frequency (monobit)" in worse["nist_failed_rows"].split("; ")
    assert len(worse["nist_failed_rows"].split("; ")) == 8 - worse["nist_passed"]


def test_the_calibrated_nist_rule_tolerates_what_a_perfect_generator_does():
    """One unlucky row (96 of 100 passing: probability 1.8 % for a perfect generator) is a §4.2.1 failure
    but not a calibrated one at 1 %."""
    from medcrypt import nist

    row = nist.NistRow("x", "", "", tuple([0.5] * 96 + [0.001] * 4), 0.96, *nist.proportion_interval(100), False,
                       (10,) * 10, None, None)
    report = nist.NistReport(40_000, 100, 0.01, (row,), ())
    assert not report.passed and report.calibrated(0.01)["x"]
    awful = nist.NistRow("y", "", "", tuple([0.5] * 80 + [0.001] * 20), 0.80, *nist.proportion_interval(100), False,
                         (10,) * 10, None, None)
    assert not nist.NistReport(40_000, 100, 0.01, (awful,), ()).calibrated(0.01)["y"]


# ---------------------------------------------------------------- the whole suite

def test_aes_passes_the_suite_on_real_xrays(xrays):
    aes = get("aes-ctr", unsafe_test_nonce_seed=0)
    row = metrics.evaluate(aes, xrays, aes.keygen(seed=0), seed=0)
    n = len(xrays)
    assert row["entropy_per_image"] == pytest.approx(row["entropy_expected_per_image"], abs=0.02)
    assert row["entropy_pooled"] == pytest.approx(row["entropy_expected_pooled"], abs=0.01)
    assert row["chi2_p_pooled"] > 0.001
    assert all(abs(row[f"corr_{d}_pooled"]) < 0.02 for d in "hvd")
    assert row["npcr"] > metrics.npcr_critical(784 * n) and row["key_npcr"] > metrics.npcr_critical(784 * n)
    low, high = metrics.uaci_critical(784 * n)
    assert low < row["uaci"] < high
    assert row["npcr_pass_rate"] > 0.8 and row["uaci_pass_rate"] > 0.85
    assert row["bit_exact_rate"] == 1.0 and row["decrypt_psnr"] == math.inf
    assert row["wrong_key_psnr"] < 12 and abs(row["wrong_key_ssim"]) < 0.1
    assert row["nist_sequences"] == len(xrays) * 784 * 8 // metrics.NIST_SEQUENCE_BITS
    assert row["nist_passed"] == row["nist_run"] == 8


def test_identity_fails_the_suite(phantoms):
    identity = get("identity")
    row = metrics.evaluate(identity, phantoms, identity.keygen())
    assert row["entropy_per_image"] < row["entropy_expected_per_image"] - 0.5
    assert row["chi2_p_pooled"] < 1e-6 and row["chi2_pass_rate"] == 0
    assert row["corr_h_pooled"] > 0.8
    assert row["npcr"] < 0.01 and row["npcr_pass_rate"] == 0 and row["key_npcr"] == 0
    assert row["wrong_key_psnr"] == math.inf  # a "wrong" key reveals the plaintext
    assert row["nist_passed"] < row["nist_run"]


def test_nonce_reuse_passes_per_image_statistics_but_fails_the_differential_test(phantoms):
    bad = get("aes-ctr-nonce-reuse")
    row = metrics.evaluate(bad, phantoms, bad.keygen(seed=1), nist=False)
    assert row["entropy_per_image"] == pytest.approx(row["entropy_expected_per_image"], abs=0.05)
    assert row["chi2_pass_rate"] > 0.8
    assert row["npcr"] < 0.01 and row["npcr_pass_rate"] == 0
    assert row["chi2_p_pooled"] < 1e-6  # pooling over positions exposes the shared key-stream
    assert "nist_passed" not in row


def test_evaluate_rejects_bad_input():
    with pytest.raises(ValueError, match="uint8"):
        metrics.evaluate(get("identity"), np.zeros((2, 28, 28)), b"")


def test_measure_throughput_reports_positive_rates():
    rates = metrics.measure_throughput(get("aes-ctr"), uniform((50, 28, 28), 20), bytes(32), repeats=2)
    assert set(rates) == {"encrypt_images_per_s", "decrypt_images_per_s", "encrypt_mb_per_s", "decrypt_mb_per_s"}
    assert all(v > 0 for v in rates.values())
    assert rates["encrypt_mb_per_s"] == pytest.approx(rates["encrypt_images_per_s"] * 784 / 1e6)


def test_a_statistic_defined_for_no_image_is_nan_without_a_warning():
    """A constant image has no correlation; its mean must not print NumPy's 'Mean of empty slice' to readers."""
    import warnings

    stat = metrics.Stat(per_image=np.array([np.nan, np.nan]), pooled=float("nan"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(stat.mean) and np.isnan(stat.std)
    assert metrics.Stat(per_image=np.array([1.0, np.nan, 3.0]), pooled=2.0).mean == 2.0
