"""Sentences of chapters 3 and 4: GANs, autoencoders and VAEs, chosen or filled by computed values."""

from __future__ import annotations

import math
from typing import Iterable

import pandas as pd

from .common import names, p_value_text


def _ch34_short(value: float) -> str:
    """A loss or a small statistic for prose: three decimals, or scientific notation when it is tiny."""
    value = float(value)
    return f"{value:.3f}" if value == 0 or abs(value) >= 0.001 else f"{value:.1e}"


def _ch34_rate(value: float) -> str:
    """A throughput in MB/s for prose: one decimal from 1 MB/s up, two significant digits below."""
    value = float(value)
    return f"{value:,.1f}" if value >= 1 else f"{value:.2g}"


def on_device(device) -> str:
    """'on a CPU', 'on a GPU' or 'on an Apple GPU (MPS)', from a torch device (or its type name) actually used."""
    kind = str(getattr(device, "type", device)).split(":")[0].lower()
    return {"cpu": "on a CPU", "cuda": "on a GPU", "mps": "on an Apple GPU (MPS)"}.get(kind, f"on a {kind} device")


def loss_trend(label: str, values, tolerance: float = 0.05) -> str:
    """'<label> fell from a to b', '... rose from a to b' or '... stayed near a (ending at b)' between the first and
    the last epoch; a relative change within ``tolerance`` is not read as a change."""
    values = [float(v) for v in values]
    if not values:
        raise ValueError("loss_trend needs at least one epoch")
    if len(values) == 1:
        return f"{label} was {_ch34_short(values[0])} after its single epoch"
    first, last = values[0], values[-1]
    if abs(last - first) <= tolerance * max(abs(first), abs(last), 1e-12):
        return f"{label} stayed near {_ch34_short(first)} (ending at {_ch34_short(last)})"
    return f"{label} {'fell' if last < first else 'rose'} from {_ch34_short(first)} to {_ch34_short(last)}"


def critic_verdict(loss: float, equilibrium: float, tolerance: float = 0.2) -> str:
    """What a least-squares critic's last loss says, set against ``equilibrium``: the loss of a critic that cannot
    tell generated from real samples and answers 1/2 for all of them (within ``tolerance``, relative, counts as at it)."""
    loss = float(loss)
    if loss < equilibrium * (1 - tolerance):
        return (f"{_ch34_short(loss)}, below the {equilibrium:g} of a critic that cannot tell generated from real samples: "
                "at the end of training the critic still tells them apart")
    if loss > equilibrium * (1 + tolerance):
        return (f"{_ch34_short(loss)}, above the {equilibrium:g} of a critic that answers 1/2 for everything: the critic "
                "does worse than that constant guess, so the game had not settled")
    return (f"{_ch34_short(loss)}, close to the {equilibrium:g} of a critic that cannot tell generated from real samples: "
            "the critic is fooled, which does not yet say that the outputs are random (the statistics below measure that)")


def key_sensitivity_sentence(one_bit: float, unrelated: float, expected: float, critical: float) -> str:
    """The generated keys' NPCR (fractions) for seeds one bit apart and for unrelated seeds, set against the NPCR
    ``expected`` of two independent uniform images and the ``critical`` value below which chapter 1's test rejects."""
    if unrelated >= critical:
        first = (f"Key images of unrelated seeds differ in {unrelated:.2%} of their pixels, as two independent uniform "
                 f"images would ({expected:.2%} expected; the NPCR test of chapter 1, applied to all key pixels "
                 f"together, rejects below {critical:.2%}).")
    else:
        first = (f"Even key images of unrelated seeds differ in only {unrelated:.2%} of their pixels, below the "
                 f"{critical:.2%} under which the NPCR test of chapter 1, applied to all key pixels together, rejects "
                 f"two independent uniform images ({expected:.2%} expected): the generator's outputs share structure "
                 "whatever the seed.")
    if one_bit >= critical:
        second = (f"Seeds one bit apart give {one_bit:.2%}, which passes the same test: by this measure the "
                  "generator is key sensitive.")
    else:
        second = (f"Seeds one bit apart give only {one_bit:.2%}: the network maps nearby seeds to nearby key images, "
                  "the opposite of what a key generator needs, and adversarial training towards uniform-looking keys "
                  "did not change that.")
    return f"{first} {second}"


def keygen_sensitivity_clause(one_bit: float, critical: float) -> str:
    """'poor' or 'adequate' key sensitivity of a key generator, by the one-bit NPCR against the critical value."""
    return "poor key sensitivity" if one_bit < critical else "a key sensitivity that passes the NPCR test"


