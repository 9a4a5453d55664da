"""Security notions and verdict rules: IND-CPA, the algebraic known-plaintext attack, the key audit, GCM
associated data, the exact null pass rates and the rules of chapter 8's summary.

Every rule is tested with a cipher built to fail it (and, where it can be arranged, only it)
and with a cipher that must pass it, so that dropping or inverting any rule fails a test.
"""

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from medcrypt.ciphers import chaos
from cryptography.hazmat.primitives.ciphers import Cipher as _Cipher, algorithms, modes

from medcrypt import metrics, verdicts, zoo
from medcrypt.attacks import AttackFailed
from medcrypt.attacks.algebraic import algebraic_attack, known_images_needed, recover_key
from medcrypt.attacks.chosen_plaintext import chosen_plaintext_gain
from medcrypt.attacks.ind_cpa import BATTERY, Advantage, ind_cpa, learned_distinguisher, repeat_query_adversary, strongest
from medcrypt.attacks.key_audit import audit_key, noise_mse
from medcrypt.attacks.sensitivity import sensitivity
from medcrypt.ciphers import AuthenticationError, CipherImages, available, get
from medcrypt.ciphers.base import check_images, flip_key_bit, seeded_key, trains

from conftest import smooth_phantoms


def random_images(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


def _ctr(key: bytes, nonce: bytes, data: bytes) -> bytes:
    ctx = _Cipher(algorithms.AES(key), modes.CTR(nonce)).encryptor()
    return ctx.update(data) + ctx.finalize()


class DeterministicPerfect:
    """Built to fail IND-CPA alone: AES-CTR whose nonce is a keyed hash of the image (deterministic, SIV-like).

    Its cipher images are uniform, one changed pixel changes the nonce and so every cipher
    pixel, every key bit matters, and nothing about it is linear, but the same image
    always gives the same cipher image.
    """

    name, family, lossless, key_bits = "test-deterministic", "baseline", True, 256

    def keygen(self, seed=None):
        return seeded_key(seed, 32)

    def flip_key_bit(self, key, bit):
        return flip_key_bit(key, bit)

    def encrypt(self, images, key):
        images = check_images(images, self.name)
        nonces = [hashlib.sha256(key + image.tobytes()).digest()[:16] for image in images]
        out = np.stack([np.frombuffer(_ctr(key, n, im.tobytes()), np.uint8).reshape(im.shape)
                        for n, im in zip(nonces, images)])
        return CipherImages(out, np.frombuffer(b"".join(nonces), np.uint8).reshape(len(images), 16))

    def decrypt(self, cipher, key):
        pixels = check_images(np.asarray(cipher), self.name, argument="cipher")
        return np.stack([np.frombuffer(_ctr(key, cipher.side[i].tobytes(), pixels[i].tobytes()), np.uint8)
                         .reshape(pixels.shape[1:]) for i in range(len(pixels))])


class BiasedUACI(DeterministicPerfect):
    """Built to pass NPCR and fail UACI: a keyed mask plus a per-image shift s(p) in 1..64 derived from the image.

    Changing one pixel changes s, which moves every cipher pixel (NPCR near 100 %) but only
    by a little (UACI far below 33.46 %).
    """

    name = "test-biased-uaci"

    def encrypt(self, images, key):
        images = check_images(images, self.name)
        mask = np.frombuffer(_ctr(key, bytes(16), bytes(images[0].size)), np.uint8).reshape(images.shape[1:])
        shifts = np.array([1 + hashlib.sha256(im.tobytes()).digest()[0] % 64 for im in images], np.uint8)
        out = images + mask + shifts.reshape(-1, *[1] * (images.ndim - 1))
        return CipherImages(out, shifts[:, None])

    def decrypt(self, cipher, key):
        pixels = check_images(np.asarray(cipher), self.name, argument="cipher")
        mask = np.frombuffer(_ctr(key, bytes(16), bytes(pixels[0].size)), np.uint8).reshape(pixels.shape[1:])
        return pixels - mask - cipher.side[:, 0].reshape(-1, *[1] * (pixels.ndim - 1))


class ShortKeyCTR(DeterministicPerfect):
    """Built to fail the key audit alone: AES-CTR with fresh nonces that claims 256 key bits but uses 64."""

    name = "test-short-key"

    def __init__(self):
        self._rng = np.random.default_rng(0)

    def _key(self, key):
        return key[:8] + bytes(24)

    def encrypt(self, images, key):
        images = check_images(images, self.name)
        nonces = self._rng.bytes(16 * len(images))
        out = np.stack([np.frombuffer(_ctr(self._key(key), nonces[16 * i:16 * i + 16], im.tobytes()), np.uint8)
                        .reshape(im.shape) for i, im in enumerate(images)])
        return CipherImages(out, np.frombuffer(nonces, np.uint8).reshape(len(images), 16))

    def decrypt(self, cipher, key):
        return super().decrypt(cipher, self._key(key))


@pytest.fixture(autouse=True)
def seeded_urandom(monkeypatch):
    """AES-GCM draws its nonces from os.urandom by design; seed it here so that no test can be flaky."""
    rng = np.random.default_rng(12345)
    monkeypatch.setattr("os.urandom", lambda n: rng.bytes(n))


@pytest.fixture(scope="module")
def images():
    return smooth_phantoms(120, seed=5)


# ------------------------------------------------------------------ IND-CPA

def test_repeat_query_wins_every_trial_against_a_deterministic_cipher(images):
    cipher = DeterministicPerfect()
    key = cipher.keygen(seed=0)
    result = repeat_query_adversary(lambda p: cipher.encrypt(p, key), images, trials=400, seed=1)
    assert result.wins == result.trials and result.advantage == 1.0
    assert result.interval()[0] > 0.95 and result.broken(1e-6)


@pytest.mark.parametrize("name", ["aes-ctr", "aes-gcm", "chaos-hopfield-nonce"])
def test_ciphers_with_fresh_nonces_sit_at_zero_advantage(images, name):
    cipher = zoo.build(name, images.shape[1:], seed=3)
    key = cipher.keygen(seed=3)
    results = ind_cpa(lambda p: cipher.encrypt(p, key), images, trials=500, seed=3, birthday_queries=4096)
    assert list(results) == list(BATTERY)
    for result in results.values():
        low, high = result.interval()
        assert low < 0.1 and high - low < 0.2, result  # tells 0 from 0.1
        assert not result.broken(0.001)


@pytest.mark.parametrize("name", ["aes-ecb", "chaos-logistic", "chaos-hopfield", "identity"])
def test_deterministic_registered_ciphers_have_advantage_one(images, name):
    cipher = get(name)
    key = cipher.keygen(seed=0)
    best = strongest(ind_cpa(lambda p: cipher.encrypt(p, key), images, trials=300, seed=0))
    assert best.advantage > 0.95 and best.interval()[0] > 0.9


def test_learned_distinguisher_catches_a_randomised_cipher_that_keeps_brightness(images):
    rng = np.random.default_rng(0)

    def leaky(p):  # fresh noise, but the noise only ever adds a little to the plaintext
        return (p.astype(np.int16) + rng.integers(0, 40, p.shape)).clip(0, 255).astype(np.uint8)

    assert repeat_query_adversary(leaky, images, trials=200).advantage < 0.2
    assert learned_distinguisher(leaky, images, trials=300, queries=100).advantage > 0.9


def test_advantage_interval_and_p_value():
    half = Advantage("x", 1000, 500)
    assert half.advantage == 0.0 and half.p_value > 0.4
    low, high = half.interval()
    assert -0.1 < low < -0.05 and 0.05 < high < 0.1
    assert Advantage("x", 100, 100).p_value == pytest.approx(2.0**-100)


def test_ind_cpa_rejects_bad_input():
    with pytest.raises(ValueError, match="at least 2"):
        ind_cpa(lambda p: p, random_images((1, 28, 28)))
    with pytest.raises(ValueError, match="different"):
        ind_cpa(lambda p: p, np.zeros((5, 28, 28), np.uint8))
    with pytest.raises(ValueError, match="uint8"):
        ind_cpa(lambda p: p, np.zeros((5, 28, 28)))


# ------------------------------------------------------------------ algebraic known-plaintext attack

@pytest.mark.parametrize("name", ["chaos-logistic", "chaos-hopfield"])
def test_algebraic_attack_breaks_permutation_diffusion_from_known_images(xrays, name):
    cipher = get(name)
    key = cipher.keygen(seed=7)
    encrypt = lambda p: cipher.encrypt(p, key)  # noqa: E731
    needed, tried = known_images_needed(encrypt, xrays[:64], xrays[100:])
    assert needed is not None and needed <= 16, tried
    result = algebraic_attack(encrypt, xrays[:needed], xrays[100:])
    assert result.structure == "chained diffusion" and result.bit_exact_rate == 1.0
    assert np.array_equal(result.reconstructions, xrays[100:]) and result.gain_db == np.inf


def test_algebraic_attack_reads_a_reused_key_stream_as_xor(images):
    cipher = get("aes-ctr-nonce-reuse")
    key = cipher.keygen(seed=0)
    result = algebraic_attack(lambda p: cipher.encrypt(p, key), random_images((3, 28, 28)), images)
    assert result.structure == "permutation + XOR" and result.bit_exact_rate == 1.0


@pytest.mark.parametrize("name", ["aes-ctr", "aes-gcm", "chaos-hopfield-nonce", "aes-ecb"])
def test_algebraic_attack_fails_cleanly_where_the_structure_does_not_fit(images, name):
    cipher = zoo.build(name, images.shape[1:], seed=1)
    key = cipher.keygen(seed=1)
    with pytest.raises(AttackFailed, match="no algebraic structure"):
        algebraic_attack(lambda p: cipher.encrypt(p, key), images[:20], images[20:40])


def test_algebraic_attack_rejects_ciphertexts_of_another_shape(images):
    with pytest.raises(AttackFailed):
        recover_key(images[:4], images[:4, :5], "chained diffusion")
    with pytest.raises(ValueError, match="at least 2"):
        algebraic_attack(lambda p: p, images[:1], images)


# ------------------------------------------------------------------ chosen plaintext

def test_chosen_plaintext_gain_is_exact_for_chaos_and_none_for_aes(images):
    chaos = get("chaos-logistic")
    key = chaos.keygen(seed=0)
    guess = images.mean(axis=0).round()
    assert chosen_plaintext_gain(lambda p: chaos.encrypt(p, key), images, guess) == (np.inf, 3)
    aes = get("aes-ctr")
    assert chosen_plaintext_gain(lambda p: aes.encrypt(p, key), images, guess) is None


# ------------------------------------------------------------------ key audit

def test_noise_mse_matches_simulation():
    plain = smooth_phantoms(1, seed=3)
    mean, sd = noise_mse(plain)
    rng = np.random.default_rng(0)
    simulated = [metrics.mse(plain, rng.integers(0, 256, plain.shape, dtype=np.uint8))[0] for _ in range(2000)]
    assert np.mean(simulated) == pytest.approx(mean, rel=0.01)
    assert np.std(simulated) == pytest.approx(sd, rel=0.1)


def test_every_bit_of_aes_matters(images):
    audit = audit_key(get("aes-ctr"), images[:8], bytes(range(32)))
    assert audit.exhaustive and audit.effective_bits == 256 and audit.all_matter and audit.passed()


def test_audit_finds_claimed_bits_that_do_not_matter(images):
    audit = audit_key(ShortKeyCTR(), images[:8], bytes(range(32)))
    assert audit.effective_bits == 64 and not audit.all_matter and not audit.passed()
    assert verdicts.key_audit(256, {"bit flips": audit.strength_bits}).passed is False


def test_audit_finds_the_separable_permutation_key_of_the_logistic_cipher(images):
    cipher = get("chaos-logistic")
    audit = audit_key(cipher, images[:8], cipher.keygen(seed=0))
    assert audit.separable_bits == cipher.separable_key_bits == 128
    assert audit.effective_bits == 128 and audit.strength_bits == pytest.approx(129.0)
    assert audit.passed()  # the flips alone see 129 bits: weakened by half its key length, still above 128...
    from medcrypt.attacks import suite

    row = pd.Series({**audit.to_dict(), "search_n_keys": None, "search_passed": None,
                     "schedule_bits": chaos.divide_and_conquer_bits(cipher.key_schedule_bits()),
                     "state_guessing_bits": None})
    cell = suite.key_audit_verdict(row)  # ...but the key schedule's floats hold less, and the verdict credits that
    assert cell.passed is False and "key schedule" in cell.figure


def test_a_cipher_without_key_fails_the_audit(images):
    audit = audit_key(get("identity"), images[:8], b"")
    assert audit.effective_bits == 0 and not verdicts.key_audit(0, {"bit flips": 0.0}).passed


def test_audit_samples_at_least_128_bits():
    with pytest.raises(ValueError, match="128"):
        audit_key(get("aes-ctr"), random_images((2, 28, 28)), bytes(32), max_bits=64)


@pytest.mark.parametrize("name", [n for n in available() if not trains(n)])
def test_registered_key_claims_hold(name, images):
    """Every fixed cipher's claimed bits matter, or are declared separable (and then found so); a cipher that declares
    that a wrong key keeps the image's content (learnable encryption) must show it in the audit."""
    cipher = get(name)
    # At the audit's default α a sound cipher loses one of its bits with probability α (a chance low MSE);
    # a bit that does nothing decrypts exactly, far beyond any level, so a small α costs no power here.
    audit = audit_key(cipher, images[:8], cipher.keygen(seed=11), alpha=1e-3)
    declared = getattr(cipher, "separable_key_bits", 0)
    assert audit.separable_bits == declared
    if getattr(cipher, "wrong_key_keeps_content", False):
        assert audit.effective_bits < cipher.key_bits // 2
    else:
        assert audit.effective_bits + audit.separable_bits == cipher.key_bits


# ------------------------------------------------------------------ AES-GCM associated data

def test_gcm_binds_each_image_to_its_identifier(images):
    gcm = get("aes-gcm")
    key = gcm.keygen(seed=0)
    ids = ["1.2.840.1", "1.2.840.2", "1.2.840.3"]
    sealed = gcm.encrypt(images[:3], key, identifiers=ids)
    assert np.array_equal(gcm.decrypt(sealed, key, identifiers=ids), images[:3])
    swapped = sealed[[1, 0, 2]]  # patients 0 and 1 exchange cipher images
    with pytest.raises(AuthenticationError, match="2 of 3"):
        gcm.decrypt(swapped, key, identifiers=ids)
    with pytest.raises(AuthenticationError, match="1 of 1"):
        gcm.decrypt(sealed[:1], key, identifiers=["1.2.840.9"])
    with pytest.raises(AuthenticationError):
        gcm.decrypt(sealed, key)  # without the identifiers the tags do not verify either


def test_gcm_without_identifiers_cannot_detect_a_swap(images):
    gcm = get("aes-gcm")
    key = gcm.keygen(seed=0)
    sealed = gcm.encrypt(images[:2], key)
    assert np.array_equal(gcm.decrypt(sealed[[1, 0]], key), images[[1, 0]])


@pytest.mark.parametrize("ids, message", [("1.2.3", "sequence"), (["a"], "2 identifiers"), (["a", ""], "non-empty")])
def test_gcm_rejects_bad_identifiers(images, ids, message):
    gcm = get("aes-gcm")
    if message == "2 identifiers":
        message = "1 identifiers for 2"
    with pytest.raises(ValueError, match=message):
        gcm.encrypt(images[:2], gcm.keygen(seed=0), identifiers=ids)


# ------------------------------------------------------------------ exact null pass rates

def test_uaci_null_pass_rate_matches_simulation():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (40_000, 784), dtype=np.int16)
    b = rng.integers(0, 256, (40_000, 784), dtype=np.int16)
    uaci = np.abs(a - b).mean(axis=1) / 255
    low, high = metrics.uaci_critical(784)
    simulated = np.mean((uaci >= low) & (uaci <= high))
    assert metrics.uaci_null_pass_rate(784) == pytest.approx(simulated, abs=0.004)


