"""Chapter 5's from-scratch coupling layer against the library's inn-coupling, bit for bit."""

import numpy as np
import pytest

from medcrypt.ciphers import IntegerCouplingCipher

from from_scratch import scratch

S = scratch("05_invertible")
coupling_layer, coupling_layer_inverse = S["coupling_layer"], S["coupling_layer_inverse"]


def _cipher(layers, seed=0):
    return IntegerCouplingCipher(layers=layers, width=4, seed=seed)


@pytest.mark.parametrize("layers", [1, 3])
def test_the_layers_from_scratch_are_the_library_cipher_bit_for_bit(layers, xrays):
    cipher, images = _cipher(layers), xrays[:8]
    key = cipher.keygen(seed=7)
    out = images
    for layer in range(layers):
        out = coupling_layer(out, *cipher.layer_parts(key, layer))
    assert out.dtype == np.uint8 and np.array_equal(out, cipher.encrypt(images, key))
    for layer in reversed(range(layers)):
        out = coupling_layer_inverse(out, *cipher.layer_parts(key, layer))
    assert np.array_equal(out, images)


def test_one_layer_changes_only_half_b_after_the_permutation():
    cipher = _cipher(1)
    images = np.random.default_rng(1).integers(0, 256, (4, 28, 28), dtype=np.uint8)
    perm, mask, f = cipher.layer_parts(cipher.keygen(seed=3), 0)
    permuted = images.reshape(4, -1)[:, perm].reshape(images.shape)
    out = coupling_layer(images, perm, mask, f)
    assert np.array_equal(out[:, mask == 1], permuted[:, mask == 1])  # half A passes through
    assert np.any(out[:, mask == 0] != permuted[:, mask == 0])  # half B moves


def test_a_wrong_key_layer_does_not_match_the_library():
    cipher = _cipher(2)
    images = np.random.default_rng(2).integers(0, 256, (4, 28, 28), dtype=np.uint8)
    key, other = cipher.keygen(seed=1), cipher.keygen(seed=2)
    out = images
    for layer in range(2):
        out = coupling_layer(out, *cipher.layer_parts(other, layer))
    assert not np.array_equal(out, cipher.encrypt(images, key))


def test_undoing_with_the_shift_added_instead_of_subtracted_fails():
    """The inverse must subtract the recomputed shift: a sign slip breaks the round trip."""
    cipher = _cipher(1)
    images = np.random.default_rng(4).integers(0, 256, (4, 28, 28), dtype=np.uint8)
    perm, mask, f = cipher.layer_parts(cipher.keygen(seed=5), 0)
    y = coupling_layer(images, perm, mask, f)
    assert np.array_equal(coupling_layer_inverse(y, perm, mask, f), images)
    assert not np.array_equal(coupling_layer_inverse(y, perm, mask, lambda a: -f(a)), images)


def test_layer_parts_refuses_colour_images():
    with pytest.raises(ValueError, match="grey-level"):
        IntegerCouplingCipher(image_shape=(28, 28, 3), layers=1, width=4).layer_parts(bytes(16), 0)
