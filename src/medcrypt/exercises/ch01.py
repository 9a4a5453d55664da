"""Chapter 1's checked exercises: the null values of NPCR, UACI and entropy for an ideal cipher, and the
sampling error of an advantage estimated from a number of games."""

from __future__ import annotations

from scipy import stats

from .. import metrics
from .core import Exercise, near

ITEMS = (
    Exercise("01_metrics", 2, "the expected NPCR of two independent uniform 8-bit cipher images",
             lambda: 100 * metrics.npcr_expected(), 0.01, "%",
             ((near(lambda e: e / 100, 0.001), "NPCR is quoted in percent, not as a fraction."),
              (near(lambda e: 100.0, 0.005), "two independent bytes are equal with probability 1/256, so not "
                                             "every pixel differs."))),
    Exercise("01_metrics", 3, "the expected UACI of two independent uniform 8-bit cipher images",
             lambda: 100 * metrics.uaci_expected(), 0.01, "%",
             ((near(lambda e: e / 100, 0.001), "UACI is quoted in percent, not as a fraction."),
              (near(lambda e: 50.0, 0.5), "the mean absolute difference of two independent uniform values is a "
                                          "third of the range, not half of it."))),
    Exercise("01_metrics", 4, "the expected Shannon entropy of one 28×28 image of uniform random bytes",
             lambda: metrics.expected_entropy(28 * 28), 0.01, "bits",
             ((near(lambda e: 8.0, 0.005), "8 bits is the limit for infinitely many pixels; 784 pixels cannot "
                                           "fill 256 bins evenly, so the histogram's entropy is lower."),)),
    Exercise("01_metrics", 5, "the standard deviation of the advantage estimate 2w/n - 1 from n = 200 games of an "
                              "adversary that wins each game with probability 1/2",
             lambda: 2 * stats.binom.std(200, 0.5) / 200, 0.002, "",
             ((near(lambda e: e / 2, 0.002), "the estimate is 2w/n - 1: the factor 2 doubles the standard deviation "
                                             "of the win rate w/n."),
              (near(lambda e: e**2, 0.001), "that is the variance; the standard deviation is its square root."))),
)
