"""No hidden global state: attacks and classifiers draw from generators of their own.

Each test runs a learned attack or a classifier on a few tiny images and checks that the
process's global generators (Python ``random``, NumPy's global state, torch's default
generator, and CUDA's where there is one) are exactly as they were, and that the same
seed gives the same result twice. The fixture first moves every global generator to an
unusual state, so that code which reseeds it (``torch.manual_seed(0)``) cannot leave it
looking untouched by chance. The last test checks that the chaos ciphers keep no
reference to a secret key once a call returns (no key-bearing module cache).
"""

import random

import numpy as np
import pytest
import torch

from medcrypt import classifier
from medcrypt.attacks import diagnosis_leakage, known_plaintext_attack

SHAPE = (28, 28)


def _images(n, seed):
    return np.random.default_rng(seed).integers(0, 256, (n, *SHAPE), dtype=np.uint8)


def _labels(n):
    return np.arange(n) % 2  # both classes, balanced


def _global_states():
    states = {"random": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state().clone()}
    if torch.cuda.is_available():
        states["cuda"] = [s.clone() for s in torch.cuda.get_rng_state_all()]
    return states


def _assert_untouched(before):
    after = _global_states()
    assert after["random"] == before["random"], "Python's global random generator changed"
    name, keys, pos, has_gauss, cached = before["numpy"]
    assert after["numpy"][0] == name and np.array_equal(after["numpy"][1], keys), "NumPy's global state changed"
    assert after["numpy"][2:] == (pos, has_gauss, cached), "NumPy's global state changed"
    assert torch.equal(after["torch"], before["torch"]), "torch's default generator changed"
    for a, b in zip(after.get("cuda", []), before.get("cuda", [])):
        assert torch.equal(a, b), "a CUDA generator changed"


@pytest.fixture
def unusual_global_state():
    """Put every global generator in a state no library seed gives, and put it back after the test."""
    saved = _global_states()
    random.seed(987_654)
    np.random.seed(987_654)
    torch.manual_seed(987_654)
    random.random(), np.random.random(), torch.rand(1)  # and off a freshly seeded state
    yield
    random.setstate(saved["random"])
    np.random.set_state(saved["numpy"])
    torch.set_rng_state(saved["torch"])
    if "cuda" in saved:
        torch.cuda.set_rng_state_all(saved["cuda"])


def _leakage(cipher_train, cipher_test, seed):
    n_train, n_test = len(cipher_train), len(cipher_test)
    return diagnosis_leakage(cipher_train, _labels(n_train), cipher_test, _labels(n_test), image_shape=SHAPE,
                             epochs=1, seed=seed)


@pytest.mark.parametrize("ciphertext", ["image-shaped (CNN)", "latent code (MLP)"])
def test_leakage_attack_leaves_the_global_generators_alone(unusual_global_state, ciphertext):
    train_images, test_images = _images(16, seed=1), _images(8, seed=2)
    if ciphertext.startswith("latent"):
        train_images, test_images = train_images[:, :1, :], test_images[:, :1, :]
    before = _global_states()
    first = _leakage(train_images, test_images, seed=3)
    _assert_untouched(before)
    assert _leakage(train_images, test_images, seed=3) == first


@pytest.mark.parametrize("oracle", ["image-shaped (bitwise, pixel-bit MLP, conv)", "other shape (dense)"])
def test_known_plaintext_attack_leaves_the_global_generators_alone(unusual_global_state, oracle):
    key_image = _images(1, seed=4)[0]
    encrypt = (lambda p: p ^ key_image) if oracle.startswith("image") else (lambda p: p[:, :4, :])
    pairs, unseen = _images(10, seed=5), _images(4, seed=6)
    before = _global_states()
    first = known_plaintext_attack(encrypt, pairs, unseen, steps=10, seed=7, device="cpu")
    _assert_untouched(before)
    again = known_plaintext_attack(encrypt, pairs, unseen, steps=10, seed=7, device="cpu")
    assert (again.model, again.psnr, again.ssim) == (first.model, first.psnr, first.ssim)
    assert np.array_equal(again.reconstructions, first.reconstructions)


def _weights(model):
    return [p.detach().cpu().clone() for p in model.state_dict().values()]


@pytest.mark.parametrize("trainer", ["train_classifier", "train_blockwise"])
def test_classifier_training_leaves_the_global_generators_alone(unusual_global_state, trainer):
    images, labels = _images(16, seed=8), _labels(16)
    fit = getattr(classifier, trainer)
    before = _global_states()
    model, history = fit(images, labels, epochs=1, batch_size=8, seed=9, device="cpu")
    _assert_untouched(before)
    again, again_history = fit(images, labels, epochs=1, batch_size=8, seed=9, device="cpu")
    assert again_history.losses == history.losses
    assert all(torch.equal(a, b) for a, b in zip(_weights(model), _weights(again)))
    other, _ = fit(images, labels, epochs=1, batch_size=8, seed=10, device="cpu")
    assert not all(torch.equal(a, b) for a, b in zip(_weights(model), _weights(other)))  # the seed matters


def test_fit_classifier_draws_dropout_from_its_seed_alone(unusual_global_state):
    """The caller builds the model (with dropout); training from one seed gives one model, whatever the globals."""
    images, labels = _images(16, seed=11), _labels(16)

    def trained(seed):
        with torch.random.fork_rng(devices=[]):  # the test's own model, from a fixed start
            torch.manual_seed(0)
            model = classifier.SmallCNN()
        torch.rand(3)  # the global state differs between the two runs: it must not matter
        before = _global_states()
        classifier.fit_classifier(model, torch.from_numpy(images).float()[:, None] / 127.5 - 1, labels, epochs=1,
                                  batch_size=8, seed=seed, device=torch.device("cpu"))
        _assert_untouched(before)
        return _weights(model)

    assert all(torch.equal(a, b) for a, b in zip(trained(12), trained(12)))


@pytest.mark.parametrize("name", ["chaos-logistic", "chaos-hopfield"])
def test_the_chaos_ciphers_keep_no_reference_to_a_key_after_the_call(name):
    """No module-level cache may hold a secret key (or its schedule) for the life of the process."""
    import gc
    import os
    import sys

    from medcrypt.ciphers import get

    cipher = get(name)
    key = os.urandom(len(cipher.keygen(seed=0)))  # a fresh object: only this test refers to it
    images = _images(2, seed=13)
    before = sys.getrefcount(key)
    assert np.array_equal(cipher.decrypt(cipher.encrypt(images, key), key), images)
    gc.collect()
    assert sys.getrefcount(key) == before
