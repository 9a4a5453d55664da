"""Sentences on learned ciphers: training, compression, what a model learned and what it loses."""

from __future__ import annotations

import math

from ... import formatting
from ...formatting import duration
from .common import names
from .statistics import _ch56_scientific, _ch56_superscript, value_change


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


def training_loss(values: list[float], what: str = "loss", unit: str = "", digits: int = 3) -> str:
    """'over 3 epochs the loss fell from … to …', or the one value of a single epoch."""
    values = [float(v) for v in values]
    if not values:
        return f"no {what} was recorded"
    if len(values) == 1:
        return f"after its single epoch the {what} is {values[0]:.{digits}f}{unit}"
    return f"over {len(values)} epochs the {what} {value_change(values[0], values[-1], unit, digits)}"


def flow_summary(float_exact: list[float], stored_exact: list[float]) -> str:
    """The summary's line on the continuous flow."""
    if min(float_exact) == 1 and max(stored_exact) == 0:
        return ("In this run the real-valued flow decrypts every image exactly from its real-valued output, and none "
                "from its output stored in 8 bits, at every weight scale.")
    return (f"In this run the real-valued flow decrypts {min(float_exact):.0%} or more of the images exactly from its "
            f"real-valued output, and at most {max(stored_exact):.0%} from its output stored in 8 bits.")


def exact_decryption(trained_rate: float, untrained_rate: float) -> str:
    """Bit-exact decryption of the coupling cipher, trained and at random initialisation."""
    if trained_rate == 1 and untrained_rate == 1:
        return ("Decryption is bit-exact for every test image, with the trained weights and with the random ones "
                "alike, as the construction promises.")
    return (f"Decryption is bit-exact for {trained_rate:.0%} of the test images with the trained weights and "
            f"{untrained_rate:.0%} with the random ones: short of what the construction promises, so the shifts "
            "were not recomputed to the same bits (section 5.2).")


def coupling_spread(trained_npcr: float, critical: float) -> str:
    """Why the coupling cipher's one-pixel change stays local, said only when it does."""
    if trained_npcr < critical:
        return ("A shift computed by a 3×3 convolution reaches only the neighbours of the changed pixel, and the "
                "layers do not spread it through the image; the permutations scatter the change but do not "
                "multiply it.")
    return "The layers and the permutations spread a one-pixel change through the whole image."


def flow_rounding(scales: list[float], float_exact: list[float], stored_exact: list[float],
                  stored_psnr: list[float]) -> str:
    """What storing the continuous flow's output in 8 bits does, per weight scale."""
    if min(float_exact) == 1:
        first = "The float round trip is bit-exact for every image at every weight scale."
    else:
        first = (f"Even the float round trip is bit-exact for only {min(float_exact):.0%} to "
                 f"{max(float_exact):.0%} of the images.")

    if len(scales) > 1 and max(stored_exact) == 0:  # one statement, not "0% bit-exact" once per scale
        per_scale = names(f"{formatting.number(p, 2)} dB at weight scale {s:g}" for s, p in zip(scales, stored_psnr))
        per_scale = f"bit-exact at no weight scale, with a PSNR of {per_scale}"
    else:
        per_scale = names(f"{e:.0%} bit-exact at weight scale {s:g} (PSNR {formatting.number(p, 2)} dB)"
                          for s, e, p in zip(scales, stored_exact, stored_psnr))
    finite = [p for p in stored_psnr if not math.isinf(p)]
    if len(stored_psnr) > 1 and all(b < a for a, b in zip(stored_psnr, stored_psnr[1:])):
        trend = " The stronger the scaling, the lower the PSNR."
    elif len(stored_psnr) > 1 and len(finite) == len(stored_psnr):
        trend = " The PSNR does not fall steadily with the scaling."
    else:
        trend = ""
    return f"{first} Decrypted from the stored 8-bit cipher, the images are {per_scale}.{trend}"


def reported_psnr(reported: float, measured: list[float], levels: int = 256) -> str:
    """What a reported recovery PSNR means on 8-bit images, set against our rounded flows' PSNRs."""
    peak = levels - 1
    mse = peak**2 / 10 ** (reported / 10)
    meaning = (f"On 8-bit images a PSNR of {reported:g} dB is a mean squared error of "
               f"{peak}²/10{_ch56_superscript(f'{reported / 10:g}')} ≈ {_ch56_scientific(mse)}: at most one pixel off by one "
               f"in {1 / mse:,.0f}, and none off by more, a decryption that is lossless for practical purposes.")
    if all(m < reported for m in measured):
        return (f"{meaning} Every rounded flow in the table stays below it, at {min(measured):.2f} to "
                f"{max(measured):.2f} dB, so rounding the output of these flows does not produce such a value. "
                "They are untrained flows with scaled weights, not FlowCrypt's design, so they do not show what "
                "its own rounding does: how it reaches the reported figure needs its full text, which we did not "
                "read.")
    if all(m >= reported for m in measured):
        return (f"{meaning} Every rounded flow in the table reaches at least that, so at these weight scales "
                "rounding a continuous flow's output costs less than the reported figure allows.")
    return (f"{meaning} Some of the rounded flows in the table reach it and some do not: how much rounding costs "
            "depends on how strongly the flow scales, which the reported figure alone does not tell.")


