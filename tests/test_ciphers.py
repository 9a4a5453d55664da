import numpy as np
import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from medcrypt import ciphers
from medcrypt.ciphers import AESCTR, CipherImages, flip_key_bit, get


def random_images(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


@pytest.mark.parametrize("shape", [(5, 28, 28), (3, 64, 64), (2, 28, 28, 3), (1, 224, 224)])
def test_aes_ctr_round_trip_is_bit_exact(shape):
    aes = get("aes-ctr")
    key = aes.keygen()
    images = random_images(shape)
    cipher = aes.encrypt(images, key)
    assert cipher.dtype == np.uint8 and cipher.shape == images.shape
    assert not np.array_equal(np.asarray(cipher), images)
    assert np.array_equal(aes.decrypt(cipher, key), images)


def test_aes_ctr_matches_counter_mode_built_from_the_block_cipher():
    """Independent reference: CTR = plaintext XOR AES_K(counter), counter += 1 per 16-byte block."""
    aes = AESCTR(unsafe_test_nonce_seed=7)
    key = aes.keygen(seed=3)
    image = random_images((1, 28, 28), seed=5)
    cipher = aes.encrypt(image, key)
    counter = int.from_bytes(cipher.side[0].tobytes(), "big")
    ecb = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    blocks = b"".join(((counter + i) % 2**128).to_bytes(16, "big") for i in range(784 // 16 + 1))
    keystream = np.frombuffer(ecb.update(blocks), dtype=np.uint8)[:784]
    assert np.array_equal(np.asarray(cipher).ravel(), image.ravel() ^ keystream)


def test_aes_ctr_uses_a_fresh_nonce_per_image_and_per_call():
    aes = get("aes-ctr")
    key = aes.keygen()
    same = np.repeat(random_images((1, 28, 28)), 4, axis=0)
    c1, c2 = aes.encrypt(same, key), aes.encrypt(same, key)
    nonces = np.concatenate([c1.side, c2.side])
    assert len({n.tobytes() for n in nonces}) == 8
    assert not np.array_equal(np.asarray(c1[0:1]), np.asarray(c1[1:2]))


def test_wrong_key_decrypts_to_noise_not_plaintext():
    aes = get("aes-ctr")
    key = aes.keygen(seed=1)
    images = np.full((20, 28, 28), 128, dtype=np.uint8)
    wrong = aes.decrypt(aes.encrypt(images, key), flip_key_bit(key, 200))
    assert np.mean(wrong == images) < 0.02  # noise agrees with the plaintext on ~1/256 of pixels
    assert abs(wrong.astype(float).mean() - 127.5) < 3


def test_batch_slices_keep_their_nonces():
    aes = get("aes-ctr")
    key = aes.keygen()
    images = random_images((6, 28, 28))
    cipher = aes.encrypt(images, key)
    assert np.array_equal(aes.decrypt(cipher[2:5], key), images[2:5])
    assert np.array_equal(aes.decrypt(cipher[[0, 4]], key), images[[0, 4]])
    assert np.array_equal(aes.decrypt(cipher[np.arange(6) % 2 == 1], key), images[1::2])
    assert type(cipher[0]) is np.ndarray  # one image without its batch axis is plain pixels


def test_decrypting_plain_pixels_explains_that_nonces_are_needed():
    aes = get("aes-ctr")
    key = aes.keygen()
    cipher = aes.encrypt(random_images((2, 28, 28)), key)
    with pytest.raises(ValueError, match="nonces"):
        aes.decrypt(np.asarray(cipher), key)


@pytest.mark.parametrize("key", [b"short", "a string key", b"\x00" * 16])
def test_aes_rejects_keys_that_are_not_256_bits(key):
    with pytest.raises(ValueError, match="32 bytes"):
        get("aes-ctr").encrypt(random_images((1, 28, 28)), key)


def test_seeded_keygen_is_reproducible_and_unseeded_is_not():
    aes = get("aes-ctr")
    assert aes.keygen(seed=4) == aes.keygen(seed=4) != aes.keygen(seed=5)
    assert aes.keygen() != aes.keygen()
    assert len(aes.keygen()) * 8 == aes.key_bits == 256


def test_flip_key_bit_flips_exactly_one_bit():
    key = bytes(range(32))
    for bit in (0, 7, 8, 255):
        flipped = flip_key_bit(key, bit)
        diff = np.unpackbits(np.frombuffer(key, np.uint8) ^ np.frombuffer(flipped, np.uint8))
        assert diff.sum() == 1 and diff[bit] == 1
    with pytest.raises(ValueError):
        flip_key_bit(key, 256)


def test_nonce_reuse_is_a_two_time_pad():
    bad = get("aes-ctr-nonce-reuse")
    key = bad.keygen(seed=0)
    p = random_images((2, 28, 28))
    c = np.asarray(bad.encrypt(p, key))
    assert np.array_equal(c[0] ^ c[1], p[0] ^ p[1])  # the key-stream cancels: the plaintexts leak
    assert np.array_equal(bad.decrypt(bad.encrypt(p, key), key), p)


def test_identity_returns_the_plaintext():
    identity = get("identity")
    images = random_images((3, 28, 28))
    assert identity.key_bits == 0
    assert np.array_equal(identity.encrypt(images, b""), images)
    assert np.array_equal(identity.decrypt(images, b""), images)


def test_registry_lists_and_builds_every_cipher():
    assert {"aes-ctr", "aes-ctr-nonce-reuse", "identity"} <= set(ciphers.available())
    for name in ciphers.available():
        cipher = get(name)
        assert isinstance(cipher, ciphers.Cipher)
        assert cipher.name.startswith(name)  # configurable ciphers add their size, e.g. ae-latent-gcm-32
    with pytest.raises(KeyError, match="registered: "):
        get("no-such-cipher")


def test_registry_refuses_a_second_cipher_with_a_taken_name():
    class Impostor:
        name = "aes-ctr"
        family = "baseline"

    with pytest.raises(ValueError, match="already registered"):
        ciphers.register(Impostor)

    class NoFamily:
        name = "x"
        family = "magic"

    with pytest.raises(ValueError, match="family"):
        ciphers.register(NoFamily)


def test_cipher_images_requires_one_side_row_per_image():
    with pytest.raises(ValueError, match="rows"):
        CipherImages(np.zeros((3, 4, 4), np.uint8), np.zeros((2, 16), np.uint8))




# ------------------------------------------------------------------ AES-CTR in one call per batch

def _per_image_ctr(rows: np.ndarray, key: bytes, nonces: np.ndarray) -> np.ndarray:
    from medcrypt.ciphers import aes

    return np.stack([np.frombuffer(aes._ctr_keystream_xor(row.tobytes(), key, nonce.tobytes()), dtype=np.uint8)
                     for row, nonce in zip(rows, nonces)])


@pytest.mark.parametrize("shape", [(28, 28), (28, 28, 3), (5, 5), (64, 64)])
def test_batched_aes_ctr_is_bit_identical_to_one_ctr_message_per_image(shape):
    cipher, rng = get("aes-ctr", unsafe_test_nonce_seed=3), np.random.default_rng(3)
    key = cipher.keygen(seed=3)
    images = rng.integers(0, 256, (40, *shape), dtype=np.uint8)
    encrypted = cipher.encrypt(images, key)
    flat = images.reshape(len(images), -1)
    assert np.array_equal(np.asarray(encrypted).reshape(len(images), -1), _per_image_ctr(flat, key, encrypted.side))
    assert np.array_equal(cipher.decrypt(encrypted, key), images)
    assert np.asarray(encrypted).flags.writeable  # cipher images are ordinary arrays (tamper tests write to them)
    picked = encrypted[[7, 2, 31, 2]]  # not consecutive: the counter-block path, with a repeated image
    assert np.array_equal(cipher.decrypt(picked, key), images[[7, 2, 31, 2]])


@pytest.mark.parametrize("start", ["00000000000000007fffffffffffffff", "0000000000000000ffffffffffffffff",
                                   "fffffffffffffffffffffffffffffff0"])
def test_batched_ctr_carries_and_wraps_its_128_bit_counters_as_the_library_does(start):
    from medcrypt.ciphers import aes

    key = bytes(range(32))
    rows = np.random.default_rng(0).integers(0, 256, (6, 50), dtype=np.uint8)  # 50 bytes: 4 blocks, the last partial
    first = np.frombuffer(bytes.fromhex(start), dtype=np.uint8)[None]
    consecutive = aes._advance(first, np.arange(6, dtype=np.uint64) * np.uint64(4))[0]
    scattered = consecutive[::-1].copy()
    for nonces in (consecutive, scattered):  # the one-call path and the counter-block path
        assert np.array_equal(aes.ctr_batch(rows, key, nonces), _per_image_ctr(rows, key, nonces))


def test_ctr_nonces_of_one_batch_never_share_a_counter_block():
    from medcrypt.ciphers import aes

    cipher = get("aes-ctr", unsafe_test_nonce_seed=5)
    encrypted = cipher.encrypt(np.zeros((30, 28, 28), dtype=np.uint8), cipher.keygen(seed=5))
    counters = aes._advance(encrypted.side, np.arange(49)).reshape(-1, 16)  # 784 bytes: 49 blocks per image
    assert len({bytes(c) for c in counters}) == 30 * 49
    assert aes._consecutive(encrypted.side, 49) and not aes._consecutive(encrypted.side[::-1], 49)
