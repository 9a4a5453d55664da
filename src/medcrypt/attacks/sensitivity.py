"""Plaintext and key sensitivity as a pass/fail test (Wu et al. critical values, for many images).

Each image pair gets the Wu et al. NPCR and UACI tests at level α for the actual image
size. For an ideal cipher the number of images that pass is Binomial(n, p₀), where p₀ is
the exact null pass rate of that test at that size (below 1 − α for NPCR at 28×28, see
:func:`medcrypt.metrics.npcr_null_pass_rate` and
:func:`medcrypt.metrics.uaci_null_pass_rate`). A cipher *fails* when so few of its images
pass that an ideal cipher would do that badly with probability below ``level``: the
verdict's own false-alarm rate, which a table of many verdicts sets by a family-wise
correction (:mod:`medcrypt.verdicts`).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from .. import metrics
from ..binomial import pass_count_p_value
from ..ciphers.base import Cipher


def too_few_passes(pass_rate: float, n_images: int, null_rate: float, alpha: float = metrics.ALPHA) -> bool:
    """True if ``pass_rate`` of ``n_images`` is below what an ideal cipher gives with probability ≥ α."""
    return pass_count_p_value(pass_rate, n_images, null_rate) < alpha


def verdict(diff: metrics.Differential, alpha: float = metrics.ALPHA, level: float | None = None) -> dict:
    """NPCR/UACI figures of one differential test and whether each passes, for its image size.

    ``alpha`` is the per-image test level (Wu et al.'s critical values); ``level`` the
    false-alarm rate of each of the two verdicts (``alpha`` when not given).
    """
    level = alpha if level is None else level
    n_images = len(diff.npcr.per_image)
    npcr_rate, uaci_rate = diff.npcr_pass_rate(alpha), diff.uaci_pass_rate(alpha)
    npcr_p = pass_count_p_value(npcr_rate, n_images, metrics.npcr_null_pass_rate(diff.n_pixels, alpha))
    uaci_p = pass_count_p_value(uaci_rate, n_images, metrics.uaci_null_pass_rate(diff.n_pixels, alpha))
    return {"npcr": diff.npcr.pooled, "uaci": diff.uaci.pooled, "npcr_pass_rate": npcr_rate,
            "uaci_pass_rate": uaci_rate, "npcr_p": npcr_p, "uaci_p": uaci_p, "npcr_passed": npcr_p >= level,
            "uaci_passed": uaci_p >= level, "passed": npcr_p >= level and uaci_p >= level}


def sensitivity(cipher: Cipher, images: np.ndarray, key, seed: int = 0, alpha: float = metrics.ALPHA,
                level: float | None = None) -> dict:
    """Plaintext sensitivity (one pixel +1) and key sensitivity (one key bit) with verdicts at ``level``.

    A cipher without a key (``key_bits == 0``) has no key sensitivity to measure; it is
    reported as failing, since whoever holds the weights decrypts.
    """
    rng = np.random.default_rng(seed)
    plain = verdict(metrics.plaintext_sensitivity(cipher, images, key, rng), alpha, level)
    out = {f"plaintext_{k}": v for k, v in plain.items()}
    if cipher.key_bits == 0:
        out.update({"key_npcr": None, "key_uaci": None, "key_npcr_pass_rate": None, "key_uaci_pass_rate": None,
                    "key_npcr_p": None, "key_uaci_p": None, "key_npcr_passed": False, "key_uaci_passed": False,
                    "key_passed": False})
    else:
        diff = metrics.key_sensitivity(cipher, images, key, metrics.neighbour_key(cipher, key, rng))
        out.update({f"key_{k}": v for k, v in verdict(diff, alpha, level).items()})
    return out