def two_time_pad_sentence(equal_pixels: int, total_pixels: int) -> str:
    """Whether the difference of two cipher images under one seed equals the difference of the plaintexts."""
    if equal_pixels == total_pixels:
        return (f"The difference of the two cipher images equals the difference of the two plaintexts at all "
                f"{total_pixels} pixels")
    return (f"The difference of the two cipher images equals the difference of the two plaintexts at only "
            f"{equal_pixels} of {total_pixels} pixels, so the key did not cancel")


def wrong_seed_sentence(wrong_psnr: float | None, noise_psnr: float, margin_db: float = 3.0) -> str:
    """What decryption under a seed one bit off reveals, against the PSNR of noise (AES-CTR's wrong key)."""
    if wrong_psnr is None:
        return "A wrong seed was rejected, so it reveals nothing."
    if wrong_psnr > noise_psnr + margin_db:
        return (f"A wrong seed reveals much of the X-ray: its {wrong_psnr:.2f} dB are {wrong_psnr - noise_psnr:.2f} dB "
                "above the noise level, because a seed one bit away yields a key image close to the right one, and a "
                "near-right key decrypts to a near-right image.")
    return (f"A wrong seed decrypts to noise, as a wrong AES key does: its {wrong_psnr:.2f} dB are within "
            f"{margin_db:g} dB of the noise level.")


def uniformity_clause(p_value: float, alpha: float) -> str:
    """The pooled histogram's verdict from its χ² p-value at level ``alpha``."""
    if p_value < alpha:
        return f"the pooled histogram is not uniform (pooled χ² p-value {p_value_text(p_value)}, below α = {alpha:g})"
    return f"the pooled histogram passes the uniformity test (pooled χ² p-value {p_value_text(p_value)}, α = {alpha:g})"


def throughput_sentence(encrypt: dict[str, float], decrypt: dict[str, float]) -> str:
    """The ciphers in order of encryption speed (MB/s), with their decryption speed."""
    if not encrypt:
        raise ValueError("throughput_sentence needs at least one cipher")
    order = sorted(encrypt, key=encrypt.get, reverse=True)
    shown = [f"{name} at {_ch34_rate(encrypt[name])} MB/s (decryption {_ch34_rate(decrypt[name])} MB/s)" for name in order]
    if len(order) == 1:
        return f"Only {shown[0]} was measured."
    text = f"Fastest to encrypt is {shown[0]}, then {names(shown[1:])}"
    if encrypt[order[-1]] <= 0:
        return f"{text}."
    ratio = encrypt[order[0]] / encrypt[order[-1]]
    times = f"{ratio:,.0f} times" if ratio >= 10 else f"{ratio:.1f} times"
    return f"{text}; the fastest encrypts {times} as fast as the slowest."


def keyed_outcome(right_psnr: float, wrong_psnr: float | None, noise_psnr: float, tolerance_db: float = 1.0,
                  margin_db: float = 3.0) -> str:
    """Which term of the key-conditioned autoencoder's loss won, by the measured decryptions: 'none' (even the right
    key decrypts to about noise), 'reconstruction' (a key one bit off decrypts as well as the right key), 'wrong key'
    (a key one bit off decrypts to about noise, or is rejected) or 'neither' (in between)."""
    if right_psnr <= noise_psnr + margin_db:
        return "none"
    if wrong_psnr is None or wrong_psnr <= noise_psnr + margin_db:
        return "wrong key"
    if wrong_psnr >= right_psnr - tolerance_db:
        return "reconstruction"
    return "neither"


def keyed_outcome_sentence(outcome: str, right_psnr: float, wrong_psnr: float | None, noise_psnr: float) -> str:
    """The sentence for :func:`keyed_outcome`'s verdict, with the measured values."""
    wrong = "nothing (the key is rejected)" if wrong_psnr is None else f"{wrong_psnr:.2f} dB"
    if outcome == "none":
        return (f"Neither term won: even the right key decrypts to only {right_psnr:.2f} dB, close to the "
                f"{noise_psnr:.2f} dB of noise, so this model has not yet learned to decrypt.")
    if outcome == "reconstruction":
        return (f"Reconstruction won: with the key one bit off the decoder still reaches {wrong}, against "
                f"{right_psnr:.2f} dB with the right key. It reads the image out of the cipher image without the key, "
                "so the key protects nothing, whatever the cipher statistics say.")
    if outcome == "wrong key":
        return (f"The wrong-key term won: with the key one bit off, decryption gives {wrong}, close to the "
                f"{noise_psnr:.2f} dB of noise, against {right_psnr:.2f} dB with the right key.")
    if outcome == "neither":
        return (f"Neither term won outright: a key one bit off costs {right_psnr - wrong_psnr:.2f} dB "
                f"({wrong} against {right_psnr:.2f} dB), but stays well above the {noise_psnr:.2f} dB of noise, "
                "so a near-right key still reveals much of the image.")
    raise ValueError(f"unknown outcome {outcome!r}")


