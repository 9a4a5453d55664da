"""The common metric suite, as vectorised NumPy functions (no torch: it measures any cipher).

Every statistic is reported two ways, because MedMNIST images are small:

* **per image**: the statistic of each image, summarised by its mean and by the share of
  images that pass the test at the image's own size;
* **pooled**: the statistic of the whole batch taken as one sample.

A 28×28 image has only 784 pixels, so even a perfectly random one has a global entropy
well below 8 bits (see :func:`expected_entropy`). Comparing a per-image value with 8 is
the bias that Wu et al. (2013) criticise; we compare it with the expectation at that size.

**Bit depth.** Every function takes the number of grey levels L (``levels``): 256 for
``uint8`` images, 65,536 for the ``uint16`` words of 16-bit DICOM pixel data, which is
also what ``levels=None`` infers from the dtype; 4,096 for 12-bit data judged on its own
range. Wu et al.'s formulas, the entropy expectation and PSNR's peak are general in L;
the χ² test bins L levels into at most 256 equal-width bins (:func:`chi_square`).

References: NPCR/UACI expectations and critical values from Wu, Noonan & Agaian (2011);
NIST SP 800-22 tests judged over many sequences as its §4 prescribes (:mod:`medcrypt.nist`);
SSIM from scikit-image.
"""

from __future__ import annotations

import functools
import math
import os
import platform
import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from .ciphers.base import AuthenticationError, Cipher, check_images

LEVELS = 256  # 8-bit images
#: Grey levels of each image dtype the suite measures (16-bit: DICOM pixel data, see :mod:`medcrypt.clinic`).
DTYPE_LEVELS = {np.dtype(np.uint8): 256, np.dtype(np.uint16): 65_536}
#: The χ² test's most bins: more would leave too few expected counts per bin at 16 bits.
CHI2_MAX_BINS = 256
ALPHA = 0.05  # default significance level of the per-image tests


# ------------------------------------------------------------------ helpers

@dataclass(frozen=True)
class Stat:
    """One statistic: its value for every image and for the pooled batch."""

    per_image: np.ndarray
    pooled: float

    @property
    def mean(self) -> float:
        """Mean over the images where the statistic is defined; NaN (without a warning) when it is defined for none."""
        defined = self.per_image[~np.isnan(self.per_image)]
        return float(defined.mean()) if defined.size else math.nan

    @property
    def std(self) -> float:
        defined = self.per_image[~np.isnan(self.per_image)]
        return float(defined.std()) if defined.size else math.nan


def as_batch(images: np.ndarray) -> np.ndarray:
    """A ``uint8`` or ``uint16`` batch as a plain (N, H, W, C) array (grey images get C = 1)."""
    images = np.asarray(images)
    if images.dtype != np.uint16:  # uint8, or a bad input that check_images explains
        images = check_images(images, "metrics")
    elif images.ndim not in (3, 4) or 0 in images.shape:
        raise ValueError(f"metrics: images must be a uint8 or uint16 array of shape (N, H, W) or (N, H, W, C) "
                         f"with N >= 1; got shape {images.shape}")
    images = np.ascontiguousarray(images)
    return images[..., None] if images.ndim == 3 else images


def grey_levels(images: np.ndarray, levels: int | None = None) -> int:
    """L for ``images``: ``levels`` if given (checked against the data), else 256 for uint8 and 65,536 for uint16."""
    dtype = np.asarray(images).dtype
    if dtype not in DTYPE_LEVELS:
        check_images(np.asarray(images), "metrics")  # raises the dtype message
    if levels is None:
        return DTYPE_LEVELS[dtype]
    if not 2 <= int(levels) <= DTYPE_LEVELS[dtype]:
        raise ValueError(f"metrics: levels must be between 2 and {DTYPE_LEVELS[dtype]} for {dtype} images; got {levels}")
    top = int(np.max(images))
    if top >= levels:
        raise ValueError(f"metrics: levels={levels} but the images hold the value {top}; pass levels > {top} "
                         f"(for example {DTYPE_LEVELS[dtype]}, every value of {dtype})")
    return int(levels)


