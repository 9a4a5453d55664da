"""Chapter 3's from-scratch key-stream encryption and key-image recovery against gan-keygen, bit for bit."""

import numpy as np

from medcrypt.ciphers import GANKeyGenCipher
from medcrypt.ciphers.gan import key_image_from_pair

from from_scratch import scratch

S = scratch("03_gan")
keystream_encrypt, recover_key_image = S["keystream_encrypt"], S["recover_key_image"]

#: An untrained generator: the key image's arithmetic does not depend on training.
CIPHER = GANKeyGenCipher(hidden=64, width=8, seed=3)


def test_keystream_encrypt_is_the_library_encryption(xrays):
    seed = CIPHER.keygen(seed=1)
    out = keystream_encrypt(xrays[:16], CIPHER.key_image(seed))
    assert out.dtype == np.uint8 and np.array_equal(out, CIPHER.encrypt(xrays[:16], seed))


def test_keystream_encrypt_wraps_modulo_256():
    white, key = np.full((1, 28, 28), 255, np.uint8), np.full((28, 28), 2, np.uint8)
    assert np.all(keystream_encrypt(white, key) == 1)


def test_the_key_image_from_one_pair_is_the_seeds_key_image_and_decrypts_the_rest(xrays):
    seed = CIPHER.keygen(seed=2)
    cipher = CIPHER.encrypt(xrays[:8], seed)
    key = recover_key_image(xrays[0], cipher[0])
    assert np.array_equal(key, CIPHER.key_image(seed))
    assert np.array_equal(key, key_image_from_pair(xrays[0], cipher[0]))
    assert np.array_equal(cipher[1:] - key, xrays[1:8])


def test_the_recovered_key_image_of_another_seed_does_not_decrypt(xrays):
    cipher = CIPHER.encrypt(xrays[:4], CIPHER.keygen(seed=4))
    other = CIPHER.encrypt(xrays[:1], CIPHER.keygen(seed=5))
    key = recover_key_image(xrays[0], other[0])
    assert not np.array_equal(cipher[1:] - key, xrays[1:4])


def test_key_image_from_pair_refuses_mismatched_inputs():
    import pytest

    with pytest.raises(ValueError, match="one shape"):
        key_image_from_pair(np.zeros((28, 28), np.uint8), np.zeros((27, 28), np.uint8))
    with pytest.raises(ValueError, match="uint8"):
        key_image_from_pair(np.zeros((28, 28), np.int64), np.zeros((28, 28), np.uint8))
