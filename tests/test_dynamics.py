"""medcrypt.dynamics: Lyapunov spectra against known maps, mantissa rounding, collision entropy, the Hopfield state."""

import math

import numpy as np
import pytest

from medcrypt import dynamics
from medcrypt.ciphers import get, hopfield


# ------------------------------------------------------------------ Lyapunov spectrum

def logistic_step(x):
    return 4.0 * x * (1.0 - x)


def logistic_jacobian(x):
    return (4.0 - 8.0 * x)[:, :, None]


def henon_step(x, a=1.4, b=0.3):
    return np.stack([1 - a * x[:, 0] ** 2 + x[:, 1], b * x[:, 0]], axis=1)


def henon_jacobian(x, a=1.4, b=0.3):
    rows = [np.stack([-2 * a * x[:, 0], np.ones(len(x))], axis=1), np.stack([np.full(len(x), b), np.zeros(len(x))], 1)]
    return np.stack(rows, axis=1)


def test_logistic_map_at_r_4_has_the_exponent_ln_2():
    starts = np.random.default_rng(0).uniform(0.1, 0.9, (16, 1))
    spectrum = dynamics.lyapunov_spectrum(logistic_step, logistic_jacobian, starts, iterations=4000, transient=100)
    assert spectrum.shape == (16, 1)
    assert abs(spectrum.mean() - math.log(2)) < 0.01


def test_linear_map_gives_the_logs_of_its_eigenvalues_sorted_and_a_single_start_gives_one_spectrum():
    rng = np.random.default_rng(1)
    basis = rng.normal(size=(3, 3))  # not orthogonal: the eigenvectors are skewed
    matrix = basis @ np.diag([0.3, 1.5, -0.8]) @ np.linalg.inv(basis)
    spectrum = dynamics.lyapunov_spectrum(lambda x: x @ matrix.T, lambda x: np.broadcast_to(matrix, (len(x), 3, 3)),
                                          rng.normal(size=3), iterations=300, transient=0)
    assert spectrum.shape == (3,)
    assert np.allclose(spectrum, np.log([1.5, 0.8, 0.3]), atol=0.02)


def test_henon_map_exponents_sum_to_ln_b_and_the_largest_is_the_published_one():
    starts = np.random.default_rng(2).uniform(-0.1, 0.1, (16, 2))
    spectrum = dynamics.lyapunov_spectrum(henon_step, henon_jacobian, starts, iterations=4000, transient=200)
    assert np.allclose(spectrum.sum(axis=1), math.log(0.3), atol=1e-9)  # |det J| = b at every point
    assert abs(spectrum[:, 0].mean() - 0.419) < 0.01  # 0.4192 (Sprott, Chaos and Time-Series Analysis, 2003)
    assert abs(dynamics.kaplan_yorke_dimension(spectrum.mean(axis=0)) - 1.26) < 0.01


def test_kaplan_yorke_dimension_follows_the_formula():
    # j = 2 (0.5 − 0.2 ≥ 0, 0.5 − 0.2 − 1.0 < 0): 2 + 0.3 / 1.0
    assert dynamics.kaplan_yorke_dimension([0.5, -0.2, -1.0]) == pytest.approx(2.3)
    assert dynamics.kaplan_yorke_dimension([-1.0, 0.5, -0.2]) == pytest.approx(2.3)  # order does not matter
    assert dynamics.kaplan_yorke_dimension([0.68, -2.52, -7.83]) == pytest.approx(1 + 0.68 / 2.52)
    assert dynamics.kaplan_yorke_dimension([-0.1, -0.5]) == 0.0  # a stable fixed point
    assert dynamics.kaplan_yorke_dimension([0.2, 0.0, -0.1]) == 3.0  # no volume contraction: fills the space


def test_the_hopfield_map_is_chaotic_and_strongly_dissipative():
    starts = np.random.default_rng(3).uniform(-1, 1, (8, 3))
    spectrum = dynamics.lyapunov_spectrum(lambda x: hopfield.step(x, hopfield.WEIGHTS), hopfield.jacobian, starts,
                                          iterations=1500, transient=200)
    assert np.all(spectrum[:, 0] > 0) and np.all(spectrum[:, 1:] < 0)
    assert np.allclose(spectrum[:, 0], hopfield.largest_lyapunov(hopfield.WEIGHTS, starts, 1500, 200), atol=0.03)
    assert 1 < dynamics.kaplan_yorke_dimension(spectrum.mean(axis=0)) < 2


# ------------------------------------------------------------------ finite precision

def test_round_mantissa_at_24_bits_is_float32_rounding():
    rng = np.random.default_rng(4)
    x = np.concatenate([rng.normal(size=10_000) * 10.0 ** rng.integers(-30, 30, 10_000), [0.0, -0.0, 1.0, -3.5]])
    assert np.array_equal(dynamics.round_mantissa(x, 24), x.astype(np.float32).astype(np.float64))


