"""Chapter 7's from-scratch jigsaw compatibility and algebraic column matching against the library, on EtC images."""

import numpy as np
import pytest

from medcrypt.attacks import AttackFailed, algebraic, jigsaw
from medcrypt.ciphers import get
from medcrypt.ciphers.learnable import to_blocks
from medcrypt.exercises.ch06 import crops

from from_scratch import scratch

namespace = scratch("07_learnable")
compatibility, match_columns = namespace["compatibility"], namespace["match_columns"]


@pytest.mark.parametrize("block_size", [4, 7])
def test_the_from_scratch_compatibility_is_the_solvers_right_edge_cost(block_size):
    etc = get("etc-blockwise", block_size=block_size)
    cipher = etc.encrypt(crops()[:1], etc.keygen(seed=block_size))
    pieces = to_blocks(np.asarray(cipher)[..., None], block_size).reshape(-1, block_size, block_size, 1)
    right, below = jigsaw.edge_costs(pieces)
    ours = np.array([[compatibility(a[..., 0], b[..., 0]) for b in pieces] for a in pieces])
    assert np.array_equal(ours, right)
    assert not np.array_equal(ours, below)  # it is the left-right score, not the top-bottom one
    turned = np.array([[compatibility(a[..., 0].T, b[..., 0].T) for b in pieces] for a in pieces])
    assert np.array_equal(turned, below)


@pytest.mark.parametrize("n_known", [3, 8])  # 3: flat regions leave positions ambiguous, broken in the same order
def test_the_from_scratch_column_matching_finds_the_librarys_equivalent_key(n_known):
    etc = get("etc-blockwise", block_size=4)
    key = etc.keygen(seed=3)
    known, test = crops()[:n_known], crops()[8:]
    cipher = np.asarray(etc.encrypt(known, key))
    source, mask = match_columns(known, cipher)
    library = algebraic.recover_key(known, cipher, "permutation + XOR")
    assert np.array_equal(source, library.source) and np.array_equal(mask, library.mask)
    if n_known == 3:
        assert library.ambiguous > 0
        return
    assert np.array_equal(library.decrypt(etc.encrypt(test, key)), test)
    decrypted = np.empty((len(test), source.size), dtype=np.uint8)
    decrypted[:, source] = np.asarray(etc.encrypt(test, key)).reshape(len(test), -1) ^ mask
    assert np.array_equal(decrypted.reshape(test.shape), test)


def test_the_from_scratch_column_matching_refuses_a_cipher_of_another_form():
    known = crops()[:6]
    aes = get("aes-ctr")
    cipher = np.asarray(aes.encrypt(known, aes.keygen(seed=0)))  # a fresh nonce per image: no common (P, β)
    with pytest.raises(KeyError):
        match_columns(known, cipher)
    with pytest.raises(AttackFailed):
        algebraic.recover_key(known, cipher, "permutation + XOR")