def pixels_per_image(images: np.ndarray) -> int:
    return int(np.prod(as_batch(images).shape[1:]))


def histograms(images: np.ndarray, levels: int | None = None) -> np.ndarray:
    """Grey-level counts, shape (N, L), in one ``bincount`` over the whole batch."""
    batch = as_batch(images)
    levels = grey_levels(batch, levels)
    n = len(batch)
    flat = batch.reshape(n, -1).astype(np.int64)
    offsets = (np.arange(n, dtype=np.int64) * levels)[:, None]
    return np.bincount((flat + offsets).ravel(), minlength=n * levels).reshape(n, levels)


def _entropy_of_counts(counts: np.ndarray) -> np.ndarray:
    total = counts.sum(axis=-1, keepdims=True)
    p = counts / total
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log2(p), 0.0)
    return terms.sum(axis=-1)


# ------------------------------------------------------------------ histogram

def entropy(images: np.ndarray, levels: int | None = None) -> Stat:
    """Global Shannon entropy H = -Σ p_i log2 p_i over the L grey levels, in bits (at most log2 L)."""
    counts = histograms(images, levels)
    return Stat(_entropy_of_counts(counts), float(_entropy_of_counts(counts.sum(axis=0))))


def expected_entropy(n_pixels: int, levels: int = LEVELS) -> float:
    """Exact expected global entropy of an image of ``n_pixels`` i.i.d. uniform pixels on L = ``levels`` grey levels.

    Each grey level's count is Binomial(n, 1/L), so
    E[H] = -L · Σ_k P(K = k) · (k/n) log2(k/n). It approaches log2 L only as n grows
    large against L: a 128×128 image cannot come near 16 bits.
    """
    if n_pixels < 1:
        raise ValueError(f"n_pixels must be >= 1; got {n_pixels}")
    if levels < 2:
        raise ValueError(f"levels must be >= 2; got {levels}")
    # Counts beyond the mean + 40 standard deviations (+ 50) have a probability below 1e-300: leave them out.
    mean = n_pixels / levels
    top = min(n_pixels, int(mean + 40 * math.sqrt(mean) + 50))
    k = np.arange(1, top + 1)
    pmf = stats.binom.pmf(k, n_pixels, 1 / levels)
    q = k / n_pixels
    return float(-levels * np.sum(pmf * q * np.log2(q)))


@dataclass(frozen=True)
class ChiSquare:
    statistic: Stat
    p_value: Stat

    def pass_rate(self, alpha: float = ALPHA) -> float:
        return float(np.mean(self.p_value.per_image >= alpha))


def _chi2_of_counts(counts: np.ndarray) -> np.ndarray:
    expected = counts.sum(axis=-1, keepdims=True) / counts.shape[-1]
    return ((counts - expected) ** 2 / expected).sum(axis=-1)


def chi_square_bins(levels: int = LEVELS) -> int:
    """Bins of the χ² test on L levels: L itself up to 256, else 256 equal-width bins of L/256 levels.

    For 16-bit data the levels are the high byte: a 128×128 image expects 64 pixels per
    bin, where 65,536 single-level bins would expect a quarter of a pixel each and the χ²
    approximation would fail.
    """
    return min(levels, CHI2_MAX_BINS)


