"""Chapter 9's checked exercise: the entropy a paper's 256×256 cipher image should be compared with."""

from __future__ import annotations

from .. import metrics
from .core import Exercise, near

ITEMS = (
    Exercise("09_comparison", 2, "the expected entropy of a 256×256 image of uniform random bytes",
             lambda: metrics.expected_entropy(256 * 256), 0.0005, "bits",
             ((near(lambda e: 8.0, 0.0002), "8 bits is the limit for infinitely many pixels; at 65,536 pixels the "
                                            "expectation is still a little below it, and papers quote four decimals."),
              (near(lambda e: metrics.expected_entropy(28 * 28), 0.001), "that is the value at 28×28, the book's "
                                                                         "size; use 256 × 256 pixels."))),
)