def test_round_mantissa_rounds_to_nearest_with_ties_to_even_and_carries_into_the_exponent():
    assert dynamics.round_mantissa(np.array([1 + 2.0**-10]), 10)[0] == 1.0  # tie: to the even 1.0
    assert dynamics.round_mantissa(np.array([1 + 3 * 2.0**-10]), 10)[0] == 1 + 2.0**-8  # tie: to the even 1 + 2⁻⁸
    assert dynamics.round_mantissa(np.array([-(1 + 2.0**-9 + 2.0**-12)]), 10)[0] == -(1 + 2.0**-9)
    assert dynamics.round_mantissa(np.array([2 - 2.0**-20]), 10)[0] == 2.0
    x = np.random.default_rng(5).normal(size=100)
    assert np.array_equal(dynamics.round_mantissa(x, 53), x)
    four_bits = np.unique(dynamics.round_mantissa(np.linspace(1, 2, 10_000, endpoint=False), 4))
    assert np.array_equal(four_bits, 1 + np.arange(9) / 8)  # 1, 1.125, …, 1.875, and 2 for the top sixteenth


# ------------------------------------------------------------------ collision entropy

@pytest.mark.parametrize("k", [6, 12])
def test_collision_entropy_of_a_uniform_distribution_on_2_to_the_k_values_is_k_bits(k):
    values = np.random.default_rng(k).integers(0, 2**k, 4000)
    measured = dynamics.collision_entropy(values)
    assert measured.low <= k <= measured.high and abs(measured.bits - k) < 0.3
    assert measured.samples == 4000 and measured.pairs > 0


def test_collision_entropy_of_a_skewed_distribution_and_of_rows():
    rng = np.random.default_rng(7)
    p = np.array([0.5, 0.25, 0.25])  # Σp² = 0.375
    measured = dynamics.collision_entropy(rng.choice(3, 5000, p=p))
    assert measured.bits == pytest.approx(-math.log2(0.375), abs=0.05)  # about 3.7 standard errors
    rows = np.array([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    assert dynamics.colliding_pairs(rows) == 3  # three equal rows: three pairs


def test_collision_entropy_without_collisions_is_a_lower_bound():
    measured = dynamics.collision_entropy(np.arange(100))
    assert measured.pairs == 0 and math.isinf(measured.high) and measured.bits == measured.low > 0


# ------------------------------------------------------------------ the Hopfield state

def test_the_emulated_hopfield_machine_at_24_bits_matches_real_float32_arithmetic():
    rng = np.random.default_rng(8)
    starts = rng.uniform(-1, 1, (6000, 3))
    emulated = dynamics.collision_entropy(dynamics.final_states(dynamics.hopfield_step_at(24), starts, 200, 24))
    native = dynamics.collision_entropy(dynamics.final_states(dynamics.hopfield_step_at(None),
                                                              starts.astype(np.float32), 200))
    assert native.low < emulated.high and emulated.low < native.high


@pytest.fixture(scope="module")
def small_run():
    return dynamics.state_entropy(np.random.default_rng(9), mantissas=(14, 16, 18, 20, 22), target_pairs=32)


def test_hopfield_state_entropy_grows_with_the_mantissa_and_stays_far_below_128_bits_at_float64(small_run):
    bits = [point.bits for point in small_run.points]
    assert bits == sorted(bits) and bits[-1] > bits[0] + 6
    assert 0.8 < small_run.slope < 1.4  # about one bit per bit: a thin attractor of dimension little above one
    assert small_run.float64_low <= small_run.float64_bits <= small_run.float64_high
    assert small_run.float64_high < 100  # the property the key-search verdict relies on
    assert small_run.guessing_bits == small_run.float64_low < 128
    assert small_run.float32.pairs > 0 and small_run.float32.bits < small_run.line(24) + 2
    assert len(small_run.points) == len(small_run.mantissa_bits) == 5


def test_state_entropy_needs_three_points_and_caps_the_guess_at_the_state_size():
    with pytest.raises(ValueError, match="three mantissas"):
        dynamics.state_entropy(np.random.default_rng(0), mantissas=(14, 16))
    # The identity keeps every start: about one bit per mantissa bit, and a guess capped by the state's size.
    run = dynamics.state_entropy(np.random.default_rng(10), mantissas=(6, 7, 8, 9), target_pairs=64, transient=1,
                                 step_at=lambda bits: (lambda x: x), dim=1, state_bits=9, extrapolate_to=10)
    assert run.slope == pytest.approx(1.0, abs=0.2)
    assert run.float64_low > 9 and run.guessing_bits == 9


def test_state_guessing_bits_of_the_nonce_cipher_is_below_128():
    bits = get("chaos-hopfield-nonce").state_guessing_bits()
    assert 0 < bits < 128
    assert get("chaos-hopfield").state_guessing_bits() == bits == hopfield.measured_state_entropy().guessing_bits