def chi_square(images: np.ndarray, levels: int | None = None, bins: int | None = None) -> ChiSquare:
    """Chi-square test of the grey-level histogram against uniform (bins − 1 degrees of freedom).

    The L levels fall into ``bins`` equal-width bins (:func:`chi_square_bins` by default; it
    must divide L); at 8 bits that is one bin per level, 255 degrees of freedom. A large
    p-value means no evidence against a flat histogram. For a 28×28 image the expected
    count per level is about 3, below the usual rule of thumb of 5; the pooled test has no
    such problem, which is another reason to report both.
    """
    levels = grey_levels(images, levels)
    bins = chi_square_bins(levels) if bins is None else int(bins)
    if bins < 2 or levels % bins:
        raise ValueError(f"chi_square: bins must be at least 2 and divide levels={levels}; got {bins}")
    counts = histograms(images, levels)
    if bins < levels:
        counts = counts.reshape(len(counts), bins, levels // bins).sum(axis=-1)
    per_image = _chi2_of_counts(counts)
    pooled = float(_chi2_of_counts(counts.sum(axis=0)))
    dof = bins - 1
    return ChiSquare(
        Stat(per_image, pooled),
        Stat(stats.chi2.sf(per_image, dof), float(stats.chi2.sf(pooled, dof))),
    )


# ------------------------------------------------------------------ correlation

DIRECTIONS = ("horizontal", "vertical", "diagonal")


def adjacent_pairs(images: np.ndarray, direction: str) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of neighbouring pixels, as two arrays of shape (N, pairs)."""
    batch = as_batch(images)
    if direction == "horizontal":
        a, b = batch[:, :, :-1], batch[:, :, 1:]
    elif direction == "vertical":
        a, b = batch[:, :-1, :], batch[:, 1:, :]
    elif direction == "diagonal":
        a, b = batch[:, :-1, :-1], batch[:, 1:, 1:]
    else:
        raise ValueError(f"direction must be one of {DIRECTIONS}; got {direction!r}")
    n = len(batch)
    return a.reshape(n, -1).astype(np.float64), b.reshape(n, -1).astype(np.float64)


def _pearson_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a - a.mean(axis=-1, keepdims=True)
    b = b - b.mean(axis=-1, keepdims=True)
    denom = np.sqrt((a * a).sum(axis=-1) * (b * b).sum(axis=-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, (a * b).sum(axis=-1) / denom, np.nan)  # constant image: undefined


def correlation(images: np.ndarray, direction: str) -> Stat:
    """Pearson correlation of all adjacent-pixel pairs in one direction (ideal: about 0).

    Papers often sample a few thousand random pairs; we use every pair, which removes
    the sampling noise. Constant images have no defined correlation and give NaN.
    """
    a, b = adjacent_pairs(images, direction)
    if a.shape[1] == 0:  # a one-pixel-high "image", such as an encrypted latent code: no such neighbours
        return Stat(np.full(len(a), np.nan), float("nan"))
    return Stat(_pearson_rows(a, b), float(_pearson_rows(a.ravel(), b.ravel())))


# ------------------------------------------------------------------ NPCR / UACI

def npcr_expected(levels: int = LEVELS) -> float:
    """Expected NPCR of two independent uniform cipher images: F/(F+1) with F = levels - 1."""
    f = levels - 1
    return f / (f + 1)


def uaci_expected(levels: int = LEVELS) -> float:
    """Expected UACI of two independent uniform cipher images: (F+2)/(3F+3)."""
    f = levels - 1
    return (f + 2) / (3 * f + 3)


def npcr_std(n_pixels: int, levels: int = LEVELS) -> float:
    """Standard deviation of NPCR under the null hypothesis (Wu, Noonan & Agaian 2011)."""
    f = levels - 1
    return math.sqrt(f / (n_pixels * (f + 1) ** 2))


def uaci_std(n_pixels: int, levels: int = LEVELS) -> float:
    """Standard deviation of UACI under the null hypothesis (Wu, Noonan & Agaian 2011)."""
    f = levels - 1
    return math.sqrt((f + 2) * (f * f + 2 * f + 3) / (18 * (f + 1) ** 2 * f * n_pixels))


def npcr_critical(n_pixels: int, alpha: float = ALPHA, levels: int = LEVELS) -> float:
    """One-sided critical value N*_α: an NPCR below it rejects 'the cipher looks random'."""
    return npcr_expected(levels) - stats.norm.ppf(1 - alpha) * npcr_std(n_pixels, levels)


def npcr_null_pass_rate(n_pixels: int, alpha: float = ALPHA, levels: int = LEVELS) -> float:
    """Exact probability that two independent uniform cipher images pass the NPCR test.

    The count of unchanged pixels is Binomial(T, 1/levels). For small images it is far
    from normal (about 3 expected at 28×28), so the true pass rate of an ideal cipher
    falls short of 1 - α; for 256×256 and larger the normal approximation is good.
    """
    most_unchanged = math.floor(n_pixels * (1 - npcr_critical(n_pixels, alpha, levels)) + 1e-9)
    return float(stats.binom.cdf(most_unchanged, n_pixels, 1 / levels))


def uaci_critical(n_pixels: int, alpha: float = ALPHA, levels: int = LEVELS) -> tuple[float, float]:
    """Two-sided acceptance interval (U*-_α, U*+_α) for UACI."""
    z = stats.norm.ppf(1 - alpha / 2)
    mu, sd = uaci_expected(levels), uaci_std(n_pixels, levels)
    return mu - z * sd, mu + z * sd


#: Above this many pixels the UACI null is taken as normal (Wu et al.'s moments are exact, the CLT does the rest).
EXACT_UACI_MAX_PIXELS = 16_384
#: ... and above this support of the sum of |a − b| (F·T + 1 values, an FFT of that length): 8-bit at 128×128.
EXACT_UACI_MAX_SUPPORT = 255 * EXACT_UACI_MAX_PIXELS


@functools.lru_cache(maxsize=32)
def uaci_null_pass_rate(n_pixels: int, alpha: float = ALPHA, levels: int = LEVELS) -> float:
    """Probability that two independent uniform cipher images pass the two-sided UACI test.

    UACI·F·T is the sum of T i.i.d. |a − b| with a, b uniform on 0..F, whose law is
    P(0) = 1/L, P(d) = 2(L − d)/L² (L = F + 1 levels). Its exact distribution is that law
    convolved T times, computed by FFT; the pass rate is its mass inside Wu et al.'s
    interval, which at small T is not exactly 1 − α. For large images the normal
    approximation with Wu et al.'s moments is used.
    """
    if n_pixels < 1:
        raise ValueError(f"n_pixels must be >= 1; got {n_pixels}")
    low, high = uaci_critical(n_pixels, alpha, levels)
    f = levels - 1
    if n_pixels > EXACT_UACI_MAX_PIXELS or f * n_pixels > EXACT_UACI_MAX_SUPPORT:
        mu, sd = uaci_expected(levels), uaci_std(n_pixels, levels)
        return float(stats.norm.cdf(high, mu, sd) - stats.norm.cdf(low, mu, sd))
    d = np.arange(levels)
    law = np.where(d == 0, 1.0 / levels, 2.0 * (levels - d) / levels**2)
    size = f * n_pixels + 1
    length = int(2 ** math.ceil(math.log2(size)))
    pmf = np.fft.irfft(np.fft.rfft(law, length) ** n_pixels, length)[:size]
    sums = np.arange(size)
    inside = (sums >= low * f * n_pixels - 1e-9) & (sums <= high * f * n_pixels + 1e-9)
    return float(np.clip(pmf[inside].sum(), 0.0, 1.0))


@dataclass(frozen=True)
class Differential:
    """NPCR and UACI (as fractions, not percent) between two batches of cipher images."""

    npcr: Stat
    uaci: Stat
    n_pixels: int
    levels: int = LEVELS

    def npcr_pass_rate(self, alpha: float = ALPHA) -> float:
        return float(np.mean(self.npcr.per_image >= npcr_critical(self.n_pixels, alpha, self.levels)))

    def uaci_pass_rate(self, alpha: float = ALPHA) -> float:
        low, high = uaci_critical(self.n_pixels, alpha, self.levels)
        return float(np.mean((self.uaci.per_image >= low) & (self.uaci.per_image <= high)))


def npcr_uaci(cipher1: np.ndarray, cipher2: np.ndarray, levels: int | None = None) -> Differential:
    """NPCR (share of differing pixels) and UACI (mean |difference| / (L − 1)) per image and pooled."""
    a, b = as_batch(cipher1), as_batch(cipher2)
    if a.shape != b.shape or a.dtype != b.dtype:
        raise ValueError(f"npcr_uaci needs two batches of one shape and dtype; got {a.shape} {a.dtype} "
                         f"and {b.shape} {b.dtype}")
    levels = grey_levels(a, levels)
    grey_levels(b, levels)  # b's values must fit the same L
    n = len(a)
    diff = np.abs(a.astype(np.int32) - b.astype(np.int32)).reshape(n, -1)
    npcr = (diff != 0).mean(axis=1)
    uaci = diff.mean(axis=1) / (levels - 1)
    # Images in a batch have one size, so the pooled value is the mean of the per-image ones.
    return Differential(Stat(npcr, float(npcr.mean())), Stat(uaci, float(uaci.mean())),
                        a.shape[1] * a.shape[2] * a.shape[3], levels)


def one_pixel_change(images: np.ndarray, rng: np.random.Generator, levels: int | None = None) -> np.ndarray:
    """Copy of ``images`` with one random pixel (one channel) of each image changed by +1 mod L."""
    batch = as_batch(images)
    levels = grey_levels(batch, levels)
    changed = batch.copy()
    n, h, w, c = batch.shape
    idx = (np.arange(n), rng.integers(0, h, n), rng.integers(0, w, n), rng.integers(0, c, n))
    changed[idx] = (changed[idx].astype(np.int64) + 1) % levels
    return changed.reshape(np.shape(images))


def plaintext_sensitivity(cipher: Cipher, images: np.ndarray, key, rng: np.random.Generator,
                          levels: int | None = None) -> Differential:
    """The differential test: NPCR/UACI between the ciphers of plaintexts that differ in one pixel.

    ``levels`` is the plaintext's L (the +1 wraps modulo L); the cipher images are judged on
    the L of their own dtype.
    """
    changed = one_pixel_change(images, rng, levels)
    return npcr_uaci(cipher.encrypt(images, key), cipher.encrypt(changed, key))


def neighbour_key(cipher: Cipher, key, rng: np.random.Generator):
    """``key`` with one random bit flipped, using the cipher's own ``flip_key_bit``."""
    if cipher.key_bits == 0:
        return key
    return cipher.flip_key_bit(key, int(rng.integers(0, cipher.key_bits)))


def key_sensitivity(cipher: Cipher, images: np.ndarray, key, other_key) -> Differential:  # any bit depth
    """NPCR/UACI between the ciphers of the same images under two keys (one bit apart)."""
    return npcr_uaci(cipher.encrypt(images, key), cipher.encrypt(images, other_key))


# ------------------------------------------------------------------ fidelity

def mse(reference: np.ndarray, test: np.ndarray) -> np.ndarray:
    a, b = as_batch(reference).astype(np.float64), as_batch(test).astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"mse needs two batches of one shape; got {a.shape} and {b.shape}")
    return ((a - b) ** 2).reshape(len(a), -1).mean(axis=1)