def test_uaci_null_is_normal_for_large_images():
    exact = metrics.uaci_null_pass_rate(metrics.EXACT_UACI_MAX_PIXELS)
    assert exact == pytest.approx(0.95, abs=0.002)
    assert metrics.uaci_null_pass_rate(224 * 224) == pytest.approx(0.95, abs=1e-6)


# ------------------------------------------------------------------ the sensitivity rules

def test_sensitivity_rule_fails_a_biased_uaci_with_ideal_npcr(images):
    cipher = BiasedUACI()
    result = sensitivity(cipher, images[:100], cipher.keygen(seed=0), seed=0, level=0.001)
    assert result["plaintext_npcr_passed"] and not result["plaintext_uaci_passed"]
    verdict = verdicts.sensitivity(result["plaintext_npcr_p"], result["plaintext_uaci_p"], result["plaintext_npcr"],
                                   result["plaintext_uaci"], 0.001)
    assert not verdict.passed


def test_sensitivity_rule_fails_a_low_npcr(images):
    cipher = get("aes-ctr-nonce-reuse")
    result = sensitivity(cipher, images[:100], cipher.keygen(seed=0), seed=0, level=0.001)
    assert not result["plaintext_npcr_passed"]
    assert not verdicts.sensitivity(result["plaintext_npcr_p"], result["plaintext_uaci_p"], 0.0, 0.0, 0.001).passed