def keyed_summary(outcome: str, chi2_p: float, alpha: float) -> str:
    """The summary's sentence on the key-conditioned autoencoder: what it was trained towards, and what this run shows."""
    histogram = ("its pooled histogram was not uniform" if chi2_p < alpha
                 else "its pooled histogram passed the uniformity test")
    wrong = {"none": "even the right key decrypted to about noise",
             "reconstruction": "a key one bit off decrypted as well as the right key: there was no wrong-key failure",
             "wrong key": "a key one bit off decrypted to about noise",
             "neither": "a key one bit off decrypted worse than the right key but far better than noise"}[outcome]
    return (f"A key-conditioned autoencoder is trained towards flat histograms and wrong-key failure; in this run "
            f"{histogram} and {wrong}.")


def diffusion_sentence(npcr: float, key_npcr: float, critical: float) -> str:
    """Plaintext and key sensitivity (NPCR fractions) against the NPCR critical value."""
    parts = f"a one-pixel change of the plaintext changes {npcr:.2%} of the cipher pixels and a one-bit change of the key {key_npcr:.2%}"
    failing = [name for name, value in (("plaintext", npcr), ("key", key_npcr)) if value < critical]
    if len(failing) == 2:
        return (f"{parts[0].upper()}{parts[1:]}, both below the {critical:.2%} that the NPCR test of chapter 1 "
                "requires of all test images together: a convolutional encoder is local and smooth, which is the "
                "opposite of diffusion.")
    if not failing:
        return (f"{parts[0].upper()}{parts[1:]}, both above the {critical:.2%} that the NPCR test of chapter 1 "
                "requires of all test images together.")
    return (f"{parts[0].upper()}{parts[1:]}; only the {failing[0]} change stays below the {critical:.2%} that the NPCR "
            "test of chapter 1 requires of all test images together.")


def diffusion_summary(npcr: float, key_npcr: float, critical: float) -> str:
    """The summary's clause on diffusion, chosen by the same comparison as :func:`diffusion_sentence`."""
    failing = [name for name, value in (("pixel", npcr), ("key bit", key_npcr)) if value < critical]
    if not failing:
        return "In this run one changed pixel or key bit changed the cipher image as much as an ideal cipher would."
    return (f"A convolutional encoder diffuses poorly: one changed {' or '.join(failing)} changes only part of "
            "the cipher image.")


def vae_sentence(vae_psnr: float, ae_psnr: float | None, tolerance_db: float = 0.5) -> str:
    """The VAE's decryption PSNR against the plain autoencoder's at the same latent size."""
    if ae_psnr is None or ae_psnr != ae_psnr:
        return (f"its decryptions reach {vae_psnr:.2f} dB; no plain autoencoder of the same latent size was trained "
                "in this run to compare it with")
    gap = vae_psnr - ae_psnr
    head = f"at the same latent size its decryptions reach {vae_psnr:.2f} dB, against {ae_psnr:.2f} dB for the plain autoencoder"
    if gap < -tolerance_db:
        return f"{head}: {-gap:.2f} dB lower, the price of a regular latent space in this run"
    if gap > tolerance_db:
        return f"{head}: {gap:.2f} dB higher, so in this run the regular latent space cost no fidelity"
    return f"{head}: within {tolerance_db:g} dB, so in this run the regular latent space cost no measurable fidelity"


_CH34_DIRECTIONS = {"horizontal": "horizontal (Corr. H)", "vertical": "vertical (Corr. V)", "diagonal": "diagonal (Corr. D)"}


def correlation_bound(n_pairs: int, alpha: float) -> float:
    """The two-sided level-``alpha`` bound on a Pearson correlation of ``n_pairs`` independent pairs (normal approximation)."""
    from scipy import stats

    return float(stats.norm.ppf(1 - alpha / 2) / n_pairs ** 0.5)


def correlation_sentence(correlations: dict[str, float], n_pairs: dict[str, int], alpha: float,
                         subject: str = "the cipher images'") -> str:
    """Which neighbour correlations (direction -> pooled r) are far from 0: beyond the two-sided level-``alpha``
    bound for ``n_pairs`` independent pairs. Directions without a value (NaN, None) are left out."""
    far, near = [], []
    for direction, value in correlations.items():
        if value is None or value != value:
            continue
        bound = correlation_bound(n_pairs[direction], alpha)
        (far if abs(value) > bound else near).append((direction, float(value), bound))
    subject = subject[:1].upper() + subject[1:]
    if not far and not near:
        return f"{subject} neighbour correlations could not be measured."
    if not far:
        return (f"{subject} neighbour correlations are all within the ±{max(b for _, _, b in near):.4f} expected of "
                f"independent pixels at α = {alpha:g}.")
    plural = "s" if len(far) > 1 else ""
    values = ", ".join(f"{_CH34_DIRECTIONS.get(d, d).split('(')[-1].rstrip(')')} {v:.4f}" for d, v, _ in far)
    return (f"{subject} {names([d for d, _, _ in far])} correlation{plural} ({values}) "
            f"{'are' if plural else 'is'} far from 0, beyond the ±{max(b for _, _, b in far):.4f} that independent "
            f"pixels stay within at α = {alpha:g}: neighbouring cipher pixels still predict each other.")