def psnr_from_mse(error: np.ndarray | float, levels: int = LEVELS) -> np.ndarray:
    """PSNR in dB: 10 log10((L − 1)² / MSE), peak 255 at 8 bits; infinite when MSE is 0."""
    error = np.asarray(error, dtype=np.float64)
    # 20 log10(peak) − 10 log10(MSE): the quotient peak² / MSE would overflow at 16 bits for a tiny MSE.
    return np.where(error > 0, 20 * np.log10(levels - 1) - 10 * np.log10(np.maximum(error, 1e-300)), np.inf)


def psnr(reference: np.ndarray, test: np.ndarray, levels: int | None = None) -> Stat:
    """PSNR per image and pooled, with the peak L − 1 of the reference's grey levels."""
    levels = grey_levels(reference, levels)
    error = mse(reference, test)
    return Stat(psnr_from_mse(error, levels), float(psnr_from_mse(error.mean(), levels)))


def ssim(reference: np.ndarray, test: np.ndarray, levels: int | None = None) -> Stat:
    """Structural similarity per image (scikit-image, 7×7 window, data range L − 1: 255 at 8 bits)."""
    from skimage.metrics import structural_similarity

    a, b = as_batch(reference), as_batch(test)
    levels = grey_levels(a, levels)
    if a.shape != b.shape:
        raise ValueError(f"ssim needs two batches of one shape; got {a.shape} and {b.shape}")
    colour = a.shape[-1] > 1
    values = np.array([
        structural_similarity(x if colour else x[..., 0], y if colour else y[..., 0],
                              data_range=levels - 1, channel_axis=-1 if colour else None)
        for x, y in zip(a, b)
    ])
    return Stat(values, float(values.mean()))