def test_sensitivity_rules_pass_aes_ctr(images):
    cipher = get("aes-ctr", unsafe_test_nonce_seed=0)
    result = sensitivity(cipher, images[:100], cipher.keygen(seed=0), seed=0, level=0.001)
    for prefix in ("plaintext", "key"):
        verdict = verdicts.sensitivity(result[f"{prefix}_npcr_p"], result[f"{prefix}_uaci_p"],
                                       result[f"{prefix}_npcr"], result[f"{prefix}_uaci"], 0.001)
        assert verdict.passed, (prefix, result)


def test_deterministic_perfect_cipher_fails_ind_cpa_alone(images):
    """The other fast rules pass it: only the formal notion catches it."""
    cipher = DeterministicPerfect()
    key = cipher.keygen(seed=0)
    encrypt = lambda p: cipher.encrypt(p, key)  # noqa: E731
    games = ind_cpa(encrypt, images, trials=300)
    cpa = verdicts.ind_cpa({k: v.p_value for k, v in games.items()},
                           {k: (v.advantage, *v.interval()) for k, v in games.items()}, 0.001)
    assert not cpa.passed
    sens = sensitivity(cipher, images[:100], key, seed=0, level=0.001)
    assert sens["plaintext_passed"] and sens["key_passed"]
    assert audit_key(cipher, images[:8], key).passed()
    with pytest.raises(AttackFailed):
        algebraic_attack(encrypt, images[:20], images[20:])
    assert chosen_plaintext_gain(encrypt, images, images.mean(0).round()) is None
    assert verdicts.chosen_plaintext({}).passed is None  # no attack applies: n/a, never a pass


