"""Chapter 8's from-scratch key-audit rule agrees with the library's audit, bit by bit, on data."""

import numpy as np
import pytest

from from_scratch import scratch
from medcrypt import metrics
from medcrypt.attacks import algebraic, key_audit
from medcrypt.ciphers import get
from medcrypt.exercises.ch08 import pool

BITS = 48  # the first key bits; the test keeps to a few seconds


@pytest.mark.parametrize("name", ["le-blockwise", "chaos-logistic", "etc-blockwise"])
def test_bit_matters_is_the_librarys_rule(name):
    bit_matters = scratch("08_attacks")["bit_matters"]
    cipher = get(name)
    key, images = cipher.keygen(seed=8), pool()
    audit = key_audit.audit_key(cipher, images, key)
    level = audit.alpha / len(audit.bits)  # the audit's Bonferroni level per bit
    chosen = list(range(BITS)) + [int(b) for b in audit.bits[~audit.matters][:8]]
    mine = np.array([bit_matters(cipher, key, images, bit, level) for bit in chosen])
    np.testing.assert_array_equal(mine, audit.matters[chosen])
    if name == "le-blockwise":  # the comparison includes bits that do not matter, so it can fail
        assert not mine.all()


def test_bit_matters_sees_a_bit_that_does_not_matter():
    bit_matters = scratch("08_attacks")["bit_matters"]

    class Folded:  # XOR with a byte of the key; bits 8 and up are ignored
        key_bits = 16

        def encrypt(self, images, key):
            return images ^ np.uint8(key & 0xFF)

        decrypt = encrypt

        def flip_key_bit(self, key, bit):
            return key ^ (1 << bit)

    images = pool()
    assert not bit_matters(Folded(), 0x5A, images, 12, 0.05 / 16)


def test_two_time_pad_recovers_the_other_image_exactly():
    cipher = get("aes-ctr-nonce-reuse")
    images = pool()
    c = cipher.encrypt(images, cipher.keygen(seed=3))
    np.testing.assert_array_equal(algebraic.two_time_pad(images[0], c[0], c[1:]), images[1:])
    fresh = get("aes-ctr")  # a fresh nonce per image: the same arithmetic gives noise
    c = fresh.encrypt(images, fresh.keygen(seed=3))
    assert metrics.psnr(images[1:], algebraic.two_time_pad(images[0], c[0], c[1:])).pooled < 12
    with pytest.raises(ValueError, match="one shape"):
        algebraic.two_time_pad(images[0], c[0][:14], c[1:])