def bit_exact_rate(reference: np.ndarray, test: np.ndarray) -> float:
    """Share of images recovered bit for bit."""
    a, b = as_batch(reference), as_batch(test)
    return float(np.mean(np.all(a.reshape(len(a), -1) == b.reshape(len(b), -1), axis=1)))


# ------------------------------------------------------------------ NIST SP 800-22, judged as its §4 says

#: Bits per sequence: the shortest that every test we run admits (binary matrix rank needs 38,912).
NIST_SEQUENCE_BITS = 40_000
#: False-alarm rate of the NIST verdict for one cipher, over all its rows.
NIST_LEVEL = 0.01


def bitstream(images: np.ndarray, max_bits: int | None = None) -> np.ndarray:
    """The batch's pixels as a 0/1 ``int64`` bit sequence, most significant bit first.

    A ``uint16`` pixel gives its 16 bits, high byte first, whatever the machine's byte order.
    """
    batch = as_batch(images)
    words = batch.astype(">u2") if batch.dtype == np.uint16 else batch
    bits = np.unpackbits(np.ascontiguousarray(words).view(np.uint8).ravel()).astype(np.int64)
    return bits if max_bits is None else bits[:max_bits]


def nist_report(bits: np.ndarray, sequence_bits: int = NIST_SEQUENCE_BITS):
    """SP 800-22 over as many sequences of ``sequence_bits`` as the bits hold (at most 100): :func:`medcrypt.nist.assess`."""
    from . import nist

    return nist.assess(np.asarray(bits), sequence_bits=sequence_bits)