def test_ind_cpa_rule_passes_when_no_adversary_wins():
    p_values = {"repeat query": 0.6, "learned distinguisher": 0.2}
    advantages = {"repeat query": (-0.01, -0.1, 0.08), "learned distinguisher": (0.03, -0.06, 0.12)}
    passed = verdicts.ind_cpa(p_values, advantages, 0.001, queries=65536)
    assert passed.passed and "no adversary in the battery won" in passed.figure and "0.12" in passed.figure
    assert "secure" not in passed.figure  # worded as what was shown, never as a proof
    failed = verdicts.ind_cpa({**p_values, "learned distinguisher": 1e-5}, advantages, 0.001)
    assert not failed.passed and "learned distinguisher" in failed.figure


# ------------------------------------------------------------------ the other rules

def test_known_plaintext_rule_takes_the_best_attack():
    broken = verdicts.known_plaintext([-3.0, -2.5, -3.1], np.inf, "chained diffusion", 6)
    assert not broken.passed and "algebraic" in broken.figure and "6 known images" in broken.figure
    learned = verdicts.known_plaintext([-3.0, 4.0, 0.5], None)  # the worst seed decides
    assert not learned.passed and "learned" in learned.figure
    assert verdicts.known_plaintext([-3.0, 0.9], None).passed