def eve_verdict(eve_mae: float, block_mae: float, median_mae: float) -> str:
    """What the fresh Eve's mean absolute error says, against the two guesses that need no ciphertext."""
    both = (f"Eve's mean absolute error, {eve_mae:.1f} grey levels, is {{}} the median block's {block_mae:.1f} "
            f"and {{}} the median image's {median_mae:.1f}")
    if eve_mae < block_mae and eve_mae < median_mae:
        return both.format("below", "below") + ": she learns from the ciphertext more than either guess knows."
    if eve_mae < block_mae:
        return (both.format("below", "not below") + ": she learns something from the ciphertext, less than the "
                "block's position tells the median image.")
    if eve_mae < median_mae:
        return both.format("not below", "below") + ": she does better than the median image but not the median block."
    return (both.format("not below", "not below") + ": this Eve learns nothing from the ciphertext that a guess "
            "without it does not already know.")


def bob_learned(bob_mae: float, guess_mae: float) -> str:
    """Whether Alice and Bob learned a usable cipher: Bob's error against the best guess without the ciphertext."""
    if bob_mae < guess_mae:
        return (f"Alice and Bob learn a lossy cipher on image blocks: Bob's error is {bob_mae:.1f} grey levels, "
                f"against {guess_mae:.1f} for the best guess without the ciphertext.")
    return (f"In this run Alice and Bob did not learn a usable cipher: Bob's error, {bob_mae:.1f} grey levels, is "
            f"no better than the {guess_mae:.1f} of the best guess without the ciphertext.")


def lossy_sentence(bit_exact_rate: float) -> str:
    """How often Bob recovers an image exactly."""
    if bit_exact_rate == 0:
        return ("Second, decryption is lossy: Bob recovers none of the test images exactly, so this cipher cannot "
                "serve where the exact pixels matter.")
    if bit_exact_rate == 1:
        return "Second, Bob recovers every test image exactly."
    return (f"Second, decryption is lossy: Bob recovers only {bit_exact_rate:.0%} of the test images exactly, so "
            "this cipher cannot serve where the exact pixels matter.")


def anc_summary(within: int, key_bits: int) -> str:
    """The summary's line on the learned cipher's block structure and key."""
    key = (f"a key with one bit wrong still decrypts within 1 dB for {within} of its {key_bits} bits"
           if within else f"every wrong key bit costs Bob at least 1 dB")
    return ("The learned cipher works block by block: a changed pixel changes only its own block, equal blocks give "
            f"equal cipher blocks, and {key}.")


def learned_included(learned: list[str]) -> str:
    """'the 7 with trained weights: a, b and c' (chapter 8 and 9 count learned ciphers the same way)."""
    if not learned:
        return "none has trained weights"
    return f"{'the one' if len(learned) == 1 else f'the {len(learned)}'} with trained weights: {names(learned)}"


def training_clause(devices: list[str], longest_s: float | None) -> str:
    """Chapter 9.7: how long, and on what, the learned ciphers were trained (from the chapters' metadata)."""
    kinds = sorted({"a GPU" if d.startswith("cuda") else "Apple's GPU" if d.startswith("mps") else "the CPU"
                    for d in devices})
    where = f" on {names(kinds, empty='')}" if kinds else ""
    if longest_s is None:
        return f"Our models are compact and were trained briefly{where}"
    # "at most" needs a bound: round up (whole seconds, or whole minutes from 2 min), never to the nearest
    bound = math.ceil(longest_s / 60) * 60 if longest_s >= 120 else math.ceil(longest_s)
    return f"Our models are compact and were trained for at most {duration(bound)} each{where}"


