"""Chapter 2's from-scratch chosen-plaintext attack against the library's, bit for bit."""

import numpy as np
import pytest

from medcrypt.attacks import chosen_plaintext_attack
from medcrypt.ciphers import get
from medcrypt.ciphers.chaos import diffuse, undiffuse

from from_scratch import scratch

S = scratch("02_baselines")
undo_chains, chosen_plaintext_key, decrypt_with_key = (S["undo_chains"], S["chosen_plaintext_key"],
                                                      S["decrypt_with_key"])


def test_undo_chains_is_the_public_inverse_of_the_diffusion():
    rng = np.random.default_rng(0)
    v = rng.integers(0, 256, (5, 784), dtype=np.uint8)
    zeros = np.zeros(784, np.uint8)
    d = diffuse(v, zeros, zeros)
    assert np.array_equal(undo_chains(d), v)
    assert np.array_equal(undo_chains(d), undiffuse(d, zeros, zeros))
    assert undo_chains(d).dtype == np.uint8


def test_undo_chains_does_not_invert_a_keyed_diffusion():
    """M^-1 is public only because the key-streams are zero; with them it must not give v back."""
    rng = np.random.default_rng(1)
    v, k1, k2 = (rng.integers(0, 256, (1, 64), dtype=np.uint8) for _ in range(3))
    assert not np.array_equal(undo_chains(diffuse(v, k1[0], k2[0])), v)


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("shape", [(28, 28), (5, 7)])
def test_the_equivalent_key_equals_the_library_and_decrypts_unseen_images(seed, shape, xrays):
    cipher = get("chaos-logistic")
    key = cipher.keygen(seed=seed)
    encrypt = lambda images: cipher.encrypt(images, key)
    source, b, used = chosen_plaintext_key(encrypt, shape)
    library, library_used = chosen_plaintext_attack(encrypt, shape)
    assert np.array_equal(source, library.source) and np.array_equal(b, library.mask) and used == library_used
    unseen = xrays[-6:, :shape[0], :shape[1]].copy()
    cipher_images = encrypt(unseen)
    assert np.array_equal(decrypt_with_key(cipher_images, source, b), unseen)
    assert np.array_equal(decrypt_with_key(cipher_images, source, b), library.decrypt(cipher_images))


def test_a_different_key_gives_a_different_equivalent_key():
    cipher = get("chaos-logistic")
    keys = [cipher.keygen(seed=s) for s in (1, 2)]
    found = [chosen_plaintext_key(lambda x, k=k: cipher.encrypt(x, k), (28, 28))[:2] for k in keys]
    assert not np.array_equal(found[0][0], found[1][0]) and not np.array_equal(found[0][1], found[1][1])


def test_the_equivalent_key_of_one_key_does_not_decrypt_another():
    cipher = get("chaos-logistic")
    a, b = cipher.keygen(seed=3), cipher.keygen(seed=4)
    source, mask, _ = chosen_plaintext_key(lambda x: cipher.encrypt(x, a), (28, 28))
    plain = np.random.default_rng(5).integers(0, 256, (2, 28, 28), dtype=np.uint8)
    assert not np.array_equal(decrypt_with_key(cipher.encrypt(plain, b), source, mask), plain)
