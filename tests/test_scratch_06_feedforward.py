"""Chapter 6's from-scratch Hopfield key-stream against the library's, byte for byte."""

import numpy as np
import pytest

from medcrypt.ciphers import get, hopfield

from from_scratch import scratch

hopfield_keystream = scratch("06_feedforward")["hopfield_keystream"]


@pytest.mark.parametrize("seed", [0, 2026])
def test_the_from_scratch_keystream_is_the_librarys(seed):
    key = get("chaos-hopfield").keygen(seed=seed)
    ours = hopfield_keystream(hopfield.initial_state(key), 3001, hopfield.WEIGHTS)
    assert ours.dtype == np.uint8 and len(ours) == 3001
    assert np.array_equal(ours, hopfield.keystream(key, 3001))


def test_the_from_scratch_keystream_depends_on_the_state_and_the_transient():
    key = get("chaos-hopfield").keygen(seed=1)
    x0 = hopfield.initial_state(key)
    reference = hopfield.keystream(key, 1000)
    assert not np.array_equal(hopfield_keystream(x0, 1000, hopfield.WEIGHTS, transient=199), reference)
    assert np.mean(hopfield_keystream(x0 + 1e-12, 1000, hopfield.WEIGHTS) != reference) > 0.9
