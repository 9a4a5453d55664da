"""Plaintext and key sensitivity as a pass/fail test (Wu et al. critical values, for many images).

Each image pair gets the Wu et al. NPCR and UACI tests at level α for the actual image
size. For an ideal cipher the number of images that pass is Binomial(n, p₀), where p₀ is
the exact null pass rate (below 1 − α at 28×28, see
:func:`medcrypt.metrics.npcr_null_pass_rate`). A cipher *fails* when so few of its images
pass that an ideal cipher would do that badly with probability below α.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from .. import metrics
from ..ciphers.base import Cipher


def too_few_passes(pass_rate: float, n_images: int, null_rate: float, alpha: float = metrics.ALPHA) -> bool:
    """True if ``pass_rate`` of ``n_images`` is below what an ideal cipher gives with probability ≥ α."""
    if not 0 < null_rate <= 1 or n_images < 1:
        raise ValueError(f"need 0 < null_rate <= 1 and n_images >= 1; got {null_rate} and {n_images}")
    passes = int(round(pass_rate * n_images))
    return bool(stats.binom.cdf(passes, n_images, null_rate) < alpha)


def verdict(diff: metrics.Differential, alpha: float = metrics.ALPHA) -> dict:
    """NPCR/UACI figures of one differential test and whether they pass, for its image size."""
    n_images = len(diff.npcr.per_image)
    npcr_rate, uaci_rate = diff.npcr_pass_rate(alpha), diff.uaci_pass_rate(alpha)
    npcr_ok = not too_few_passes(npcr_rate, n_images, metrics.npcr_null_pass_rate(diff.n_pixels, alpha), alpha)
    uaci_ok = not too_few_passes(uaci_rate, n_images, 1 - alpha, alpha)
    return {"npcr": diff.npcr.pooled, "uaci": diff.uaci.pooled, "npcr_pass_rate": npcr_rate,
            "uaci_pass_rate": uaci_rate, "passed": npcr_ok and uaci_ok}


def sensitivity(cipher: Cipher, images: np.ndarray, key, seed: int = 0, alpha: float = metrics.ALPHA) -> dict:
    """Plaintext sensitivity (one pixel +1) and key sensitivity (one key bit) with verdicts.

    A cipher without a key (``key_bits == 0``) has no key sensitivity to measure; it is
    reported as failing, since whoever holds the weights decrypts.
    """
    rng = np.random.default_rng(seed)
    plain = verdict(metrics.plaintext_sensitivity(cipher, images, key, rng), alpha)
    out = {f"plaintext_{k}": v for k, v in plain.items()}
    if cipher.key_bits == 0:
        out.update({"key_npcr": None, "key_uaci": None, "key_npcr_pass_rate": None, "key_uaci_pass_rate": None,
                    "key_passed": False})
    else:
        diff = metrics.key_sensitivity(cipher, images, key, metrics.neighbour_key(cipher, key, rng))
        out.update({f"key_{k}": v for k, v in verdict(diff, alpha).items()})
    return out
