"""Chapter 6: adversarial neural cryptography (Alice/Bob/Eve) and the Hopfield-network ciphers."""

import numpy as np
import pytest
import torch

from medcrypt import attempts, metrics
from medcrypt.attacks import AttackFailed, chosen_plaintext_attack
from medcrypt.ciphers import AdversarialNeuralCipher, HopfieldNonceCipher, HopfieldPermutationDiffusion, get
from medcrypt.ciphers import hopfield
from medcrypt.ciphers.feedforward import eve_reconstruct, from_blocks, to_blocks, train_fresh_eve
from medcrypt.ciphers.neural import load_or_train

from conftest import smooth_phantoms


def random_images(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


@pytest.fixture(scope="module")
def alice_bob():
    cipher = AdversarialNeuralCipher(image_shape=(28, 28), patch=4, hidden=64, eve_hidden=32, seed=0)
    cipher.fit(smooth_phantoms(32), epochs=2, batch_size=256, seed=0)
    return cipher


# ------------------------------------------------------------------ Alice, Bob and Eve

def test_blocks_round_trip_exactly():
    x = torch.randn(3, 2, 8, 12)
    blocks = to_blocks(x, 4)
    assert blocks.shape == (3 * 2 * 3, 2 * 16)
    assert torch.equal(from_blocks(blocks, tuple(x.shape), 4), x)
    # A block holds one 4×4 square of the image.
    assert torch.equal(blocks[1, :16].reshape(4, 4), x[0, 0, :4, 4:8])


def test_anc_shapes_dtypes_and_key(alice_bob):
    images = random_images((5, 28, 28))
    key = alice_bob.keygen(seed=1)
    assert len(key) == 16 and alice_bob.key_bits == 128 and alice_bob.lossless is False
    cipher = alice_bob.encrypt(images, key)
    assert cipher.dtype == np.uint8 and cipher.shape == images.shape
    plain = alice_bob.decrypt(cipher, key)
    assert plain.dtype == np.uint8 and plain.shape == images.shape
    rgb = AdversarialNeuralCipher(image_shape=(28, 28, 3), hidden=16, eve_hidden=16, seed=0)
    assert rgb.decrypt(rgb.encrypt(random_images((2, 28, 28, 3)), key), key).shape == (2, 28, 28, 3)


def test_anc_is_deterministic_for_a_fixed_key_and_depends_on_the_key(alice_bob):
    images = smooth_phantoms(4, seed=3)
    key = alice_bob.keygen(seed=2)
    assert np.array_equal(alice_bob.encrypt(images, key), alice_bob.encrypt(images, key))
    other = alice_bob.encrypt(images, alice_bob.keygen(seed=3))
    assert np.mean(other != alice_bob.encrypt(images, key)) > 0.3


def test_anc_wrong_key_decrypts_worse_than_the_right_key(xrays):
    # Trained with an Eve as wide as Alice and the wrong-key term: Abadi and Andersen's loss alone lets Bob decode
    # nearly as well under a wrong key (chapter 6's attempts table shows how often).
    cipher = AdversarialNeuralCipher(image_shape=(28, 28), hidden=128, eve_hidden=128, seed=0,
                                     key_schedule="hashed", wrong_key_weight=1.0)
    images = xrays
    cipher.fit(images, epochs=12, batch_size=256, seed=0)
    key, wrong = cipher.keygen(seed=1), cipher.keygen(seed=2)
    encrypted = cipher.encrypt(images[:16], key)
    right = metrics.psnr(images[:16], cipher.decrypt(encrypted, key)).pooled
    assert right > metrics.psnr(images[:16], cipher.decrypt(encrypted, wrong)).pooled + 3


def test_anc_training_step_reduces_bobs_error_on_a_tiny_batch():
    cipher = AdversarialNeuralCipher(image_shape=(28, 28), hidden=64, eve_hidden=32, seed=0,
                                     **attempts.KEY_ATTEMPTS["anc-alice-bob"]["as first built"][1])
    blocks = cipher.training_blocks(smooth_phantoms(2, seed=4))[:64]
    cipher.chance_error = 0.3
    keys, _ = cipher._random_keys(len(blocks))
    before = cipher.errors(blocks, keys)["Bob error"]
    for _ in range(40):
        cipher.train_step(blocks)
    assert cipher.errors(blocks, keys)["Bob error"] < 0.9 * before  # lr=0 leaves it at 1.0 × before


def test_anc_patch_must_divide_the_image():  # bad images and keys: test_contract.py
    with pytest.raises(ValueError, match="patch must divide"):
        AdversarialNeuralCipher(image_shape=(28, 28), patch=3)
    with pytest.raises(ValueError, match="eve_steps"):
        AdversarialNeuralCipher(image_shape=(28, 28), eve_steps=0)


def test_chance_error_is_stored_and_checkpoint_round_trips(alice_bob, tmp_path):
    assert alice_bob.config["chance_error"] == pytest.approx(alice_bob.chance_error) and alice_bob.chance_error > 0
    path = alice_bob.save(tmp_path / "anc.pt")
    loaded = AdversarialNeuralCipher.load(path)
    images, key = smooth_phantoms(3), alice_bob.keygen(seed=9)
    assert np.array_equal(loaded.encrypt(images, key), alice_bob.encrypt(images, key))
    assert loaded.chance_error == pytest.approx(alice_bob.chance_error)


def test_fresh_eve_trains_and_reconstructs_images(alice_bob):
    eve, history = train_fresh_eve(alice_bob, smooth_phantoms(16), hidden=32, layers=1, epochs=2, seed=0)
    assert len(history.losses["fresh Eve error"]) == 2
    guess = eve_reconstruct(alice_bob, eve, alice_bob.encrypt(smooth_phantoms(3), alice_bob.keygen(seed=0)))
    assert guess.dtype == np.uint8 and guess.shape == (3, 28, 28)
    with pytest.raises(ValueError, match="hidden and layers"):
        train_fresh_eve(alice_bob, smooth_phantoms(2), hidden=0)


def test_anc_is_registered():
    assert isinstance(get("anc-alice-bob", image_shape=(28, 28), hidden=8, eve_hidden=8), AdversarialNeuralCipher)


# ------------------------------------------------------------------ the Hopfield network

def test_hopfield_weights_are_chaotic_and_reproducible():
    """The published matrix is what the seeded search returns, and it is chaotic from any key's start."""
    weights, exponent = hopfield.search_weights(seed=2026)
    assert np.array_equal(weights, hopfield.WEIGHTS) and exponent > 0.5
    starts = np.random.default_rng(0).uniform(-1, 1, (32, 3))
    assert hopfield.largest_lyapunov(hopfield.WEIGHTS, starts, iterations=2000).min() > 0.5


def test_lyapunov_exponent_matches_a_linear_map():
    # Near 0, tanh(x) ≈ x, so the map is x ← W·x; with W = 0.5·I orbits shrink by 1/2 per step: λ = ln 0.5.
    exponent = hopfield.largest_lyapunov(0.5 * np.eye(3), np.full((1, 3), 1e-3), iterations=200, transient=20)
    assert exponent[0] == pytest.approx(np.log(0.5), abs=1e-3)


def test_step_is_the_hopfield_update():
    x = np.array([[0.3, -0.2, 0.9]])
    assert np.allclose(hopfield.step(x, hopfield.WEIGHTS), hopfield.WEIGHTS @ np.tanh(x[0]))


def test_every_key_bit_moves_the_initial_state_far():
    key = bytes(24)
    state = hopfield.initial_state(key)
    assert state.shape == (3,) and np.all(np.abs(state) < 1)
    cipher = HopfieldPermutationDiffusion()
    assert cipher.key_bits == 192
    for bit in range(cipher.key_bits):  # through SHA-256: no change small enough for rounding to swallow
        assert np.min(np.abs(hopfield.initial_state(cipher.flip_key_bit(key, bit)) - state)) > 1e-9, bit


@pytest.mark.parametrize("cls", [HopfieldPermutationDiffusion, HopfieldNonceCipher])
def test_hopfield_round_trip_is_bit_exact(cls, xrays):
    cipher = cls()
    key = cipher.keygen(seed=4)
    encrypted = cipher.encrypt(xrays[:20], key)
    assert encrypted.dtype == np.uint8 and encrypted.shape == (20, 28, 28)
    assert np.array_equal(cipher.decrypt(encrypted, key), xrays[:20])
    rgb = random_images((2, 8, 8, 3))
    assert np.array_equal(cipher.decrypt(cipher.encrypt(rgb, key), key), rgb)


def test_hopfield_is_deterministic_and_the_lowest_key_bit_matters():
    cipher = HopfieldPermutationDiffusion()
    images = smooth_phantoms(4)
    key = cipher.keygen(seed=1)
    assert np.array_equal(cipher.encrypt(images, key), cipher.encrypt(images, key))
    for bit in (7, 63, 191):
        other = cipher.encrypt(images, cipher.flip_key_bit(key, bit))
        assert metrics.npcr_uaci(other, cipher.encrypt(images, key)).npcr.pooled > 0.99


def test_hopfield_wrong_key_fails(xrays):
    for cipher in (HopfieldPermutationDiffusion(), HopfieldNonceCipher(unsafe_test_nonce_seed=0)):
        key = cipher.keygen(seed=2)
        encrypted = cipher.encrypt(xrays[:10], key)
        wrong = cipher.decrypt(encrypted, cipher.flip_key_bit(key, 0))
        assert metrics.psnr(xrays[:10], wrong).pooled < 12
        assert np.mean(wrong == xrays[:10]) < 0.05


def test_hopfield_refuses_a_bit_past_its_key_and_a_missing_nonce():  # bad images and keys: test_contract.py
    cipher, nonce = HopfieldPermutationDiffusion(), HopfieldNonceCipher()
    with pytest.raises(ValueError, match="bit must be in"):
        cipher.flip_key_bit(cipher.keygen(seed=0), 192)
    with pytest.raises(ValueError, match="nonces"):
        nonce.decrypt(random_images((1, 8, 8)), nonce.keygen(seed=0))


def test_keystream_is_balanced_and_key_dependent():
    key = HopfieldPermutationDiffusion().keygen(seed=5)
    stream = hopfield.keystream(key, 4000)
    assert stream.dtype == np.uint8 and stream.shape == (4000,)
    assert 120 < stream.mean() < 135
    assert np.mean(stream != hopfield.keystream(HopfieldPermutationDiffusion().flip_key_bit(key, 0), 4000)) > 0.95


def test_chosen_plaintext_attack_breaks_the_textbook_hopfield_cipher(xrays):
    cipher = HopfieldPermutationDiffusion()
    key = cipher.keygen(seed=6)
    equivalent, queries = chosen_plaintext_attack(lambda p: cipher.encrypt(p, key), (28, 28))
    assert queries == 3
    assert np.array_equal(equivalent.decrypt(cipher.encrypt(xrays[:20], key)), xrays[:20])


def test_the_nonce_variant_resists_the_same_attack(xrays):
    cipher = HopfieldNonceCipher(unsafe_test_nonce_seed=1)
    key = cipher.keygen(seed=6)
    with pytest.raises(AttackFailed):
        chosen_plaintext_attack(lambda p: cipher.encrypt(p, key), (28, 28))


# ------------------------------------------------------------------ chapter 6's comparisons (no ciphertext, blocks)

def test_no_ciphertext_guesses_are_the_median_block_and_the_median_image(alice_bob):
    from medcrypt.ciphers.feedforward import no_ciphertext_guesses

    images = random_images((9, 28, 28), seed=5)
    guesses = no_ciphertext_guesses(alice_bob, images, 3)
    assert set(guesses) == {"median block everywhere", "median training image"}
    block, median = guesses["median block everywhere"], guesses["median training image"]
    assert block.shape == median.shape == (3, 28, 28) and block.dtype == median.dtype == np.uint8
    assert np.array_equal(median[0], np.median(images, axis=0).round().astype(np.uint8))
    # the same 4×4 block in every position, equal to the per-pixel median of all training blocks
    tiles = block[0].reshape(7, 4, 7, 4).transpose(0, 2, 1, 3).reshape(49, 16)
    assert len(np.unique(tiles, axis=0)) == 1
    all_blocks = images.reshape(9, 7, 4, 7, 4).transpose(0, 1, 3, 2, 4).reshape(-1, 16).astype(float)
    assert np.abs(tiles[0].astype(float) - np.median(all_blocks, axis=0)).max() <= 0.5


def test_reconstruction_table_scores_each_guess():
    from medcrypt.ciphers.feedforward import reconstruction_table

    images = random_images((4, 28, 28), seed=6)
    table = reconstruction_table(images, {"exact": images, "zeros": np.zeros_like(images)})
    assert list(table.columns) == ["PSNR (dB)", "SSIM", "mean abs. error (grey levels)"]
    assert table.loc["exact", "mean abs. error (grey levels)"] == 0 and np.isinf(table.loc["exact", "PSNR (dB)"])
    assert table.loc["zeros", "mean abs. error (grey levels)"] == pytest.approx(images.mean())


def test_distinct_blocks_counts_the_blocks_of_one_image():
    from medcrypt.ciphers.feedforward import distinct_blocks

    halves = np.zeros((28, 28), dtype=np.uint8)
    halves[:, 14:] = 200
    assert distinct_blocks(halves, 4) == 3  # black, white, and the mixed column of blocks at the boundary
    assert distinct_blocks(np.zeros((8, 8, 3), dtype=np.uint8), 4) == 1
    assert distinct_blocks(random_images((28, 28)), 4) == 49