def learned_speed_sentence(report: dict, learned: list[str], goal: float = 1000.0) -> str:
    """Chapter 9.5: which learned ciphers reach ``goal`` images/s both ways in ``medcrypt.bench``'s report, and
    why the others do not (their multiply-adds per image; the variants in another precision beside them)."""
    entries = report["ciphers"]
    timed = [n for n in learned if "encrypt_images_per_s" in entries.get(n, {})]
    fast = [n for n in timed if min(entries[n]["encrypt_images_per_s"], entries[n]["decrypt_images_per_s"]) >= goal]
    slow = [n for n in timed if n not in fast]
    verbs = "encrypts and decrypts" if len(fast) == 1 else "encrypt and decrypt"
    first = (f"Of the {len(timed)} learned ciphers, {len(fast)} {verbs} at least {goal:,.0f} images per "
             f"second on this machine" + (f" ({names(fast)})" if fast else ""))
    if not slow:
        return first + "."
    parts = []
    for name in slow:
        entry = entries[name]
        text = (f"{name} ({entry['encrypt_images_per_s']:,.0f} images/s encrypting, "
                f"{entry['decrypt_images_per_s']:,.0f} decrypting")
        if entry.get("multiply_adds_per_image"):
            text += f"; {entry['multiply_adds_per_image'] / 1e6:,.1f} million multiply-adds per image"
        parts.append(text + ")")
    second = f"; {names(parts)} do not" if len(slow) > 1 else f"; {parts[0]} does not"
    def variant(v: dict) -> str:
        """A variant beside its registered cipher: what the other setting changed, speed and exactness."""
        base = entries[v["of"]]
        exact, base_exact = v.get("exact_round_trip_share", float("nan")), base.get("exact_round_trip_share")
        text = (f"in {v['options'].get('precision', 'another setting')}, {v['of']} encrypts at "
                f"{v['encrypt_images_per_s']:,.0f} images/s against {base['encrypt_images_per_s']:,.0f} as registered, "
                f"and {exact:.1%} of its images decrypt exactly")
        if base_exact is None:
            return text
        if base_exact == exact:
            return text + ", as many as registered: in this run the other setting changed the speed, not the exactness"
        return text + f" against {base_exact:.1%} as registered"

    variants = [variant(v) for v in report.get("variants", {}).values()
                if v.get("of") in slow and "encrypt_images_per_s" in v]
    them = "them: each is" if len(slow) > 1 else "it: it is"
    third = (f" The work per image, not Python, bounds {them} a batched forward pass without gradients. "
             + (names(variants)[0].upper() + names(variants)[1:] + "." if variants else ""))
    return first + second + "." + third.rstrip()


def attempts_sentence(cipher: str, records: list[dict], chosen: str) -> str:
    """What the attempts of :mod:`medcrypt.attempts` showed, from their records (``Attempt.to_dict()``).

    Names the first attempt's key audit, the attempt chosen for the later chapters and
    whether every key bit mattered in it; the numbers come from the run.
    """
    if not records:
        raise ValueError("attempts_sentence needs at least one attempt")
    by_label = {r["label"]: r for r in records}
    if chosen not in by_label:
        raise ValueError(f"chosen attempt {chosen!r} is not among {list(by_label)}")
    first, best = records[0], by_label[chosen]

    def bits(record):
        audit = record["audit"]
        return f"{audit['effective_bits']} of {audit['claimed_bits']} key bits"

    def psnr(record):
        return "exact decryption" if math.isinf(record["psnr_db"]) else f"decryption at {record['psnr_db']:.2f} dB"

    opening = f"As first built, {bits(first)} of {cipher} matter, with {psnr(first)}."
    if chosen == first["label"]:
        return opening + " No later attempt did better, so the later chapters attack this one."
    outcome = ("every audited bit matters" if best["audit"]["all_matter"] else
               f"still only {bits(best)} matter")
    return (f"{opening} The strongest attempt, \u201c{chosen}\u201d, reaches {bits(best)} with {psnr(best)}: "
            f"{outcome}. The later chapters attack it.")


def card_sentence(cipher: str, statuses: list[str]) -> str:
    """How many of a reproduction card's claims were reproduced, not reproduced, or could not be compared."""
    counts = {s: statuses.count(s) for s in ("reproduced", "not reproduced", "not comparable")}
    if not statuses or sum(counts.values()) != len(statuses):
        raise ValueError(f"statuses must be 'reproduced', 'not reproduced' or 'not comparable'; got {statuses}")
    parts = [f"{n} {s}" for s, n in counts.items() if n]
    return f"Of the {len(statuses)} claims on the card of {cipher}: {', '.join(parts)}."


def fidelity_evidence(points: list[tuple[float, float]], what: str = "PSNR", unit: str = " dB") -> str:
    """An ablation in words: how decryption fidelity moves with the compression ratio (ratio, value) of each model."""
    if len(points) < 2:
        raise ValueError("fidelity_evidence needs at least two (ratio, value) points")
    ordered = sorted(points, reverse=True)  # most compressed first
    (r0, v0), (r1, v1) = ordered[0], ordered[-1]
    move = "rises" if v1 > v0 else "falls" if v1 < v0 else "stays"
    return (f"capacity ablation (section 4.3): {what} {move} from {v0:.2f}{unit} at {r0:g}:1 "
            f"to {v1:.2f}{unit} at {r1:g}:1 with a larger latent")


def attempts_psnr_evidence(records: list[dict], section: str) -> str:
    """A loss-term ablation in words: decryption PSNR of each training attempt (``Attempt.to_dict()`` records)."""
    if not records:
        raise ValueError("attempts_psnr_evidence needs at least one attempt")
    shown = ", ".join(f"{r['psnr_db']:.2f} dB ({r['label']})" for r in records)
    return f"loss-term ablation (section {section}): decryption PSNR {shown}"


def block_evidence(patch: int, pixels: int) -> str:
    """Why a block-wise cipher cannot reach the one-pixel NPCR of a whole-image cipher: a structural bound."""
    if patch < 1 or pixels < patch * patch:
        raise ValueError(f"need 1 <= patch and patch² <= pixels; got patch {patch}, pixels {pixels}")
    share = 100 * patch * patch / pixels
    return (f"structural limit: each {patch}×{patch} block is encrypted on its own, so one pixel changes at most "
            f"{patch * patch} of {pixels} cipher pixels ({share:.2f} %)")