def nist_summary(report, level: float = NIST_LEVEL) -> dict[str, Any]:
    """The results-row fields of one assessment.

    ``nist_passed`` counts the rows that pass the calibrated rule
    (:meth:`medcrypt.nist.NistReport.calibrated`, false-alarm rate ``level`` per cipher);
    ``nist_section4_passed`` those whose proportion lies in §4.2.1's three-sigma interval,
    which a perfect generator misses in some row about one report in eight.
    """
    calibrated = report.calibrated(level)
    out: dict[str, Any] = {"nist_sequences": report.n_sequences, "nist_sequence_bits": report.sequence_bits,
                           "nist_run": report.n_rows, "nist_passed": int(sum(calibrated.values())),
                           "nist_section4_passed": report.n_passed,
                           "nist_uniformity_tested": any(r.uniformity_p is not None for r in report.rows),
                           "nist_failed_rows": "; ".join(name for name, ok in calibrated.items() if not ok)}
    for row in report.rows:
        slug = row.name.split(" (")[0].replace(" ", "_") + ("_backward" if "backward" in row.name else
                                                            "_forward" if "forward" in row.name else "")
        out[f"nist_{slug}_proportion"] = row.proportion
    return out


# ------------------------------------------------------------------ cost

def device_name() -> str:
    """The processor the measurement ran on (the GPU name when a cipher uses CUDA).

    Only a cipher that imported torch can use CUDA, so torch is not imported here.
    """
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        return torch.cuda.get_device_name(0)
    return f"{_cpu_model()}, {os.cpu_count()} logical cores"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or f"{platform.machine()} CPU"


