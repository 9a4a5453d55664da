"""The key schedule and the training terms that make a learned cipher's key matter."""

import numpy as np
import pytest
import torch

from medcrypt.ciphers.autoencoder import KeyedAutoencoderCipher
from medcrypt.ciphers.base import flip_key_bit
from medcrypt.ciphers.feedforward import AdversarialNeuralCipher
from medcrypt.ciphers.gan import GANKeyGenCipher
from medcrypt.ciphers.neural import (Wrap, key_diversity_loss, noise_distance, random_key_pairs, scheduled_key_vectors,
                                     wrapped_difference_loss)


def test_a_hashed_key_one_bit_off_is_an_unrelated_network_input():
    key = bytes(range(16))
    other = flip_key_bit(key, 77)
    bits = scheduled_key_vectors([key, other], "bits", "cpu")
    hashed = scheduled_key_vectors([key, other], "hashed", "cpu")
    assert int((bits[0] != bits[1]).sum()) == 1
    assert 40 <= int((hashed[0] != hashed[1]).sum()) <= 88  # about half of 128, as for two random keys
    assert set(hashed.unique().tolist()) == {-1.0, 1.0}
    assert torch.equal(hashed[:1], scheduled_key_vectors([key], "hashed", "cpu"))  # deterministic


def test_random_key_pairs_differ_in_one_key_bit():
    keys, wrong = random_key_pairs(np.random.default_rng(0), 32, 16, "bits", "cpu")
    assert keys.shape == (32, 128) and torch.equal((keys != wrong).sum(dim=1), torch.ones(32, dtype=torch.long))


def test_key_diversity_loss_is_zero_only_when_every_pixel_moves():
    a = torch.zeros(2, 1, 4, 4)
    assert float(key_diversity_loss(a, a + 10 / 127.5)) == 0
    assert float(key_diversity_loss(a, a)) == pytest.approx(1.0)


def test_wrapped_differences_are_flat_for_independent_noise_and_not_for_a_shift():
    g = torch.Generator().manual_seed(0)
    a, b = torch.rand(64, 1, 28, 28, generator=g) * 2 - 1, torch.rand(64, 1, 28, 28, generator=g) * 2 - 1
    assert float(wrapped_difference_loss(a, b)) < 0.01
    assert float(wrapped_difference_loss(a, a + 0.05)) > 10


def test_noise_distance_is_the_mean_distance_of_uniform_noise():
    x = torch.tensor([[0.0, 1.0, -1.0, 0.5]])
    assert float(noise_distance(x)[0]) == pytest.approx(np.mean([0.5, 1.0, 1.0, 0.625]))


@pytest.mark.parametrize("cls,bad", [
    (KeyedAutoencoderCipher, {"key_schedule": "sha1"}),
    (KeyedAutoencoderCipher, {"diversity_weight": -1}),
    (KeyedAutoencoderCipher, {"margin": "far"}),
    (KeyedAutoencoderCipher, {"margin": 0}),
    (GANKeyGenCipher, {"key_schedule": ""}),
    (GANKeyGenCipher, {"diversity_weight": "a lot"}),
    (AdversarialNeuralCipher, {"wrong_key_weight": -0.5}),
    (AdversarialNeuralCipher, {"key_schedule": None}),
    (GANKeyGenCipher, {"output": "relu"}),
    (KeyedAutoencoderCipher, {"output": "sigmoid"}),
    (AdversarialNeuralCipher, {"output": None}),
])
def test_bad_training_options_raise_a_clear_error(cls, bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        cls(image_shape=(28, 28), **bad)


@pytest.mark.parametrize("cls, encrypting", [(KeyedAutoencoderCipher, "encoder"), (AdversarialNeuralCipher, "alice")])
def test_wrap_output_ends_only_the_encrypting_network(cls, encrypting):
    cipher = cls(image_shape=(28, 28), output="wrap")
    wraps = {name: sum(isinstance(m, Wrap) for m in module.modules()) for name, module in cipher.modules.items()}
    assert wraps == {name: int(name == encrypting) for name in cipher.modules}
    assert float(Wrap()(torch.tensor([0.999 + 0.002]))) == pytest.approx(-0.999, abs=1e-5)