def test_chosen_plaintext_rule():
    broken = verdicts.chosen_plaintext({"equivalent key": (-2.0, 3), "key-stream": (np.inf, 2)})
    assert broken.passed is False and "key-stream" in broken.figure  # the best attack decides
    not_applicable = verdicts.chosen_plaintext({})
    assert not_applicable.passed is None and str(not_applicable).startswith("n/a")
    assert verdicts.chosen_plaintext({"codebook": (-2.0, 300)}).passed is True


@pytest.mark.parametrize("chosen", [{}, {"codebook": (-2.0, 300)}], ids=["none applies", "none wins"])
def test_a_cipher_broken_by_known_plaintext_fails_the_chosen_plaintext_column_too(chosen):
    # A chosen-plaintext adversary may choose the known images: "pass" or "n/a" there would read as strength.
    known = verdicts.known_plaintext([-3.0], np.inf, "permutation + XOR", 6)
    cell = verdicts.chosen_plaintext(chosen, known=known)
    assert cell.passed is False and "known-plaintext attack won" in cell.figure
    held = verdicts.known_plaintext([-3.0, 0.9], None)
    assert verdicts.chosen_plaintext(chosen, known=held).passed is (None if not chosen else True)
    own = verdicts.chosen_plaintext({"key-stream": (np.inf, 2)}, known=known)
    assert own.passed is False and "key-stream" in own.figure  # its own win is reported when it has one