def rates(n_images: int, n_bytes: int, encrypt_s: float, decrypt_s: float) -> dict[str, float]:
    """Encrypt and decrypt speed in images/s and MB/s from measured wall times."""
    return {
        "encrypt_images_per_s": n_images / encrypt_s,
        "decrypt_images_per_s": n_images / decrypt_s,
        "encrypt_mb_per_s": n_bytes / 1e6 / encrypt_s,
        "decrypt_mb_per_s": n_bytes / 1e6 / decrypt_s,
    }


def measure_throughput(cipher: Cipher, images: np.ndarray, key, repeats: int = 3) -> dict[str, float]:
    """Encrypt and decrypt speed on ``images`` (8- or 16-bit), best of ``repeats`` runs (for a throughput table)."""
    images = as_batch(images).reshape(np.shape(images))
    best_encrypt = best_decrypt = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        encrypted = cipher.encrypt(images, key)
        best_encrypt = min(best_encrypt, time.perf_counter() - start)
        start = time.perf_counter()
        cipher.decrypt(encrypted, key)
        best_decrypt = min(best_decrypt, time.perf_counter() - start)
    return rates(len(images), images.nbytes, best_encrypt, best_decrypt)


def parameter_count(cipher: Cipher) -> int:
    """Trainable parameters of a learned cipher (0 for classical ones)."""
    count = getattr(cipher, "parameter_count", None)
    return int(count()) if callable(count) else 0


# ------------------------------------------------------------------ the results row

