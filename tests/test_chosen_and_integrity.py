"""The generic chosen-plaintext attacks (key-stream, codebook) and the bit-flip integrity test."""

import hashlib
import hmac
import os

import numpy as np
import pytest

from medcrypt.attacks.chosen_plaintext import (ChosenOutcome, chosen_plaintext_attacks, chosen_plaintext_gain,
                                               ciphertext_bytes, codebook_attack, keystream_attack)
from medcrypt.attacks.integrity import Integrity, bit_flip_attack
from medcrypt.ciphers import CipherImages, check_images, get
from medcrypt.ciphers.aes import ctr_batch

GUESS = np.full((8, 8), 128, dtype=np.uint8)


def images(n, size=8, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, size, size), dtype=np.uint8)


def oracle(cipher, seed=1):
    key = cipher.keygen(seed=seed)
    return lambda batch: cipher.encrypt(batch, key)


class PrefixedIVCTR:
    """AES-256-CTR that writes its IV in front of the pixels, (N, 16 + T) bytes, and reuses that one IV for every
    image (drawn once per instance): the flaw an outside cipher may have."""

    def __init__(self):
        self.iv = np.frombuffer(os.urandom(16), dtype=np.uint8)

    def encrypt(self, batch, key):
        flat = check_images(batch, "prefixed-iv-ctr").reshape(len(batch), -1)
        ivs = np.tile(self.iv, (len(flat), 1))
        return np.concatenate([ivs, ctr_batch(flat, key, ivs)], axis=1)


class EncryptAndMAC:
    """AES-CTR with fresh nonces plus an HMAC-SHA256 of the *plaintext* in the side data, which decrypt never checks."""

    name, family, lossless, key_bits = "encrypt-and-mac", "baseline", True, 256

    def __init__(self):
        self.ctr = get("aes-ctr")

    def keygen(self, seed=None):
        return self.ctr.keygen(seed)

    def encrypt(self, batch, key):
        sealed = self.ctr.encrypt(batch, key)
        macs = np.stack([np.frombuffer(hmac.digest(key, image.tobytes(), "sha256"), dtype=np.uint8)
                         for image in batch])
        return CipherImages(sealed.pixels(), np.concatenate([sealed.side, macs], axis=1))

    def decrypt(self, cipher, key):
        return self.ctr.decrypt(CipherImages(np.asarray(cipher), cipher.side[:, :16]), key)


class Recording:
    """Wraps a cipher and keeps what encrypt returned and every ciphertext that decrypt was given."""

    def __init__(self, cipher):
        self.cipher, self.sealed, self.given = cipher, None, []

    def keygen(self, seed=None):
        return self.cipher.keygen(seed)

    def encrypt(self, batch, key):
        self.sealed = self.cipher.encrypt(batch, key)
        self.kept = ciphertext_bytes(self.sealed).copy()
        return self.sealed

    def decrypt(self, cipher, key):
        self.given.append(ciphertext_bytes(cipher).copy())
        return self.cipher.decrypt(cipher, key)


class Refusing:
    """Decrypts the untouched ciphertext; refuses anything else with a ValueError (a format check)."""

    def __init__(self, error):
        self.error, self.sealed = error, None

    def keygen(self, seed=None):
        return b""

    def encrypt(self, batch, key):
        self.sealed = batch.copy()
        return self.sealed

    def decrypt(self, cipher, key):
        if np.array_equal(cipher, self.sealed):
            return cipher.copy()
        raise self.error


# ---------------------------------------------------------------- key-stream recovery


@pytest.mark.parametrize("name", ["aes-ctr-nonce-reuse", "identity"])
def test_keystream_attack_breaks_a_reused_stream_exactly(name):
    test = images(5, seed=2)
    outcome = keystream_attack(oracle(get(name)), test, GUESS, rng=np.random.default_rng(0))
    assert outcome.applies and outcome.attack == "key-stream" and outcome.chosen_images == 2
    assert outcome.recovered == 1.0 and outcome.gain_db == np.inf


@pytest.mark.parametrize("name", ["aes-ctr", "aes-gcm"])
def test_keystream_attack_runs_on_fresh_nonces_and_gains_nothing(name):
    """It applies to any cipher whose ciphertext holds the image: a sound one passes it on the gain."""
    outcome = keystream_attack(oracle(get(name)), images(5, seed=2), GUESS, rng=np.random.default_rng(0))
    assert outcome.applies and outcome.gain_db < 0 and outcome.recovered == 0.0
    assert "no fixed key-stream" in outcome.detail


def test_keystream_attack_finds_the_stream_behind_a_prepended_iv():
    test = images(4, size=28, seed=3)
    cipher = PrefixedIVCTR()
    key = os.urandom(32)
    assert cipher.encrypt(test, key).shape == (4, 16 + 784)
    outcome = keystream_attack(lambda batch: cipher.encrypt(batch, key), test, np.full((28, 28), 128),
                               rng=np.random.default_rng(0))
    assert outcome.applies and outcome.recovered == 1.0 and "offset 16" in outcome.detail


# ---------------------------------------------------------------- codebook


def test_codebook_attack_recovers_the_blocks_the_attacker_has_seen():
    pool = images(20, seed=4)
    fresh = images(2, seed=5)
    test = np.stack([pool[7], fresh[0]])  # image 0 is all known blocks; image 1 gets one known block of 4
    test[1, 0, :8], test[1, 1, :8] = pool[3, 6, :8], pool[3, 7, :8]  # 16 bytes: pool[3]'s last block
    outcome = codebook_attack(oracle(get("aes-ecb")), test, GUESS, attacker_images=pool,
                              rng=np.random.default_rng(0))
    assert outcome.applies and "16-byte blocks" in outcome.detail
    assert outcome.recovered == pytest.approx(5 / 8)  # 4 + 1 of 2 × 4 blocks of 16 bytes
    assert outcome.gain_db > 0
    assert outcome.chosen_images >= len(pool) + 256


