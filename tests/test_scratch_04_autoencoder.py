"""Chapter 4's from-scratch latent quantiser against the library's latent codes, bit for bit."""

import numpy as np
import pytest

from medcrypt.ciphers import LatentHybridCipher, VariationalLatentHybridCipher

from from_scratch import scratch

latent_bytes = scratch("04_autoencoder")["latent_bytes"]


@pytest.mark.parametrize("kind", [LatentHybridCipher, VariationalLatentHybridCipher])
def test_latent_bytes_are_the_library_codes(kind, xrays):
    codec = kind(latent_dim=16, seed=1)
    out = latent_bytes(codec.raw_latent(xrays[:64]), codec.latent_range)
    assert out.dtype == np.uint8 and out.shape == (64, 16)
    assert np.array_equal(out, codec.encode_latent(xrays[:64]))


def test_latent_bytes_clip_and_round_half_to_even():
    z = np.array([[-5.0, -1.0, 0.0, 1.0, 5.0]], np.float32)
    assert latent_bytes(z, 1.0).tolist() == [[0, 0, 128, 255, 255]]  # 127.5 rounds to the even 128
    assert latent_bytes(z, 3.0)[0, 0] == 0 and latent_bytes(z, 3.0)[0, 1] != 0  # the range scales


def test_raw_latent_is_what_the_codes_quantise(xrays):
    """A wrong range must not reproduce the codes: the comparison above is not vacuous."""
    codec = VariationalLatentHybridCipher(latent_dim=16, seed=2)
    raw = codec.raw_latent(xrays[:64])
    assert raw.dtype == np.float32
    assert not np.array_equal(latent_bytes(raw, 1.0), codec.encode_latent(xrays[:64]))