def _ch34_monotone(values: list[float], tolerance: float, sign: int) -> bool:
    """Every step moves in direction ``sign`` or stays within ``tolerance``."""
    return all(sign * (b - a) >= -tolerance for a, b in zip(values, values[1:]))


def auc_compression_sentence(aucs: dict[float, float], tolerance: float) -> str:
    """How the AUC on the hybrids' decryptions changes with the compression ratio (ratio -> AUC); a spread within
    ``tolerance`` is flat, never a trend."""
    if not aucs:
        raise ValueError("auc_compression_sentence needs at least one ratio")
    ratios = sorted(aucs)
    values = [aucs[r] for r in ratios]
    weak, strong = ratios[0], ratios[-1]
    span = f"from {weak:.0f}:1 to {strong:.0f}:1"
    if len(ratios) == 1:
        return f"it is {values[0]:.3f} at the one compression ratio measured ({weak:.0f}:1)"
    if max(values) - min(values) <= tolerance:
        return (f"it is flat across the compression ratios, between {min(values):.3f} and {max(values):.3f} {span}, "
                f"a spread within {tolerance:.3f} (twice the bootstrap standard error of the AUC): in this run the "
                "choice of compression ratio makes no measurable difference to the diagnosis")
    if values[-1] - values[0] < -tolerance and _ch34_monotone(values, tolerance, -1):
        return (f"it falls as the compression grows, from {values[0]:.3f} at {weak:.0f}:1 to {values[-1]:.3f} at "
                f"{strong:.0f}:1: stronger compression costs diagnostic information")
    if values[-1] - values[0] > tolerance and _ch34_monotone(values, tolerance, 1):
        return (f"it rises as the compression grows, from {values[0]:.3f} at {weak:.0f}:1 to {values[-1]:.3f} at "
                f"{strong:.0f}:1: in this run stronger compression did not cost diagnostic information")
    return (f"it varies between {min(values):.3f} and {max(values):.3f} {span} without a steady direction, so this "
            "run shows no trend with the compression ratio")


def lossy_auc_sentence(original: float, lossy: dict[str, float], tolerance: float) -> str:
    """Whether each lossy decryption gave up diagnostic information: an AUC more than ``tolerance`` below the original's."""
    lost = [name for name, auc in lossy.items() if auc < original - tolerance]
    low, high = min(lossy.values()), max(lossy.values())
    if len(lost) == len(lossy):
        return (f"Every lossy scheme gave up diagnostic information in this run: the AUC fell from {original:.3f} on "
                f"the originals to between {low:.3f} and {high:.3f}.")
    if not lost:
        return (f"No lossy scheme lost measurable diagnostic information in this run: every AUC is within "
                f"{tolerance:.3f} of the original {original:.3f}.")
    return (f"In this run {names(lost)} gave up diagnostic information (an AUC more than {tolerance:.3f} below the "
            f"original {original:.3f}); the others did not.")


def accuracy_sentence(original: float, lossy: dict[str, float], majority: float, majority_class: str) -> str:
    """The classifier's accuracy on the originals and on the lossy decryptions, against the majority-class rate."""
    low, high = min(lossy.values()), max(lossy.values())
    if high < original:
        move = f"falls to between {low:.1%} and {high:.1%}" if low < high else f"falls to {low:.1%}"
    elif low > original:
        move = f"rises to between {low:.1%} and {high:.1%}" if low < high else f"rises to {low:.1%}"
    else:
        move = f"lies between {low:.1%} and {high:.1%}" if low < high else f"stays at {low:.1%}"
    text = (f"Its accuracy is {original:.1%} on the original test images and {move} on the lossy decryptions. "
            f"The majority-class rate, {majority:.1%}, is the accuracy of always answering '{majority_class}', the "
            "commoner class of the test set, without looking at the image.")
    at_majority = [name for name, value in lossy.items() if value <= majority]
    if original <= majority:
        return (f"{text} Even on the original images the classifier does no better than that at its decision "
                "threshold; only the AUC, which does not depend on the threshold, shows what it has learned.")
    if not at_majority:
        return f"{text} Every lossy variant stays above it."
    if len(at_majority) == len(lossy):
        return f"{text} Every lossy variant falls to it or below: on those images the accuracy is that of not looking."
    verb = "is" if len(at_majority) == 1 else "are"
    return (f"{text} Of the lossy variants, {names(at_majority)} {verb} at or below it: on those images the accuracy "
            "is that of not looking.")
