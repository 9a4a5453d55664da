"""Chapter 4: autoencoder ciphers, the encrypt-the-latent hybrids, the losses and the classifier."""

import numpy as np
import pytest
import torch

from medcrypt import attempts, classifier, train
from medcrypt.ciphers import (AuthenticationError, KeyedAutoencoderCipher, LatentHybridCipher,
                              VariationalLatentHybridCipher, get)
from medcrypt.ciphers.neural import adjacent_correlation_loss, soft_histogram_loss

from conftest import smooth_phantoms


def random_images(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


@pytest.fixture(scope="module")
def keyed():
    return KeyedAutoencoderCipher(width=4, seed=0)


@pytest.fixture(scope="module", params=[LatentHybridCipher, VariationalLatentHybridCipher])
def hybrid(request):
    return request.param(latent_dim=16, width=4, seed=0)


def test_keyed_autoencoder_shapes_and_dtypes(keyed):
    images = random_images((5, 28, 28))
    key = keyed.keygen(seed=1)
    cipher = keyed.encrypt(images, key)
    assert cipher.dtype == np.uint8 and cipher.shape == images.shape
    plain = keyed.decrypt(cipher, key)
    assert plain.dtype == np.uint8 and plain.shape == images.shape
    assert keyed.key_bits == 128 and len(key) == 16 and keyed.lossless is False


def test_keyed_autoencoder_depends_on_the_key(keyed):
    images = random_images((4, 28, 28), 1)
    key = keyed.keygen(seed=2)
    assert not np.array_equal(keyed.encrypt(images, key), keyed.encrypt(images, keyed.flip_key_bit(key, 3)))


def test_hybrid_shapes_and_compression(hybrid):
    images = random_images((5, 28, 28), 2)
    key = hybrid.keygen(seed=3)
    cipher = hybrid.encrypt(images, key)
    assert cipher.dtype == np.uint8 and cipher.shape == (5, 1, 16) and cipher.side.shape == (5, 28)
    plain = hybrid.decrypt(cipher, key)
    assert plain.dtype == np.uint8 and plain.shape == images.shape
    assert hybrid.compression_ratio == 784 / 16 and hybrid.compression_ratio_with_overhead == 784 / 44
    assert hybrid.name.endswith("-16")


def test_gcm_latent_path_round_trips_the_latent_bit_exactly(hybrid):
    images = random_images((8, 28, 28), 4)
    key = hybrid.keygen(seed=4)
    codes = hybrid.encode_latent(images)
    assert codes.dtype == np.uint8 and codes.shape == (8, 16)
    assert np.array_equal(hybrid.decrypt_latent(hybrid.encrypt(images, key), key), codes)
    assert np.array_equal(hybrid.decrypt(hybrid.encrypt(images, key), key), hybrid.decode_latent(codes))


def test_hybrid_rejects_a_wrong_key(hybrid):
    key = hybrid.keygen(seed=5)
    cipher = hybrid.encrypt(random_images((3, 28, 28)), key)
    with pytest.raises(AuthenticationError):
        hybrid.decrypt(cipher, hybrid.flip_key_bit(key, 100))


def test_keyed_autoencoder_training_flattens_the_cipher_histogram():
    cipher = KeyedAutoencoderCipher(width=4, stats_weight=1.0, seed=3)
    batch = train.to_unit(smooth_phantoms(32, seed=1))
    first = cipher.train_step(batch)
    for _ in range(15):
        last = cipher.train_step(batch)
    assert set(first) == {"reconstruction", "statistics", "wrong key", "key diversity"}
    assert last["statistics"] < first["statistics"]
    without = KeyedAutoencoderCipher(width=4, diversity_weight=0.0, seed=3).train_step(batch)
    assert set(without) == {"reconstruction", "statistics", "wrong key"}  # an unweighted term is not computed


def test_keyed_autoencoder_rejects_a_key_of_the_wrong_size(keyed):
    with pytest.raises(ValueError, match="16 bytes"):
        keyed.encrypt(random_images((1, 28, 28)), b"short")


def test_a_training_step_reduces_the_loss_on_a_tiny_batch():
    batch = train.to_unit(smooth_phantoms(16, seed=2))
    # The objective as first built: the key terms of the default pull against reconstruction at first.
    keyed = KeyedAutoencoderCipher(width=4, lr=3e-3, seed=1, **attempts.KEY_ATTEMPTS["ae-keyed"]["as first built"][1])
    before = keyed.reconstruction_loss(batch)
    for _ in range(3):
        keyed.train_step(batch)
    assert keyed.reconstruction_loss(batch) < before
    for cls in (LatentHybridCipher, VariationalLatentHybridCipher):
        hybrid = cls(latent_dim=8, width=4, lr=3e-3, seed=1)
        before = hybrid.reconstruction_loss(batch)
        hybrid.train_step(batch)
        assert hybrid.reconstruction_loss(batch) < before, cls.__name__


def test_statistics_losses_prefer_noise_to_structure():
    noise = torch.rand(8, 1, 28, 28) * 2 - 1
    smooth = train.to_unit(smooth_phantoms(8))
    assert soft_histogram_loss(noise) < 0.05 < soft_histogram_loss(smooth)
    assert soft_histogram_loss(torch.zeros(4, 1, 8, 8)) > 10  # everything in one bin
    assert adjacent_correlation_loss(noise) < 0.01 < 0.5 < adjacent_correlation_loss(smooth)


def test_checkpoint_restores_a_hybrid_with_its_name(tmp_path, hybrid):
    restored = type(hybrid).load(hybrid.save(tmp_path / "h.pt"))
    images = random_images((3, 28, 28), 7)
    assert restored.name == hybrid.name
    assert np.array_equal(restored.encode_latent(images), hybrid.encode_latent(images))


def test_classifier_learns_a_separable_task_and_reports_accuracy_and_auc():
    rng = np.random.default_rng(0)
    dark = rng.integers(0, 100, (100, 28, 28), dtype=np.uint8)
    bright = rng.integers(150, 256, (100, 28, 28), dtype=np.uint8)
    images, labels = np.concatenate([dark, bright]), np.repeat([0, 1], 100)
    model, history = classifier.train_classifier(images, labels, epochs=3, batch_size=32)
    scores = classifier.diagnostic_scores(model, images, labels)
    assert scores["accuracy"] > 0.95 and scores["auc"] > 0.99
    assert classifier.predict_proba(model, images[:5]).shape == (5, 2)
    with pytest.raises(ValueError, match="labels must have shape"):
        classifier.train_classifier(images, labels[:10], epochs=1)


def test_registry_builds_the_autoencoder_ciphers():
    assert get("ae-keyed", width=4).family == "autoencoder"
    assert get("vae-latent-gcm", width=4).name == "vae-latent-gcm-32"