def test_chosen_ciphertext_rule():
    assert verdicts.chosen_ciphertext(50, 0).passed
    assert not verdicts.chosen_ciphertext(50, 1).passed
    with pytest.raises(ValueError):
        verdicts.chosen_ciphertext(0, 0)


def test_an_inapplicable_column_is_not_a_pass():
    row = {column: verdicts.Verdict(True, "ok") for column in verdicts.COLUMNS}
    cells = {"good": row, "unknown": {**row, "chosen plaintext": verdicts.chosen_plaintext({})}}
    passed = verdicts.passed_every_attack(cells)
    assert passed["good"] and not passed["unknown"]
    assert not verdicts.failed_some_attack(cells).any()  # n/a is not a FAIL either
    assert verdicts.failed_columns(cells, "unknown") == [] and verdicts.failed_columns(None, "good") == []


def test_verdicts_are_objects_that_survive_a_results_file():
    cell = verdicts.ind_cpa({"birthday (seed 0)": 1e-9}, {"birthday": (0.6, 0.5, 0.7)}, level=1e-3)
    assert (cell.passed, cell.reason, cell.level) == (False, "birthday", 1e-3)
    stored = json.loads(json.dumps({"c": {"IND-CPA": cell.to_dict()}}))
    assert verdicts.cells_from_dicts(stored)["c"]["IND-CPA"] == cell
    assert verdicts.Verdict.from_dict({"passed": None, "figure": "none applies"}).state == "n/a"  # older files


def test_diagnosis_rule_fails_on_any_significant_seed():
    assert not verdicts.diagnosis_leak([0.5, 0.93], [0.4, 1e-9], 0.001).passed
    assert verdicts.diagnosis_leak([0.52, 0.48], [0.3, 0.7], 0.001).passed


def test_key_audit_rule_credits_the_smallest_bound():
    assert verdicts.key_audit(256, {"bit flips": 256.0}).passed
    assert verdicts.key_audit(128, {"bit flips": 128.0}).passed
    assert not verdicts.key_audit(128, {"bit flips": 127.0}).passed
    schedule = verdicts.key_audit(256, {"bit flips": 129.0, "key schedule": 98.0})
    assert not schedule.passed and "key schedule" in schedule.figure and "98" in schedule.figure
    state = verdicts.key_audit(192, {"bit flips": 192.0, "state guessing": 50.0})
    assert not state.passed and "state guessing" in state.figure
    found = verdicts.key_audit(256, {"bit flips": 256.0}, found="a key space of about 2^16")
    assert not found.passed and "2^16" in found.figure
    assert not verdicts.key_audit(0, {"bit flips": 0.0}).passed