def evaluate(
    cipher: Cipher,
    images: np.ndarray,
    key,
    *,
    dataset: str = "",
    profile: str = "",
    seed: int = 0,
    alpha: float = ALPHA,
    nist: bool = True,
    nist_bits: int | None = None,
    training_time_s: float | None = None,
    levels: int | None = None,
) -> dict[str, Any]:
    """Run the whole suite on one cipher and return one flat results row.

    ``images`` are ``uint8`` or ``uint16`` (16-bit DICOM words); ``levels`` is the
    plaintext's L (by default that of its dtype). Cipher images are judged on the L of
    their own dtype: a cipher that takes 16-bit words returns 16-bit words, all 65,536
    values of which a good cipher uses.

    Fractions (NPCR, UACI, pass rates) are stored as fractions in [0, 1]; tables
    multiply by 100 for display. The NIST tests use the first ``nist_bits`` cipher bits
    (all of them when None) as sequences of :data:`NIST_SEQUENCE_BITS`; ``nist=False``
    skips them, and so does a batch too small for one sequence (``nist_sequences`` = 0).
    """
    images = as_batch(images).reshape(np.shape(images))
    levels = grey_levels(images, levels)
    rng = np.random.default_rng(seed)
    n_pixels = pixels_per_image(images)

    t0 = time.perf_counter()
    cipher_images = cipher.encrypt(images, key)
    encrypt_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    decrypted = cipher.decrypt(cipher_images, key)
    decrypt_s = time.perf_counter() - t0

    row: dict[str, Any] = {
        "cipher": cipher.name,
        "family": cipher.family,
        "dataset": dataset,
        "size": int(images.shape[1]),
        "profile": profile,
        "n_images": int(len(images)),
        "pixels_per_image": n_pixels,
        "lossless": bool(cipher.lossless),
        "levels": levels,
        "key_bits": int(cipher.key_bits),
        "alpha": alpha,
    }

    cipher_levels = grey_levels(cipher_images)
    h = entropy(cipher_images)
    chi = chi_square(cipher_images)
    cipher_size = pixels_per_image(cipher_images)  # can differ from the image's (an encrypted latent code)
    row.update({
        "cipher_pixels_per_image": cipher_size,
        "cipher_bytes_per_image": cipher_size * np.dtype(np.asarray(cipher_images).dtype).itemsize,
        "cipher_levels": cipher_levels,
        "entropy_per_image": h.mean,
        "entropy_pooled": h.pooled,
        "entropy_ideal": math.log2(cipher_levels),
        "entropy_expected_per_image": expected_entropy(cipher_size, cipher_levels),
        "entropy_expected_pooled": expected_entropy(cipher_size * len(images), cipher_levels),
        "chi2_bins": chi_square_bins(cipher_levels),
        "chi2_pooled": chi.statistic.pooled,
        "chi2_p_pooled": chi.p_value.pooled,
        "chi2_pass_rate": chi.pass_rate(alpha),
    })
    image_shaped = np.shape(cipher_images)[1:] == images.shape[1:] or np.shape(cipher_images)[1:] == images.shape[1:3]
    for direction in DIRECTIONS:
        # Neighbouring pixels exist only in output shaped like the image; other output reads n/a (NaN).
        r = correlation(cipher_images, direction) if image_shaped else Stat(np.full(len(images), np.nan), float("nan"))
        row[f"corr_{direction[0]}_per_image"] = r.mean
        row[f"corr_{direction[0]}_pooled"] = r.pooled

    diff = plaintext_sensitivity(cipher, images, key, rng, levels)
    row.update({
        "npcr": diff.npcr.pooled, "uaci": diff.uaci.pooled,
        "npcr_pass_rate": diff.npcr_pass_rate(alpha), "uaci_pass_rate": diff.uaci_pass_rate(alpha),
    })
    other_key = neighbour_key(cipher, key, rng)
    ks = key_sensitivity(cipher, images, key, other_key)
    row.update({
        "key_npcr": ks.npcr.pooled, "key_uaci": ks.uaci.pooled,
        "key_npcr_pass_rate": ks.npcr_pass_rate(alpha), "key_uaci_pass_rate": ks.uaci_pass_rate(alpha),
    })

    fidelity = psnr(images, decrypted, levels)
    row.update({
        "decrypt_mse": float(mse(images, decrypted).mean()),
        "decrypt_psnr": fidelity.pooled,
        "decrypt_ssim": ssim(images, decrypted, levels).mean,
        "bit_exact_rate": bit_exact_rate(images, decrypted),
    })
    try:
        wrong = cipher.decrypt(cipher_images, other_key)
    except AuthenticationError:  # the safe outcome: an authenticated cipher returns nothing at all
        row.update({"wrong_key_rejected": True, "wrong_key_psnr": None, "wrong_key_ssim": None})
    else:
        row.update({"wrong_key_rejected": False, "wrong_key_psnr": psnr(images, wrong, levels).pooled,
                    "wrong_key_ssim": ssim(images, wrong, levels).mean})

    if nist:
        bits = bitstream(cipher_images, nist_bits)
        row["nist_bits"] = int(len(bits))
        if len(bits) >= NIST_SEQUENCE_BITS:
            report = nist_report(bits)
            row.update(nist_summary(report))
            row["nist_min_proportion_p"] = min((r.proportion_p for r in report.rows), default=None)
        else:
            row.update({"nist_sequences": 0, "nist_run": 0, "nist_passed": None})

    row.update(rates(len(images), images.nbytes, encrypt_s, decrypt_s))
    row.update({
        "device": device_name(),
        "parameters": parameter_count(cipher),
        "training_time_s": training_time_s,
    })
    return row
