"""Chapter 10's checked exercises: what an 8-bit cipher would do to a 16-bit CT slice, and entropy at 16 bits."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import data, metrics
from .core import Exercise, near

#: The bundled CT slice of the exercises (pydicom's test file; its patient is a test value, not a person).
CT_SAMPLE = "CT_small.dcm"


@lru_cache(maxsize=1)
def ct_words() -> np.ndarray:
    """The CT slice's stored 16-bit words, as the ciphers of chapter 10 take them."""
    return data.read_dicom(CT_SAMPLE).words


def truncation_changed_percent(words: np.ndarray) -> float:
    """Percent of pixels that an 8-bit cast (which keeps the low byte) changes, read back as 16-bit words."""
    return 100.0 * float(np.mean(words.astype(np.uint8).astype(words.dtype) != words))


def high_byte_levels(words: np.ndarray) -> int:
    """Distinct grey levels left when only the high byte is kept (a division by 256, the other way to 8 bits)."""
    return int(np.unique(words >> 8).size)


ITEMS = (
    Exercise("10_clinic", 1, f"the percentage of {CT_SAMPLE}'s pixels that an 8-bit cast (low byte kept) changes",
             lambda: truncation_changed_percent(ct_words()), 0.01, "%",
             ((near(lambda e: e / 100, 0.001), "give a percentage, not a fraction."),
              (near(lambda e: 100 - e, 0.01), "that is the share that stays the same; the question asks for the "
                                              "pixels the cast changes."))),
    Exercise("10_clinic", 2, f"the number of distinct grey levels of {CT_SAMPLE} left when only the high byte is kept",
             lambda: high_byte_levels(ct_words()), 0.5, "levels",
             ((near(lambda e: 256.0, 0.5), "256 is how many levels a byte can hold; count the levels this image "
                                           "actually keeps (np.unique of words >> 8)."),
              (near(lambda e: float(np.unique(ct_words()).size), 0.5), "that is the number of levels before the "
                                                                        "cast; shift the words right by 8 first."))),
    Exercise("10_clinic", 3, "the expected entropy of a 128×128 image of uniform random 16-bit words",
             lambda: metrics.expected_entropy(128 * 128, levels=2 ** 16), 0.01, "bits",
             ((near(lambda e: 16.0, 0.005), "16 bits is the limit for infinitely many pixels; 16,384 pixels "
                                            "cannot fill 65,536 levels, most levels are never drawn."),
              (near(lambda e: 14.0, 0.005), "14 bits (log2 of 16,384) is the bound when every pixel differs; "
                                            "some words repeat, so the expectation is a little lower."),
              (near(lambda e: metrics.expected_entropy(128 * 128), 0.01), "that is the 8-bit value (L = 256); "
                                                                          "use L = 65,536."))),
)