def test_codebook_attack_needs_the_pool_for_non_constant_blocks():
    pool = images(20, seed=4)
    outcome = codebook_attack(oracle(get("aes-ecb")), pool[:3], GUESS, attacker_images=None,
                              rng=np.random.default_rng(0))
    assert outcome.applies and outcome.recovered == 0.0


@pytest.mark.parametrize("name", ["aes-ctr", "aes-gcm", "chaos-logistic"])
def test_codebook_attack_does_not_apply_without_block_structure(name):
    outcome = codebook_attack(oracle(get(name)), images(3, seed=2), GUESS, attacker_images=images(10, seed=4),
                              rng=np.random.default_rng(0))
    assert not outcome.applies and outcome.gain_db is None


# ---------------------------------------------------------------- the entry point


def test_all_attacks_report_whether_they_apply():
    outcomes = chosen_plaintext_attacks(oracle(get("chaos-logistic")), images(3, seed=2), GUESS,
                                        attacker_images=images(10, seed=4), rng=np.random.default_rng(0))
    assert [o.attack for o in outcomes] == ["equivalent key", "key-stream", "codebook"]
    assert all(isinstance(o, ChosenOutcome) for o in outcomes)
    assert [o.applies for o in outcomes] == [True, True, False]
    assert outcomes[1].gain_db < outcomes[0].gain_db
    assert outcomes[0].recovered == 1.0
    assert outcomes[0].chosen_images == 2  # the all-zero image and one coordinate image for 64 pixels
    assert chosen_plaintext_gain(oracle(get("chaos-logistic")), images(3, seed=2), GUESS) == (np.inf, 2)
    assert chosen_plaintext_gain(oracle(get("aes-ctr-nonce-reuse")), images(3, seed=2), GUESS) is None


def test_attacks_survive_any_ciphertext_shape_and_a_refusing_oracle():
    def latent(batch):  # a compressor: 12 bytes per image, (N, 1, 12), depending on every pixel
        return np.stack([np.frombuffer(hashlib.sha256(b.tobytes()).digest()[:12], dtype=np.uint8)[None]
                         for b in check_images(batch, "latent")])

    def refusing(batch):
        raise ValueError("this oracle takes 32×32 images only")

    for encrypt in (latent, refusing):
        outcomes = chosen_plaintext_attacks(encrypt, images(3, seed=2), GUESS, attacker_images=images(4),
                                            rng=np.random.default_rng(0))
        assert [o.applies for o in outcomes] == [False, False, False]


# ---------------------------------------------------------------- bit flips


def flips(cipher, trials=40, n=4, size=8):
    return bit_flip_attack(cipher, images(n, size=size, seed=6), cipher.keygen(seed=1), trials=trials,
                           rng=np.random.default_rng(0))


def test_aes_gcm_rejects_every_flipped_bit():
    result = flips(get("aes-gcm"))
    assert isinstance(result, Integrity)
    assert result.passed and result.rejected == result.trials and result.accepted == 0
    assert "side" in result.where and "pixels" in result.where  # flips land in the nonces and tags too


@pytest.mark.parametrize("name", ["aes-ctr", "chaos-logistic", "identity", "chaos-hopfield-nonce"])
def test_unauthenticated_ciphers_accept_forgeries(name):
    result = flips(get(name))
    assert not result.passed and result.accepted > 0 and result.changed_plaintext > 0


def test_encrypt_and_mac_without_verification_fails():
    result = flips(EncryptAndMAC())
    assert not result.passed and result.accepted == result.trials


def test_a_stream_cipher_is_malleable_bit_for_bit():
    result = flips(get("aes-ctr"))
    in_pixels = sum(w == "pixels" for w in result.where)
    assert 0 < in_pixels < result.trials  # both the pixels and the nonces were hit
    assert result.same_bit == result.one_pixel == in_pixels  # each pixel flip flips the same plaintext bit
    assert flips(get("chaos-logistic")).one_pixel == 0  # diffusion spreads the change


def test_each_forgery_is_one_bit_away_from_the_untouched_ciphertext():
    recording = Recording(get("aes-ctr"))
    flips(recording, trials=20)
    assert len(recording.given) == 21  # the reference decryption, then one per trial
    assert np.array_equal(recording.given[0], recording.kept)
    assert np.array_equal(ciphertext_bytes(recording.sealed), recording.kept)  # the original was not altered
    for forged in recording.given[1:]:  # one image each, one bit away from that image's whole ciphertext
        assert forged.shape == (1, recording.kept.shape[1])
        assert any(np.unpackbits(forged[0] ^ row).sum() == 1 for row in recording.kept)


def test_refusals_count_but_crashes_do_not():
    refused = flips(Refusing(ValueError("bad format")), trials=10)
    assert refused.passed and refused.refused == 10 and refused.rejected == 0
    crashed = flips(Refusing(IndexError("index 9 is out of bounds")), trials=10)
    assert not crashed.passed and crashed.crashed == 10 and "IndexError" in crashed.crash


def test_latent_hybrid_rejects_flipped_bits():
    pytest.importorskip("torch")
    result = flips(get("ae-latent-gcm", image_shape=(28, 28)), trials=20, n=2, size=28)
    assert result.passed and result.rejected == 20