@pytest.mark.parametrize("failing", verdicts.COLUMNS)
def test_a_cipher_passes_only_if_no_rule_fails_it(failing):
    row = {column: verdicts.Verdict(True, "ok") for column in verdicts.COLUMNS}
    passed = verdicts.passed_every_attack({"good": row, "bad": {**row, failing: verdicts.Verdict(False, "broken")}})
    assert passed["good"] and not passed["bad"]


def test_table_level_is_bonferroni_over_every_test():
    from medcrypt.attacks.ind_cpa import BATTERY

    level = verdicts.table_level(0.05, n_ciphers=15, seeds=3)
    assert verdicts.ADVERSARIES == len(BATTERY)
    assert level == pytest.approx(0.05 / (15 * (3 * (len(BATTERY) + 1) + 5)))
    with_statistics = verdicts.table_level(0.05, n_ciphers=2, seeds=1, statistics=True)
    assert with_statistics == pytest.approx(0.05 / (2 * (len(BATTERY) + 1 + 5 + verdicts.STATISTICS_TESTS)))
    with pytest.raises(ValueError):
        verdicts.table_level(0.05, n_ciphers=0, seeds=1)


def test_false_positive_rates_count_rejections():
    p = pd.DataFrame({"a": [0.01, 0.2, 0.5, 0.03], "b": [0.9, 0.9, 0.9, 1e-5]})
    rates = verdicts.false_positive_rates(p, {"nominal": 0.05, "table": 1e-4})
    assert rates.loc["a", "nominal"] == 0.5 and rates.loc["b", "table"] == 0.25 and rates.loc["a", "runs"] == 4
    assert verdicts.any_rejects(p, 0.05) == 0.5


# ------------------------------------------------------------------ the summary wires every rule to its column

def _tables(failing: dict[str, str]):
    """Chapter 8's tables for ciphers that each fail one rule (``failing``: cipher -> column) and one that fails none."""
    names = ["good", *failing]
    cpa, algebraic, learned, chosen, integrity, leakage, audit, sens = [], [], [], [], [], [], [], []
    for name in names:
        rule = failing.get(name)
        for adversary in ("repeat query", "learned distinguisher"):
            broken = rule == "IND-CPA" and adversary == "repeat query"
            cpa.append({"cipher": name, "adversary": adversary, "advantage": 1.0 if broken else 0.0,
                        "low": 0.98 if broken else -0.08, "high": 1.0 if broken else 0.08, "queries": 1000,
                        "p_values": [1e-100 if broken else 0.5]})
        algebraic.append({"cipher": name, "structure": "chained diffusion" if rule == "known plaintext (best attack)"
                          else None, "known_images": 6 if rule == "known plaintext (best attack)" else None,
                          "gain_db": np.inf if rule == "known plaintext (best attack)" else None})
        learned.append({"cipher": name, "pairs": 100, "gain (dB)": -3.0})
        chosen.append({"cipher": name, "attack": "key-stream", "applies": True,
                       "gain_db": np.inf if rule == "chosen plaintext" else -2.0, "chosen_images": 2})
        chosen.append({"cipher": name, "attack": "codebook", "applies": False, "gain_db": None, "chosen_images": 3})
        forged = rule == "chosen ciphertext (bit flip)"
        integrity.append({"cipher": name, "trials": 20, "rejected": 19 if forged else 20, "refused": 0})
        leakage.append({"cipher": name, "auc": 0.9 if rule == "diagnosis leak" else 0.5,
                        "auc_p_value": 1e-12 if rule == "diagnosis leak" else 0.5})
        audit.append({"cipher": name, "claimed_bits": 256, "effective_bits": 64 if rule == "key audit" else 256,
                      "strength_bits": 64.0 if rule == "key audit" else 256.0, "search_n_keys": 1024,
                      "search_passed": True, "schedule_bits": None, "state_guessing_bits": None})
        row = {"cipher": name}
        for prefix, column in (("plaintext", "one pixel (NPCR, UACI)"), ("key", "one key bit (NPCR, UACI)")):
            row.update({f"{prefix}_npcr_p": 0.5, f"{prefix}_uaci_p": 1e-9 if rule == column else 0.5,
                        f"{prefix}_npcr_pass_rate": 0.95, f"{prefix}_uaci_pass_rate": 0.2 if rule == column else 0.95})
        sens.append(row)
    roster = pd.DataFrame({"family": "baseline"}, index=pd.Index(names, name="cipher"))
    return (roster, pd.DataFrame(cpa).set_index(["cipher", "adversary"]), pd.DataFrame(algebraic).set_index("cipher"),
            pd.DataFrame(learned), pd.DataFrame(chosen).set_index(["cipher", "attack"]),
            pd.DataFrame(integrity).set_index("cipher"), pd.DataFrame(leakage),
            pd.DataFrame(audit).set_index("cipher"), pd.DataFrame(sens).set_index("cipher"))


