"""Chapter 5: the integer coupling cipher (bit-exact by construction) and the continuous flow."""

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medcrypt import metrics
from medcrypt.ciphers import IntegerCouplingCipher, get
from medcrypt.ciphers.invertible import ContinuousFlow, quantised_round_trip

SHAPES = [(28, 28), (28, 28, 3), (64, 64), (32, 48, 3)]


def _trained(shape):
    cipher = IntegerCouplingCipher(image_shape=shape, layers=3, width=4, lr=1e-2, seed=1)
    images = np.random.default_rng(0).integers(0, 256, (8, *shape), dtype=np.uint8)
    cipher.fit(images, epochs=1, batch_size=8)  # one real optimisation step: weights no longer initial
    return cipher


CIPHERS = {}


def cipher_for(shape, trained):
    if (shape, trained) not in CIPHERS:
        CIPHERS[(shape, trained)] = _trained(shape) if trained else IntegerCouplingCipher(
            image_shape=shape, layers=3, width=4, seed=0)
    return CIPHERS[(shape, trained)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=st.sampled_from(SHAPES), trained=st.booleans(), n=st.integers(1, 4),
       key=st.binary(min_size=16, max_size=16), seed=st.integers(0, 2**32 - 1))
def test_round_trip_is_bit_exact_for_any_image_shape_key_and_weights(shape, trained, n, key, seed):
    cipher = cipher_for(shape, trained)
    images = np.random.default_rng(seed).integers(0, 256, (n, *shape), dtype=np.uint8)
    encrypted = cipher.encrypt(images, key)
    assert encrypted.dtype == np.uint8 and encrypted.shape == images.shape
    assert np.array_equal(cipher.decrypt(encrypted, key), images)


@given(values=st.sampled_from([0, 1, 127, 128, 254, 255]))
@settings(max_examples=6, deadline=None)
def test_constant_and_extreme_images_round_trip(values):
    cipher = cipher_for((28, 28), False)
    images = np.full((2, 28, 28), values, np.uint8)
    key = bytes(range(16))
    assert np.array_equal(cipher.decrypt(cipher.encrypt(images, key), key), images)


def test_training_changes_the_weights_but_not_exactness():
    untrained = IntegerCouplingCipher(layers=3, width=4, seed=1)
    trained = cipher_for((28, 28), True)
    before = [p.clone() for p in untrained.modules["shift0"].parameters()]
    after = list(trained.modules["shift0"].parameters())
    assert any(not torch.equal(a, b) for a, b in zip(before, after))


def test_a_wrong_key_fails():
    cipher = cipher_for((28, 28), False)
    images = np.random.default_rng(3).integers(0, 256, (6, 28, 28), dtype=np.uint8)
    key = cipher.keygen(seed=4)
    encrypted = cipher.encrypt(images, key)
    for bit in (0, 64, 127):
        wrong = cipher.decrypt(encrypted, cipher.flip_key_bit(key, bit))
        assert metrics.bit_exact_rate(images, wrong) == 0
        assert np.mean(wrong == images) < 0.05


def test_bad_key_raises_a_value_error():
    with pytest.raises(ValueError, match="16 bytes"):
        cipher_for((28, 28), False).encrypt(np.zeros((1, 28, 28), np.uint8), b"short")


def test_a_training_step_lowers_the_statistics_loss_on_a_tiny_batch():
    cipher = IntegerCouplingCipher(layers=2, width=4, lr=1e-2, seed=2)
    batch = torch.from_numpy(np.random.default_rng(5).integers(100, 140, (8, 1, 28, 28)).astype(np.float64))
    key = bytes(16)
    before = cipher.statistics_loss(batch, key).item()
    for _ in range(3):
        cipher.train_step(batch)
    assert cipher.statistics_loss(batch, key).item() < before


def test_continuous_flow_is_exact_in_floats_but_not_after_8_bit_storage():
    images = np.random.default_rng(6).integers(100, 140, (20, 28, 28)).astype(np.uint8)
    gentle = quantised_round_trip(ContinuousFlow(scale=1.0), images)
    strong = quantised_round_trip(ContinuousFlow(scale=3.0), images)
    assert metrics.bit_exact_rate(images, strong["float round trip"]) == 1.0
    assert metrics.bit_exact_rate(images, strong["decrypted from 8 bits"]) == 0.0
    assert metrics.psnr(images, strong["decrypted from 8 bits"]).pooled < \
        metrics.psnr(images, gentle["decrypted from 8 bits"]).pooled
    assert strong["stored 8-bit cipher"].dtype == np.uint8


def test_registry_builds_the_integer_cipher():
    cipher = get("inn-coupling", layers=2, width=4)
    assert cipher.key_bits == 128 and cipher.lossless and cipher.family == "invertible"


def test_the_shift_network_computes_bounded_integers_with_integer_weights():
    from medcrypt.ciphers.invertible import EXACT_BOUND, WEIGHT_BOUND, ShiftNet

    cipher = cipher_for((28, 28), True)
    net = cipher.modules["shift0"]
    for layer in (net.inp, net.mid, net.out):
        weight = layer.integer_weight()
        assert torch.equal(weight, weight.round()) and weight.abs().max() <= WEIGHT_BOUND
    x = torch.from_numpy(np.random.default_rng(0).integers(-128, 128, (3, 1, 28, 28))).float()
    mask = cipher._masks[0].float()
    with torch.inference_mode():
        shift = net(x * mask, mask, torch.ones(3, 128))
    assert torch.equal(shift, shift.round())
    assert ShiftNet.largest_sum(1, 16, 128) == 16 * 9 * WEIGHT_BOUND * 127 < EXACT_BOUND
    with pytest.raises(ValueError, match="beyond 2\\^24"):
        ShiftNet(1, 3000, 128)


def test_encryption_gives_the_same_integers_for_any_batch_size_chunking_thread_count_and_precision():
    shape = (28, 28)
    cipher = cipher_for(shape, True)
    double = IntegerCouplingCipher(image_shape=shape, layers=3, width=4, seed=1, precision="float64")
    for name, module in cipher.modules.items():
        double.modules[name].load_state_dict({k: v.double() for k, v in module.state_dict().items()})
    images = np.random.default_rng(5).integers(0, 256, (40, *shape), dtype=np.uint8)
    key = bytes(range(16))
    whole = cipher.encrypt(images, key)
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one_thread = np.concatenate([cipher.encrypt(images[i:i + 7], key) for i in range(0, 40, 7)])
    finally:
        torch.set_num_threads(threads)
    assert np.array_equal(one_thread, whole)
    assert np.array_equal(np.concatenate([cipher.encrypt(image[None], key) for image in images[:5]]), whole[:5])
    assert np.array_equal(double.encrypt(images, key), whole)
    assert np.array_equal(double.decrypt(whole[3:17], key), images[3:17])  # decrypted elsewhere, in float64
