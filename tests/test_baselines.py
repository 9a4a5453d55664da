"""Chapter 2 baselines: AES-ECB, AES-GCM and the chaotic permutation–diffusion cipher."""

import numpy as np
import pytest

from medcrypt import metrics
from medcrypt.attacks import AttackFailed, chosen_plaintext_attack, probe_images
from medcrypt.ciphers import AuthenticationError, get
from medcrypt.ciphers.chaos import _parameters, diffuse, undiffuse

BASELINES = ["aes-ecb", "aes-ctr", "aes-gcm", "chaos-logistic"]
SHAPES = [(4, 28, 28), (2, 64, 64), (3, 28, 28, 3), (1, 128, 128), (1, 224, 224, 3)]


def random_images(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", BASELINES)
def test_every_baseline_round_trips_bit_for_bit(name, shape):
    cipher = get(name)
    key = cipher.keygen(seed=1)
    images = random_images(shape)
    encrypted = cipher.encrypt(images, key)
    assert encrypted.dtype == np.uint8 and encrypted.shape == images.shape
    assert np.mean(np.asarray(encrypted) == images) < 0.05
    assert np.array_equal(cipher.decrypt(encrypted, key), images)


@pytest.mark.parametrize("name", ["aes-ecb", "aes-ctr", "chaos-logistic"])
def test_a_one_bit_wrong_key_does_not_return_the_plaintext(name):
    cipher = get(name)
    key = cipher.keygen(seed=2)
    images = random_images((10, 28, 28), 1)
    encrypted = cipher.encrypt(images, key)
    for bit in (0, cipher.key_bits // 2, cipher.key_bits - 1):
        wrong = cipher.decrypt(encrypted, cipher.flip_key_bit(key, bit))
        assert np.mean(wrong == images) < 0.02, bit


def test_gcm_rejects_a_wrong_key_and_returns_nothing():
    gcm = get("aes-gcm")
    key = gcm.keygen(seed=3)
    encrypted = gcm.encrypt(random_images((3, 28, 28)), key)
    with pytest.raises(AuthenticationError, match="3 of 3 images"):
        gcm.decrypt(encrypted, gcm.flip_key_bit(key, 17))


@pytest.mark.parametrize("part", ["pixel", "nonce", "tag"])
def test_gcm_detects_tampering(part):
    gcm = get("aes-gcm")
    key = gcm.keygen(seed=4)
    images = random_images((4, 28, 28))
    encrypted = gcm.encrypt(images, key)
    if part == "pixel":
        encrypted[2, 5, 5] ^= 1
    elif part == "nonce":
        encrypted.side[2, 0] ^= 1
    else:
        encrypted.side[2, -1] ^= 1
    with pytest.raises(AuthenticationError, match=r"1 of 4 images \(index 2\)"):
        gcm.decrypt(encrypted, key)
    assert np.array_equal(gcm.decrypt(encrypted[[0, 1, 3]], key), images[[0, 1, 3]])


def test_gcm_authenticates_the_image_shape():
    gcm = get("aes-gcm")
    key = gcm.keygen(seed=5)
    encrypted = gcm.encrypt(random_images((2, 28, 28)), key)
    reshaped = type(encrypted)(np.asarray(encrypted).reshape(2, 14, 56), encrypted.side)
    with pytest.raises(AuthenticationError):
        gcm.decrypt(reshaped, key)


def test_gcm_never_reuses_a_nonce():
    gcm = get("aes-gcm")
    key = gcm.keygen(seed=6)
    same = np.zeros((200, 28, 28), np.uint8)
    nonces = np.concatenate([gcm.encrypt(same, key).side[:, :12] for _ in range(3)])
    assert len({n.tobytes() for n in nonces}) == 600


def test_ecb_leaks_equal_blocks_and_ctr_does_not():
    image = np.zeros((1, 32, 32), np.uint8)  # 64 equal 16-byte blocks
    ecb, ctr = get("aes-ecb"), get("aes-ctr")
    blocks = lambda c: np.asarray(c).reshape(-1, 16)
    assert len(np.unique(blocks(ecb.encrypt(image, ecb.keygen(seed=7))), axis=0)) == 1
    assert len(np.unique(blocks(ctr.encrypt(image, ctr.keygen(seed=7))), axis=0)) == 64


def test_ecb_refuses_images_that_are_not_whole_blocks():
    with pytest.raises(ValueError, match="multiple of 16 bytes"):
        get("aes-ecb").encrypt(random_images((1, 5, 5)), bytes(32))


@pytest.mark.parametrize("name", ["aes-gcm", "chaos-logistic"])
def test_bad_keys_raise_value_errors(name):
    with pytest.raises(ValueError, match="32 bytes"):
        get(name).encrypt(random_images((1, 28, 28)), b"too short")


# ---------------------------------------------------------------- the chaotic cipher

def test_every_chaos_key_bit_changes_its_own_sub_key_parameters_only():
    cipher = get("chaos-logistic")
    key = cipher.keygen(seed=8)
    base = _parameters(key)
    assert cipher.key_bits == 256 and cipher.separable_key_bits == 128
    for bit in range(cipher.key_bits):
        changed = _parameters(cipher.flip_key_bit(key, bit))
        moved = {k for k in base if changed[k] != base[k]}
        assert moved == ({"x0", "r1"} if bit < 128 else {"y0", "r2"}), bit
        # far more than the one-ulp changes that rounding can swallow
        assert all(abs(changed[k] - base[k]) > 1e-12 for k in moved), bit
    p = base
    assert 0 < p["x0"] < 1 and 0 < p["y0"] < 1 and 3.99 <= p["r1"] < 4 and 3.99 <= p["r2"] < 4


def test_chaos_diffusion_is_invertible_and_spreads_one_change_everywhere():
    rng = np.random.default_rng(9)
    v = rng.integers(0, 256, (3, 500), dtype=np.uint8)
    k1, k2 = rng.integers(0, 256, 500, dtype=np.uint8), rng.integers(0, 256, 500, dtype=np.uint8)
    assert np.array_equal(undiffuse(diffuse(v, k1, k2), k1, k2), v)
    w = v.copy()
    w[:, 250] += 1
    assert np.mean(diffuse(v, k1, k2) != diffuse(w, k1, k2)) > 0.99


def test_chaos_passes_the_statistics_it_was_designed_for():
    cipher = get("chaos-logistic")
    row = metrics.evaluate(cipher, random_images((200, 28, 28), 10) // 4 + 100, cipher.keygen(seed=11),
                           nist_bits=100_000)
    assert abs(row["corr_h_pooled"]) < 0.02 and row["chi2_p_pooled"] > 1e-3
    assert row["npcr"] > metrics.npcr_critical(784) and row["bit_exact_rate"] == 1.0
    assert row["wrong_key_psnr"] < 12


# ---------------------------------------------------------------- the chosen-plaintext attack

@pytest.mark.parametrize("shape, expected_queries", [((28, 28), 3), ((64, 64), 3), ((224, 224, 3), 4)])
def test_attack_recovers_a_working_equivalent_key(shape, expected_queries):
    cipher = get("chaos-logistic")
    key = cipher.keygen(seed=12)
    queries = []

    def oracle(images):
        queries.append(len(images))
        return cipher.encrypt(images, key)

    equivalent, n_chosen = chosen_plaintext_attack(oracle, shape)
    assert n_chosen == expected_queries == sum(queries)
    unseen = random_images((3, *shape), 13)
    assert np.array_equal(equivalent.decrypt(cipher.encrypt(unseen, key)), unseen)
    # The equivalent key is the real permutation composed with the public diffusion's mask.
    other = cipher.keygen(seed=14)
    assert not np.array_equal(equivalent.decrypt(cipher.encrypt(unseen, other)), unseen)


def test_attack_fails_loudly_on_a_cipher_of_another_form():
    gcm = get("aes-gcm")
    key = gcm.keygen(seed=15)
    with pytest.raises(AttackFailed, match="not a permutation"):
        chosen_plaintext_attack(lambda images: gcm.encrypt(images, key), (28, 28))


def test_probe_images_label_every_position_uniquely():
    probes = probe_images((28, 28))
    assert probes.shape == (3, 28, 28) and probes.dtype == np.uint8 and not probes[0].any()
    labels = probes[1].astype(int).ravel() + 256 * probes[2].astype(int).ravel()
    assert np.array_equal(labels, np.arange(784))


def test_evaluate_records_that_gcm_rejects_the_wrong_key():
    gcm = get("aes-gcm")
    row = metrics.evaluate(gcm, random_images((20, 28, 28)), gcm.keygen(seed=16), nist=False)
    assert row["wrong_key_rejected"] is True and row["wrong_key_psnr"] is None
    assert row["bit_exact_rate"] == 1.0


def test_lyapunov_exponent_of_the_logistic_map():
    """ln 2 at r = 4 (the map is conjugate to the doubling map); negative in a stable window; the key's maps are chaotic."""
    import math

    from medcrypt.ciphers import chaos

    assert chaos.lyapunov_exponent(4.0, 0.3) == pytest.approx(math.log(2), abs=0.01)
    assert chaos.lyapunov_exponent(3.2, 0.3) < 0  # a stable 2-cycle
    params = chaos.key_parameters(get("chaos-logistic").keygen(seed=1))
    assert set(params) == {"x0", "r1", "y0", "r2"} and 3.99 <= params["r1"] < 4
    assert chaos.lyapunov_exponent(params["r1"], params["x0"]) > 0.5
    with pytest.raises(ValueError):
        chaos.lyapunov_exponent(4.0, 0.3, n=0)
