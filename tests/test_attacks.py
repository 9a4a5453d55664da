"""Chapter 8: the learning known-plaintext attack, ciphertext-only leakage, sensitivity verdicts."""

import numpy as np
import pytest

from medcrypt import verdicts
from medcrypt.attacks import diagnosis_leakage, known_plaintext_attack, sensitivity
from medcrypt.attacks.known_plaintext import from_bit_logits, to_bits
from medcrypt.attacks.sensitivity import too_few_passes
from medcrypt.ciphers import get

from conftest import smooth_phantoms


def random_images(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


KEY_IMAGE = random_images((28, 28), 99)


def test_bits_round_trip():
    images = random_images((3, 4, 5))
    bits = to_bits(images)
    assert bits.shape == (3, 20, 8) and set(np.unique(bits.numpy())) == {-1.0, 1.0}
    assert np.array_equal(from_bit_logits(bits, images.shape), images)


def test_fixed_key_xor_is_fully_recovered_from_a_few_pairs():
    pairs, unseen = random_images((16, 28, 28), 1), smooth_phantoms(20, seed=2)
    result = known_plaintext_attack(lambda p: p ^ KEY_IMAGE, pairs, unseen, steps=200, seed=0)
    assert result.model == "bitwise"
    assert np.array_equal(result.reconstructions, unseen)
    assert result.psnr == np.inf and result.gain_db > 20


def test_aes_ctr_with_fresh_nonces_stays_at_the_no_ciphertext_guess():
    aes = get("aes-ctr", unsafe_test_nonce_seed=0)
    key = aes.keygen(seed=0)
    pairs, unseen = smooth_phantoms(60, seed=1), smooth_phantoms(20, seed=2)
    result = known_plaintext_attack(lambda p: aes.encrypt(p, key), pairs, unseen, steps=150, seed=0)
    assert result.gain_db < 1.0
    assert np.mean(result.reconstructions == unseen) < 0.1


def test_reused_nonce_is_a_fixed_xor_and_falls():
    reuse = get("aes-ctr-nonce-reuse")
    key = reuse.keygen(seed=0)
    pairs, unseen = random_images((16, 28, 28), 3), smooth_phantoms(10, seed=4)
    result = known_plaintext_attack(lambda p: reuse.encrypt(p, key), pairs, unseen, steps=200, seed=0)
    assert np.array_equal(result.reconstructions, unseen)


def test_ciphertexts_of_another_shape_get_a_dense_decryptor():
    # A "cipher" that keeps the top rows only: image-shaped attacks do not apply.
    result = known_plaintext_attack(lambda p: p[:, :4, :], smooth_phantoms(20), smooth_phantoms(5, seed=1), steps=20)
    assert result.model == "dense" and result.reconstructions.shape == (5, 28, 28)


def test_known_plaintext_attack_rejects_bad_input():
    with pytest.raises(ValueError, match="at least 2 pairs"):
        known_plaintext_attack(lambda p: p, random_images((1, 8, 8)), random_images((2, 8, 8)))
    with pytest.raises(ValueError, match="differ in shape"):
        known_plaintext_attack(lambda p: p, random_images((4, 8, 8)), random_images((2, 8, 4)))
    with pytest.raises(ValueError, match="steps"):
        known_plaintext_attack(lambda p: p, random_images((4, 8, 8)), random_images((2, 8, 8)), steps=0)
    with pytest.raises(ValueError, match="uint8"):
        known_plaintext_attack(lambda p: p, np.zeros((4, 8, 8)), random_images((2, 8, 8)))


# ------------------------------------------------------------------ sensitivity

def test_too_few_passes_follows_the_binomial_tail():
    assert not too_few_passes(0.95, 100, 0.95)
    assert too_few_passes(0.80, 100, 0.95)
    # For Binomial(100, 0.95): P(X <= 90) = 0.028 < 0.05 fails; P(X <= 92) = 0.128 passes.
    assert too_few_passes(0.90, 100, 0.95) and not too_few_passes(0.92, 100, 0.95)
    with pytest.raises(ValueError):
        too_few_passes(0.5, 0, 0.9)


def test_sensitivity_verdicts(xrays):
    images = xrays[:100]
    aes = get("aes-ctr", unsafe_test_nonce_seed=1)
    # A sound cipher is judged at the level of chapter 8's table (Bonferroni over its tests), where one
    # fixed seed's false alarm is rare; at the nominal 5 % a sound cipher fails one run in twenty.
    level = verdicts.table_level(0.05, n_ciphers=15, seeds=1)
    good = sensitivity(aes, images, aes.keygen(seed=1), seed=0, level=level)
    assert good["plaintext_passed"] and good["key_passed"]
    reuse = get("aes-ctr-nonce-reuse")
    bad = sensitivity(reuse, images, reuse.keygen(seed=1), seed=0)
    assert not bad["plaintext_passed"] and bad["key_passed"]
    assert bad["plaintext_npcr"] == pytest.approx(1 / images[0].size)
    none = sensitivity(get("identity"), images, get("identity").keygen(seed=0), seed=0)
    assert not none["plaintext_passed"] and none["key_passed"] is False and none["key_npcr"] is None


# ------------------------------------------------------------------ ciphertext-only leakage

def _labelled(n, seed):
    """Class 1: smooth phantoms (bright disc); class 0: the same without structure (flat noise)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    images = np.where(labels[:, None, None] == 1, smooth_phantoms(n, seed=seed),
                      rng.integers(90, 110, (n, 28, 28))).astype(np.uint8)
    return images, labels


def test_diagnosis_leaks_through_identity_but_not_through_aes():
    train_images, train_labels = _labelled(200, 0)
    test_images, test_labels = _labelled(100, 1)
    plain = diagnosis_leakage(train_images, train_labels, test_images, test_labels, image_shape=(28, 28), epochs=2)
    assert plain["auc"] > 0.95 and plain["auc_p_value"] < 1e-6
    aes = get("aes-ctr", unsafe_test_nonce_seed=0)
    key = aes.keygen(seed=0)
    hidden = diagnosis_leakage(aes.encrypt(train_images, key), train_labels, aes.encrypt(test_images, key),
                               test_labels, image_shape=(28, 28), epochs=2)
    assert 0.3 < hidden["auc"] < 0.7 and hidden["auc_p_value"] > 0.01
    assert 0 < hidden["majority"] < 1


def test_leakage_handles_latent_ciphertexts_and_rejects_bad_labels():
    train_images, train_labels = _labelled(60, 0)
    out = diagnosis_leakage(train_images[:, :1, :], train_labels, train_images[:20, :1, :], train_labels[:20],
                            image_shape=(28, 28), epochs=1)
    assert 0 <= out["auc"] <= 1
    with pytest.raises(ValueError, match="binary"):
        diagnosis_leakage(train_images, np.zeros(60, int), train_images, train_labels, image_shape=(28, 28))
    with pytest.raises(ValueError, match="one label per"):
        diagnosis_leakage(train_images, train_labels[:5], train_images, train_labels, image_shape=(28, 28))