def test_summary_fails_exactly_the_rule_each_cipher_breaks():
    from medcrypt.attacks import suite

    failing = {f"bad {i}": column for i, column in enumerate(verdicts.COLUMNS)}
    table, cells = suite.summary(*_tables(failing), level=1e-4)
    assert list(table.columns) == ["family", *verdicts.COLUMNS]
    passed = verdicts.passed_every_attack(cells)
    assert passed["good"] and not passed.drop("good").any()
    for name, column in failing.items():
        failed = [c for c in verdicts.COLUMNS if cells[name][c].passed is not True]
        implied = ["chosen plaintext"] if column == "known plaintext (best attack)" else []  # it may choose them
        assert failed == [column, *implied], (name, failed)
        assert table.loc[name, column].startswith("FAIL")


def test_sensitivity_rule_fails_a_low_npcr_with_an_ideal_uaci():
    """Half the pixels change, each by a lot: UACI looks ideal, NPCR does not."""
    rng = np.random.default_rng(0)
    npcr = np.full(100, 0.5)
    uaci = rng.normal(metrics.uaci_expected(), 0.001, 100)
    diff = metrics.Differential(metrics.Stat(npcr, 0.5), metrics.Stat(uaci, float(uaci.mean())), 784)
    from medcrypt.attacks.sensitivity import verdict
    result = verdict(diff, level=0.001)
    assert result["uaci_passed"] and not result["npcr_passed"] and not result["passed"]
    assert not verdicts.sensitivity(result["npcr_p"], result["uaci_p"], 0.5, result["uaci"], 0.001).passed


def test_a_bit_that_does_not_change_the_encryption_does_not_count(images):
    audit = audit_key(DecoderOnlyBitDeterministic(), images[:8], bytes(32))
    assert not audit.encrypts_differently[255] and audit.decrypts_like_noise[255]
    assert audit.effective_bits == 255


class DecoderOnlyBitDeterministic(DeterministicPerfect):
    """Deterministic version, so that the encryption question is asked (a randomised cipher skips it)."""

    name = "test-decoder-only-bit-deterministic"

    def encrypt(self, images, key):
        return super().encrypt(images, key[:31] + bytes([key[31] & 0xFE]))

    def decrypt(self, cipher, key):
        plain = super().decrypt(cipher, key[:31] + bytes([key[31] & 0xFE]))
        if key[31] & 1:
            plain = plain ^ np.random.default_rng(1).integers(0, 256, plain.shape, dtype=np.uint8)
        return plain


def test_too_many_false_alarms_is_a_one_sided_binomial_rule():
    assert not verdicts.too_many_false_alarms(5, 100, 0.05)  # the nominal count itself
    assert verdicts.too_many_false_alarms(15, 100, 0.05)  # P(X >= 15 | n = 100, p = 0.05) is below 1 %
    assert not verdicts.too_many_false_alarms(0, 100, 0.05)
    assert verdicts.correlation_bound(10_000, 0.05) == pytest.approx(0.0196, abs=1e-4)
