"""Sentences chosen or filled by computed values, kept here so that every branch is tested.

A sentence in the book that states a measured result is generated from the run; when its
wording depends on the values (an empty list, one item, many), the choice is made here.
"""

from __future__ import annotations

import math
from typing import Iterable

import pandas as pd


def names(items: Iterable[str], empty: str = "none") -> str:
    """'a', 'a and b', 'a, b and c', or ``empty`` for no items."""
    items = [str(i) for i in items]
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def worst_rate(rates: pd.Series) -> str:
    """'<test> at <rate>' for the largest of ``rates`` (test -> share of runs), e.g. 'diagnosis leak at 0.100'."""
    if rates.empty:
        raise ValueError("worst_rate needs at least one rate")
    test = rates.idxmax()
    return f"{test} at {float(rates[test]):.3f}"


def gcm_clause(passed: bool | None) -> str:
    """The end of the decision guide's AES-GCM sentence: a claim about chapter 7 only when the run supports it."""
    return "; in chapter 7 no attack in the suite broke it" if passed else ""


def gcm_note(passed: bool | None, row: pd.Series | None = None) -> str:
    """A sentence on AES-GCM's row of chapter 7's table, for section 8.6 (never in the recommendation itself)."""
    if passed is None:
        return "AES-GCM was not attacked in this run."
    if passed:
        return "AES-GCM survived every attack."
    failed = [column for column, value in (row.items() if row is not None else [])
              if isinstance(value, str) and value.startswith("FAIL")]
    return (f"This run's table marks AES-GCM as failing {names(failed, empty='a test')}. The suite keeps a "
            "sound cipher's chance of a FAIL anywhere in the table at 5 % (section 7.8 measures it), so a FAIL "
            "for a standard authenticated cipher is either such a false alarm or a defect of the suite, "
            "and worth reporting.")


def calibration_sentence(nominal_rejections: int, n_tests: int, nominal: float, table_rejections: int) -> str:
    """What the calibration runs show, chosen by their counts (a one-sided binomial test at 1 % for 'too many')."""
    from scipy import stats

    too_many = stats.binomtest(nominal_rejections, n_tests, nominal, alternative="greater").pvalue < 0.01
    if table_rejections:
        return (f"{table_rejections} of the {n_tests} runs rejected a sound cipher even at the summary's level, so in "
                "this run the table's false-alarm rate is not held: the tests behind those rejections need a look.")
    if too_many:
        return ("No run rejected a sound cipher at the summary's level, but at the nominal level the share is "
                f"significantly above {nominal:.0%} (one-sided binomial test at 1 %): some test's null distribution is "
                "off for these sizes, and the correction, not the test, is what keeps the table honest.")
    return ("No run rejected a sound cipher at the summary's level, and the share at the nominal level is consistent "
            f"with at most {nominal:.0%}: the verdicts are calibrated.")


# ------------------------------------------------------------------ chapters 1 and 2

#: The tests of chapter 1's suite that can flag a cipher, in the order of the chapters' flag tables.
SUITE_TESTS = ("per-image χ²", "pooled χ²", "pooled correlation", "one-pixel NPCR", "one-pixel UACI",
               "key sensitivity", "NIST")
#: How many of :data:`SUITE_TESTS` share the level α (NIST has its own calibrated rule, see metrics.NIST_LEVEL).
SUITE_SHARED_LEVEL_TESTS = len(SUITE_TESTS) - 1


def _suite_too_few_passes(rate: float, n: int, null_rate: float, level: float) -> bool:
    """An ideal cipher passes on this few of ``n`` images with probability below ``level`` (binomial lower tail)."""
    from scipy import stats

    return bool(stats.binom.cdf(int(round(rate * n)), n, null_rate) < level)


def suite_flags(row: dict, shape: tuple[int, int], alpha: float) -> dict[str, bool | None]:
    """Test of :data:`SUITE_TESTS` -> True if it flags the cipher of results row ``row``, False if it passes it,
    None if it does not apply. ``shape`` is the (height, width) of one cipher image.

    Each test before NIST runs at α/6, so that an ideal cipher is flagged by one of them with probability at
    most α (Bonferroni): a pass count is too low when an ideal cipher passes on so few images with
    probability below that level (the exact null pass rates of chapter 1 for NPCR and UACI, 1 − α for the
    χ² test); the pooled χ² p-value is below it; a pooled correlation r over N pairs has |r|·√N beyond the
    normal quantile of a two-sided test in each of the three directions. NIST flags a cipher when some row
    fails its calibrated rule (:func:`medcrypt.metrics.nist_summary`).
    """
    import math

    from scipy import stats

    from . import metrics

    level = alpha / SUITE_SHARED_LEVEL_TESTS
    height, width = shape
    n, pixels = int(row["n_images"]), height * width
    flags: dict[str, bool | None] = {}
    flags["per-image χ²"] = _suite_too_few_passes(row["chi2_pass_rate"], n, 1 - alpha, level)
    flags["pooled χ²"] = bool(row["chi2_p_pooled"] < level)
    pairs = {"h": height * (width - 1), "v": (height - 1) * width, "d": (height - 1) * (width - 1)}
    z = stats.norm.isf(level / (2 * len(pairs)))
    scores = [abs(row[f"corr_{d}_pooled"]) * math.sqrt(n * p) for d, p in pairs.items()
              if p > 0 and row.get(f"corr_{d}_pooled") is not None and not math.isnan(row[f"corr_{d}_pooled"])]
    flags["pooled correlation"] = bool(max(scores) > z) if scores else None
    flags["one-pixel NPCR"] = _suite_too_few_passes(row["npcr_pass_rate"], n, metrics.npcr_null_pass_rate(pixels, alpha),
                                              level)
    flags["one-pixel UACI"] = _suite_too_few_passes(row["uaci_pass_rate"], n, metrics.uaci_null_pass_rate(pixels, alpha),
                                              level)
    if row.get("key_npcr_pass_rate") is None or row.get("key_uaci_pass_rate") is None:
        flags["key sensitivity"] = None
    else:
        flags["key sensitivity"] = (
            _suite_too_few_passes(row["key_npcr_pass_rate"], n, metrics.npcr_null_pass_rate(pixels, alpha), level / 2)
            or _suite_too_few_passes(row["key_uaci_pass_rate"], n, metrics.uaci_null_pass_rate(pixels, alpha), level / 2))
    run = row.get("nist_run") or 0
    flags["NIST"] = None if not run or row.get("nist_passed") is None else bool(row["nist_passed"] < run)
    return flags


def suite_flag_table(flags: dict[str, dict[str, bool | None]]) -> pd.DataFrame:
    """One row per cipher (keys of ``flags``), one column per test: 'flags', 'passes' or '–' (does not apply)."""
    shown = {True: "flags", False: "passes", None: "–"}
    table = pd.DataFrame({name: {test: shown[f.get(test)] for test in SUITE_TESTS} for name, f in flags.items()}).T
    table.index.name = "cipher"
    return table


def _suite_tests(items: list[str]) -> str:
    return f"the {names(items)} test" + ("s" if len(items) > 1 else "")


def suite_verdict_sentence(name: str, flags: dict[str, bool | None]) -> str:
    """Which tests of the suite flag cipher ``name`` and which pass it, as one or two sentences."""
    flagged = [t for t, f in flags.items() if f is True]
    passed = [t for t, f in flags.items() if f is False]
    absent = [t for t, f in flags.items() if f is None]
    note = f" ({_suite_tests(absent)} did not apply)" if absent and (flagged or passed) else ""
    if not flagged and not passed:
        return f"No test of the suite applies to {name}."
    if not flagged:
        return f"No test of the suite flags {name}{note}."
    if not passed:
        return f"Every test of the suite flags {name}{note}."
    verb = "flag" if len(flagged) > 1 else "flags"
    return (f"{_suite_tests(flagged)[0].upper()}{_suite_tests(flagged)[1:]} {verb} {name}; "
            f"{_suite_tests(passed)} {'pass' if len(passed) > 1 else 'passes'} it{note}.")


def suite_flag_phrase(flag: bool | None) -> str:
    """'flags the cipher', 'does not flag the cipher' or 'does not apply to the cipher', for one test's verdict."""
    return {True: "flags the cipher", False: "does not flag the cipher", None: "does not apply to the cipher"}[flag]


def suite_hint_sentence(flags: dict[str, bool | None], where: str) -> str:
    """Whether the statistics of ``where`` (e.g. 'section 2.5') had hinted at a flaw that an attack then found."""
    flagged = [t for t, f in flags.items() if f is True]
    if not flagged:
        return f"Nothing in {where} hinted at this: no statistic of the suite flagged the cipher in this run."
    return f"In {where}, {_suite_tests(flagged)} had hinted at it: {'they' if len(flagged) > 1 else 'it'} flagged the cipher."


def nist_rows_passed(row: dict) -> str:
    """'k of n NIST rows' with the denominator of the cipher's own report, or why there is no NIST verdict."""
    from .metrics import NIST_SEQUENCE_BITS

    run = row.get("nist_run") or 0
    if not run or row.get("nist_passed") is None:
        return f"no NIST verdict (its cipher bits fill no sequence of {NIST_SEQUENCE_BITS:,} bits)"
    return f"{int(row['nist_passed'])} of {int(run)} NIST rows"


def nist_table_cell(row: dict) -> str:
    """The 'NIST passed' cell of a table: 'k of n', or '–' when the cipher got no NIST verdict."""
    run = row.get("nist_run") or 0
    return "–" if not run or row.get("nist_passed") is None else f"{int(row['nist_passed'])} of {int(run)}"


def nist_denominator_sentence(rows: dict[str, dict]) -> str:
    """Whether every cipher of a table was judged on the same number of NIST rows, and on how many."""
    runs = {name: int(r.get("nist_run") or 0) for name, r in rows.items()}
    judged = sorted({n for n in runs.values() if n})
    missing = [name for name, n in runs.items() if not n]
    tail = f"; {names(missing)} got no NIST verdict" if missing else ""
    if not judged:
        return "No cipher of this table got a NIST verdict."
    if len(judged) == 1:
        return f"Every cipher judged here was judged on the same {judged[0]} rows{tail}."
    return f"The ciphers here were judged on {names([str(n) for n in judged])} rows{tail}."


def _ch12_significant(value: float, digits: int = 2) -> str:
    import math

    rounded = float(f"{value:.{digits}g}")
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded))))
    return f"{rounded:.{decimals}f}"


def wall_time(seconds: float) -> str:
    """A wall time as a reader reads it, two significant digits in a unit chosen by the value ('0.45 ms', '12 s')."""
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative; got {seconds}")
    if seconds == 0:
        return "0 s"
    for unit, scale, below in (("µs", 1e-6, 1e-5), ("ms", 1e-3, 1.0), ("s", 1.0, 120.0), ("min", 60.0, float("inf"))):
        if seconds < below:
            return f"{_ch12_significant(seconds / scale)} {unit}"
    raise AssertionError("unreachable")


def timing_repeats(repeats: int) -> str:
    """'timed once' or 'best of 3 runs'."""
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1; got {repeats}")
    return "timed once" if repeats == 1 else f"best of {repeats} runs"


def chaos_npcr_tell(npcr: float, expected: float) -> str:
    """Chapter 2: whether the chaotic cipher's NPCR lies above the random value, and what that shows."""
    if npcr > expected:
        return (f"An NPCR above the random value {expected:.2%} is itself a tell: after a one-pixel change every "
                "later pixel of the forward chain shifts by a fixed amount, so almost no pixel can stay equal by "
                "chance.")
    return (f"Its NPCR does not exceed the random value {expected:.2%} in this run, so the one-pixel NPCR "
            "shows nothing of the chaining's structure.")


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def logistic_lyapunov_sentence(exponents: dict[str, float], transient: int, mantissa_bits: int = 52) -> str:
    """Chapter 2: what the Lyapunov exponents of the cipher's two maps mean (``exponents``: map -> λ per step)."""
    import math

    shown = names([f"{value:.3f} for the {name} map" for name, value in exponents.items()])
    smallest = min(exponents.values())
    if smallest <= 0:
        return (f"The orbits give λ = {shown}: not positive for every map, so for this key the orbit settles "
                "instead of wandering, and the key-stream it gives cannot be trusted to look random.")
    steps = mantissa_bits * math.log(2) / smallest
    relation = "well within" if steps < transient else "beyond"
    return (f"The orbits give λ = {shown}, positive, as chaos requires. A change in the last bit of a "
            f"double-precision initial value, a relative change of 2⁻{str(mantissa_bits).translate(_SUPERSCRIPT_DIGITS)}, "
            f"therefore grows to the size of the orbit itself in about {steps:.0f} steps, {relation} the "
            f"{transient:,} iterations that the cipher drops before it uses the orbit.")


def chaos_attack_sentence(n_chosen: int, seconds: str, bit_exact_rate: float, n_unseen: int, key_bits: int) -> str:
    """Chapter 2.7: what the chosen-plaintext attack achieved (``seconds`` already written as a duration)."""
    recovered = int(round(bit_exact_rate * n_unseen))
    chosen = f"{n_chosen} chosen image{'s' if n_chosen != 1 else ''}"
    if recovered == n_unseen:
        outcome = f"the attacker decrypts all {n_unseen} X-rays they never chose, bit for bit"
    elif recovered:
        outcome = f"the attacker decrypts {recovered} of the {n_unseen} X-rays they never chose bit for bit"
    else:
        outcome = f"the attacker decrypts none of the {n_unseen} X-rays they never chose bit for bit"
    return f"With {chosen} and {seconds} of computation, {outcome}, without learning one of the {key_bits} key bits."


def ecb_overhead_sentence(ecb_rate: float, ctr_rate: float) -> str:
    """Chapter 2.6: what the ECB row says about the per-image overhead of AES-CTR (rates in MB/s)."""
    ratio = ecb_rate / ctr_rate
    if ratio > 1:
        return (f"The ECB row, one call over the whole batch, runs at {ratio:.1f} times AES-CTR's rate: that is "
                "what the same AES core does without the per-image overhead.")
    return (f"The ECB row, one call over the whole batch, runs at {ratio:.2f} times AES-CTR's rate, so in this run "
            "the per-image calls of CTR cost nothing measurable.")



# ------------------------------------------------------------------ chapters 3 and 4


def _ch34_short(value: float) -> str:
    """A loss or a small statistic for prose: three decimals, or scientific notation when it is tiny."""
    value = float(value)
    return f"{value:.3f}" if value == 0 or abs(value) >= 0.001 else f"{value:.1e}"


def _ch34_rate(value: float) -> str:
    """A throughput in MB/s for prose: one decimal from 1 MB/s up, two significant digits below."""
    value = float(value)
    return f"{value:,.1f}" if value >= 1 else f"{value:.2g}"


def p_value_text(p_value: float) -> str:
    """A p-value for prose: three significant digits, and '< 1e-300' when it underflowed to 0."""
    return "< 1e-300" if p_value == 0 else f"{p_value:.3g}"


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


# ------------------------------------------------------------------ chapters 5 and 6

DIRECTION_NAMES = ("horizontal", "vertical", "diagonal")


def _ch56_superscript(text: str) -> str:
    return text.translate(str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻˙"))


def _ch56_scientific(value: float) -> str:
    """'6.5 × 10⁻⁶' (two significant digits)."""
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa} × 10{_ch56_superscript(str(int(exponent)))}"


def short_duration(seconds: float) -> str:
    """A short time as a reader reads it: '0.42 ms', '13 ms', '1.3 s', '95 s'."""
    seconds = float(seconds)
    if seconds < 0.01:
        return f"{seconds * 1000:.2g} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2g} s" if seconds < 10 else f"{seconds:.0f} s"


def value_change(first: float, last: float, unit: str = "", digits: int = 3) -> str:
    """'fell from 0.812 to 0.430', 'rose from … to …' or 'stayed at …' (equal at the shown precision)."""
    a, b = f"{first:.{digits}f}", f"{last:.{digits}f}"
    if a == b:
        return f"stayed at {a}{unit}"
    return f"{'fell' if last < first else 'rose'} from {a}{unit} to {b}{unit}"


def training_loss(values: list[float], what: str = "loss", unit: str = "", digits: int = 3) -> str:
    """'over 3 epochs the loss fell from … to …', or the one value of a single epoch."""
    values = [float(v) for v in values]
    if not values:
        return f"no {what} was recorded"
    if len(values) == 1:
        return f"after its single epoch the {what} is {values[0]:.{digits}f}{unit}"
    return f"over {len(values)} epochs the {what} {value_change(values[0], values[-1], unit, digits)}"


def nist_count(passed: int | None, run: int | None) -> str:
    """'k of n' NIST rows with the cipher's own n, or a phrase when no sequence was long enough."""
    if not run or passed is None:
        return "none run (too few cipher bits for one sequence)"
    return f"{int(passed)} of {int(run)}"


def nist_denominator(runs: dict[str, int], sequence_bits: int, min_bits: dict[str, int], tests: int = 7) -> str:
    """Why the n of 'k of n NIST rows' can differ (from medcrypt.nist and metrics), and what it is here."""
    too_long = sorted(k for k, v in min_bits.items() if v > sequence_bits)
    if not too_long:
        why = (f"our sequences of {sequence_bits:,} bits are long enough for all of them, so n differs only for a "
               "cipher whose cipher bits fill no sequence")
    else:
        why = (f"our sequences of {sequence_bits:,} bits are too short for {names(too_long)}, so those rows are "
               "missing, and a cipher whose cipher bits fill no sequence gets none")
    sentence = (f"A NIST count is out of the rows that ran on that cipher's bits, {tests + 1} when all {tests} tests "
                "run (cumulative sums counts forwards and backwards); a test runs only on sequences as long as "
                f"SP 800-22 requires for it, and {why} (section 1.8).")
    judged = sorted({int(n) for n in runs.values() if n})
    missing = [name for name, n in runs.items() if not n]
    if len(judged) == 1 and not missing:
        return f"{sentence} Here every cipher was judged on {judged[0]} rows."
    parts = [f"the ciphers were judged on {names(str(n) for n in judged)} rows"] if judged else []
    if missing:
        parts.append(f"{names(missing)} got no NIST verdict")
    return f"{sentence} Here {'; '.join(parts)}."


def correlation_change(trained: dict[str, float], untrained: dict[str, float]) -> str:
    """Whether training lowered |r| in each neighbour direction, against the random initialisation."""
    lower = [d for d in DIRECTION_NAMES if abs(trained[d]) < abs(untrained[d])]
    higher = [d for d in DIRECTION_NAMES if d not in lower]

    def listed(directions):
        values = [f"{d} ({trained[d]:.4f} against {untrained[d]:.4f})" for d in directions]
        if len(values) == 1:
            d = directions[0]
            return f"the {d} direction ({trained[d]:.4f} against {untrained[d]:.4f})"
        return f"the {names(values)} directions"

    head = "Compared with random initialisation, training lowered the size |r| of the neighbour correlation"
    if not higher:
        return f"{head} in every direction: {names(f'{d} ({trained[d]:.4f} against {untrained[d]:.4f})' for d in lower)}."
    if not lower:
        return f"{head} in no direction: {names(f'{d} ({trained[d]:.4f} against {untrained[d]:.4f})' for d in higher)}."
    return f"{head} in {listed(lower)}, but not in {listed(higher)}."


def p_value(p: float) -> str:
    """'p = 0.698', 'p = 0.0042' or 'p < 0.001' (never a bare 0)."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3g}"


def chi2_sentence(p_values: dict[str, float], alpha: float) -> str:
    """The pooled histograms' χ² p-values, and which of them reject a flat histogram at ``alpha``."""
    listed = names(f"{p_value(p)} ({name})" for name, p in p_values.items())
    rejected = [name for name, p in p_values.items() if p < alpha]
    if not rejected:
        verdict = f"none rejects a flat histogram at α = {alpha:g}"
    elif len(rejected) == len(p_values):
        verdict = f"every one rejects a flat histogram at α = {alpha:g}"
    else:
        verdict = f"at α = {alpha:g} a flat histogram is rejected for {names(rejected)} only"
    return f"The pooled histograms above give χ² {listed}: {verdict}."


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


def npcr_against_critical(npcrs: dict[str, float], critical: float) -> str:
    """Which ciphers' one-pixel NPCR lies above the critical value of a random cipher, and which below."""
    above = [f"{name} ({value:.2%})" for name, value in npcrs.items() if value >= critical]
    below = [f"{name} ({value:.2%})" for name, value in npcrs.items() if value < critical]
    verb = {1: "is"}
    parts = []
    if above:
        parts.append(f"{names(above)} {verb.get(len(above), 'are')} at or above the critical value of a random "
                     f"cipher, {critical:.2%}")
    if below:
        parts.append(f"{names(below)} {verb.get(len(below), 'are')} below {'it' if above else f'the critical value of a random cipher, {critical:.2%}'}")
    return "; ".join(parts) + "."


def coupling_spread(trained_npcr: float, critical: float) -> str:
    """Why the coupling cipher's one-pixel change stays local, said only when it does."""
    if trained_npcr < critical:
        return ("A shift computed by a 3×3 convolution reaches only the neighbours of the changed pixel, and the "
                "layers do not spread it through the image; the permutations scatter the change but do not "
                "multiply it.")
    return "The layers and the permutations spread a one-pixel change through the whole image."


def uaci_band(uacis: dict[str, float], low: float, high: float) -> str:
    """Which pooled UACIs lie outside chapter 1's band for one image (two-sided), chosen by the values."""
    outside = [f"{name} ({value:.2%})" for name, value in uacis.items() if not low <= value <= high]
    band = f"chapter 1's band for one image ({low:.2%} to {high:.2%})"
    if not outside:
        return f"Every pooled UACI in the table lies inside {band}."
    if len(outside) == len(uacis):
        return f"No pooled UACI in the table lies inside {band}: {names(outside)}."
    return f"Outside {band} lie {names(outside)}; every other pooled UACI in the table lies inside it."


def flow_rounding(scales: list[float], float_exact: list[float], stored_exact: list[float],
                  stored_psnr: list[float]) -> str:
    """What storing the continuous flow's output in 8 bits does, per weight scale."""
    if min(float_exact) == 1:
        first = "The float round trip is bit-exact for every image at every weight scale."
    else:
        first = (f"Even the float round trip is bit-exact for only {min(float_exact):.0%} to "
                 f"{max(float_exact):.0%} of the images.")

    def psnr(v):
        return "∞" if math.isinf(v) else f"{v:.2f}"

    per_scale = names(f"{e:.0%} bit-exact at weight scale {s:g} (PSNR {psnr(p)} dB)"
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
                f"{max(measured):.2f} dB, so rounding the output of a continuous flow does not produce such a "
                "value: the reported figure implies near-lossless decryption, which rounding alone does not "
                "explain.")
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


def ecb_leak(cipher_distinct: int, plain_distinct: int, n_blocks: int) -> str:
    """What the cipher of an image with few distinct blocks shows."""
    head = (f"The cipher image of the two-tone image holds {cipher_distinct} distinct blocks among {n_blocks}, "
            f"and the plaintext {plain_distinct}")
    if cipher_distinct == plain_distinct:
        return head + ": equal plaintext blocks give equal cipher blocks, and the layout shows through."
    if cipher_distinct < plain_distinct:
        return head + ": some different plaintext blocks even share a cipher block, and the layout shows through."
    return head + ": equal plaintext blocks do not always give equal cipher blocks."


def weights_search(reproduced: bool) -> str:
    """Whether rerunning the search gives the matrix the library stores."""
    if reproduced:
        return ("Rerun here, the search returns exactly the matrix W that the library stores "
                "(hopfield.WEIGHTS), so our weights are reproducible from the seed.")
    return ("Rerun here, the search returns a different matrix from the one the library stores "
            "(hopfield.WEIGHTS): on this software stack the stored W is not reproduced from the seed.")


def lyapunov_sentence(lmin: float, lmax: float, n_starts: int, transient: int, mantissa_bits: int = 53) -> str:
    """The largest Lyapunov exponents over the starting states, and what they mean for the key."""
    head = (f"From {n_starts} random starting states in the key's range the largest Lyapunov exponent lies between "
            f"{lmin:.3f} and {lmax:.3f} per iteration")
    if lmin <= 0:
        return (head + ": not positive from every start, so from some keys the orbit is not chaotic and nearby "
                "keys need not give unrelated key-streams.")
    gap = mantissa_bits - 1  # a state in (−1, 1) set from a 53-bit word moves by 2/2⁵³ per unit of the word
    needed = gap * math.log(2) / lmin
    grow = (f": positive from every start, so nearby orbits separate by a factor of about exp(λ) per step. "
            f"Two initial states that differ in the last of their {mantissa_bits} bits start "
            f"2{_ch56_superscript(str(-gap))} apart and reach the attractor's size after about "
            f"{gap} ln 2 / λ ≈ {needed:.0f} iterations at the smallest exponent, ")
    if needed < transient:
        return head + grow + f"well within the {transient} dropped iterations."
    return head + grow + f"more than the {transient} dropped iterations: the first outputs may still be related."


def keystream_nist(passed: int, run: int, sequences: int, bits: int, sequence_bits: int,
                   uniformity_min: int) -> str:
    """The key-stream's NIST result, and what passing does and does not say."""
    uniform = ("" if sequences >= uniformity_min else
               f"; with fewer than {uniformity_min} sequences the uniformity of the P-values is not judged")
    head = (f"The key-stream passes {nist_count(passed, run)} NIST rows on {bits:,} bits ({sequences} sequences "
            f"of {sequence_bits:,} bits, judged as in chapter 1{uniform}).")
    if run and passed == run:
        return head + (" Passing these tests is necessary, not sufficient: the statistics say nothing about how "
                       "the stream is used, which is where such ciphers break.")
    return head + " A failed row is evidence against the generator, although one can fail by chance."


def wrong_key_sentence(wrong_psnr: float, right_psnr: float, margin: float = 1.0) -> str:
    """Bob's decryption with a key one bit off against the right key, chosen by the values."""
    if wrong_psnr >= right_psnr - margin:
        return (f"Bob, given that key, still decrypts to {wrong_psnr:.2f} dB, against {right_psnr:.2f} dB with the "
                "right key: the wrong bit barely matters.")
    return f"Bob, given that key, decrypts to {wrong_psnr:.2f} dB, against {right_psnr:.2f} dB with the right key."


def wrong_key_noise(psnr: float, aes_psnr: float, margin: float = 1.0) -> str:
    """A cipher's wrong-key PSNR against AES-CTR's (noise)."""
    if abs(psnr - aes_psnr) <= margin:
        return (f"For the Hopfield cipher a wrong key gives {psnr:.2f} dB, within {margin:g} dB of AES-CTR's "
                f"{aes_psnr:.2f} dB: noise.")
    closer = "closer to the image" if psnr > aes_psnr else "further from the image"
    return (f"For the Hopfield cipher a wrong key gives {psnr:.2f} dB, against {aes_psnr:.2f} dB for AES-CTR: "
            f"{closer} than AES-CTR's noise.")


def key_bit_sweep(within: int, key_bits: int, margin: float = 1.0) -> str:
    """What flipping each key bit in turn shows."""
    if within == key_bits:
        return (f"Every one of the {key_bits} bits costs less than {margin:g} dB: a key that is almost right decrypts "
                f"almost as well as the right one, so the key can be searched bit by bit, and the {key_bits}-bit key "
                "is much weaker than its length says.")
    if within == 0:
        return f"Every one of the {key_bits} bits costs at least {margin:g} dB: Bob ignores none of them."
    return (f"{within} of the {key_bits} bits cost less than {margin:g} dB: a key with one of those wrong decrypts "
            "almost as well as the right one, so those bits add little to the key's strength.")


def chosen_plaintext(n_chosen: int, seconds: float, bit_exact: float, n_images: int, key_bits: int) -> str:
    """The chosen-plaintext attack on the textbook Hopfield cipher."""
    head = (f"{n_chosen} chosen images and {short_duration(seconds)} of computation give an equivalent key that decrypts "
            f"{bit_exact:.0%} of the {n_images} test X-rays bit for bit, without the {key_bits}-bit key.")
    if bit_exact == 1:
        return head + (" The positive Lyapunov exponent and the NIST results of section 6.4 did not help: the "
                       "weakness is in how the key-stream is used, not in the key-stream.")
    return head + " The equivalent key is not exact for every image, so the cipher is not fully of the attacked form."


def nonce_attack(failed: bool) -> str:
    """The chosen-plaintext attack on the nonce variant: what its outcome shows."""
    if failed:
        return ("so the attack's equations have no common solution: the map it recovers is not a permutation of "
                "the pixels, and it fails. What resists is the standard construction (a hash and a nonce), not "
                "the chaos; the network is then one more pseudo-random generator, with no security argument of its "
                "own, and AES-CTR remains the better choice.")
    return ("and yet the attack recovered an equivalent key: the nonce did not stop it, and this variant is broken "
            "like the textbook one.")


def hopfield_summary(stream_passed: int, stream_run: int, n_chosen: int, bit_exact: float) -> str:
    """The summary's line on the textbook Hopfield cipher."""
    stream = f"a key-stream that passes {nist_count(stream_passed, stream_run)} NIST rows"
    if bit_exact == 1:
        return (f"A chaotic Hopfield-type network makes {stream}, and the textbook cipher built on it falls to "
                f"{n_chosen} chosen images all the same.")
    return (f"A chaotic Hopfield-type network makes {stream}; {n_chosen} chosen images recover an equivalent key "
            f"of the textbook cipher that decrypts {bit_exact:.0%} of the test images exactly.")


def nonce_summary(failed: bool) -> str:
    """The summary's line on the nonce variant."""
    if failed:
        return ("A fresh nonce per image stops that attack; the hash and the nonce, not the chaos, do the work. "
                "None of these ciphers is fit to protect patient data; AES-GCM is.")
    return ("A fresh nonce per image did not stop that attack in this run. None of these ciphers is fit to protect "
            "patient data; AES-GCM is.")


def anc_summary(within: int, key_bits: int) -> str:
    """The summary's line on the learned cipher's block structure and key."""
    key = (f"a key with one bit wrong still decrypts within 1 dB for {within} of its {key_bits} bits"
           if within else f"every wrong key bit costs Bob at least 1 dB")
    return ("The learned cipher works block by block: a changed pixel changes only its own block, equal blocks give "
            f"equal cipher blocks, and {key}.")



# ------------------------------------------------------------------ chapters 7 and 8


def seeds_phrase(n_seeds: int) -> str:
    """'use one seed' or 'take the worst of 3 seeds' (chapter 7's verdicts keep the worst case over seeds)."""
    if n_seeds < 1:
        raise ValueError(f"need at least one seed; got {n_seeds}")
    return "use one seed" if n_seeds == 1 else f"take the worst of {n_seeds} seeds"


def count_range(low: int, high: int) -> str:
    """'6' when both ends agree, else 'between 2 and 6'."""
    return f"{low}" if low == high else f"between {low} and {high}"


def algebraic_sentence(known_images: dict[str, int], n_test: int) -> str:
    """Chapter 7.3: which ciphers the algebraic attack broke, from how many known images (``{name: images}``)."""
    if not known_images:
        return ("The algebraic attack recovered no equivalent key in this run: no cipher had the structure it "
                "needs.")
    counts = list(known_images.values())
    return (f"The algebraic attack recovered an equivalent key of {names(known_images)}, from "
            f"{count_range(min(counts), max(counts))} known images; the table gives the share of the {n_test} unseen "
            "test X-rays that each recovered key decrypts bit for bit.")


def chaos_known_sentence(chaotic_broken: list[str]) -> str:
    """Chapter 7.3: whether known images already broke the textbook chaotic ciphers of chapters 2 and 6."""
    if not chaotic_broken:
        return "It broke neither textbook chaotic cipher in this run."
    return (f"For {names(chaotic_broken)} these were known, not chosen, images: the chosen-plaintext attack of "
            "chapter 2 is not even needed.")


def kpa_grid_sentence(gains: dict[str, float], threshold_db: float, pairs: int) -> str:
    """Chapter 7.3: what the grid of learned-attack reconstructions shows, cipher by cipher (gain in dB)."""
    if not gains:
        return "No reconstruction is shown: the learned attack ran on no cipher."
    above = {n: g for n, g in gains.items() if g > threshold_db}
    below = [n for n, g in gains.items() if g <= threshold_db]
    parts = []
    if above:
        shown = [f"{n} ({'exact' if g == float('inf') else f'{g:+.1f} dB'})" for n, g in above.items()]
        parts.append(f"beat the mean-image guess by more than {threshold_db:g} dB for {names(shown)}")
    if below:
        parts.append(f"{'do' if above else 'does'} no better than that guess for {names(below)}")
    return (f"The grid shows the first seed's decryptions learned from {pairs} pairs: they "
            + (", and " if len(parts) == 2 else "").join(parts) + ".")


def leakage_sentence(leaking: dict[str, float], n_ciphers: int) -> str:
    """Chapter 7.5: which ciphers let the classifier read the diagnosis (``{name: largest AUC}``)."""
    if not leaking:
        return (f"For none of the {n_ciphers} ciphers is the classifier's AUC significantly above 0.5: no cipher "
                "image gives the diagnosis away to this classifier.")
    shown = [f"{n} (AUC {auc:.2f})" for n, auc in leaking.items()]
    return (f"The classifier reads the diagnosis from the cipher images of {len(leaking)} of the {n_ciphers} "
            f"ciphers: {names(shown)}. For the others its AUC is not significantly above 0.5.")


def averages_hide_sentence(cases: list[tuple[str, str, float, float]]) -> str:
    """Chapter 7.7: ciphers whose mean NPCR and UACI lie inside one image's acceptance band, yet fail.

    ``cases``: (cipher, failing test "NPCR" or "UACI", share of images passing, ideal cipher's share).
    """
    if not cases:
        return ("Every cipher that fails the one-pixel test also has a mean NPCR or UACI outside the acceptance "
                "band of a single image.")
    shown = [f"{name} (only {rate:.0%} of its images pass the {test} test, against {null:.0%} for an ideal cipher)"
             for name, test, rate, null in cases]
    return (f"An average can look ideal while the images fail: the mean NPCR and UACI of {names(shown)} lie inside "
            "the acceptance band of a single image, yet too few of the individual images pass. The verdict rests on "
            "that pass rate, not on the average.")


def resist_sentence(passing: list[str], deterministic: dict[str, bool]) -> str:
    """Chapter 7.9: what the ciphers that pass every attack have in common, from the table.

    ``deterministic``: cipher -> whether the repeat-query adversary won every game against it.
    """
    if not passing:
        return "No cipher passes every attack in this run."
    repeating = [n for n in passing if deterministic.get(n, False)]
    failing = [n for n, d in deterministic.items() if d and n not in passing]
    if repeating:
        one = len(repeating) == 1
        return (f"The ciphers that pass are {names(passing)}; {names(repeating)} {'is' if one else 'are'} "
                f"deterministic, so {'it' if one else 'they'} should lose the IND-CPA game: a pass here only means "
                "that this suite missed the weakness.")
    if not failing:
        return (f"The {len(passing)} ciphers that pass every attack all draw a fresh nonce per image; no cipher in "
                "this run is deterministic.")
    fail = "the one deterministic cipher fails" if len(failing) == 1 else f"all {len(failing)} deterministic ciphers fail"
    return (f"What the {len(passing)} ciphers that pass have in common is not their construction but a fresh "
            "nonce for every image, run through a cryptographic primitive (AES, or a hash as in chapter 6): "
            f"none of them is deterministic, and {fail}. As chapter 6 found for its chaotic cipher, the nonce, "
            "not the network or the chaos, does the work.")


def control_clause(description: str, failed: list[str]) -> str:
    """'AES-CTR with a fresh nonce passes every attack' or '… fails IND-CPA and diagnosis leak'."""
    return f"{description} passes every attack" if not failed else f"{description} fails {names(failed)}"


def controls_verdict(sound_passed: bool | None, broken_failed: bool | None) -> str:
    """Whether the controls say the attacks are neither blind nor trigger-happy in this run."""
    if sound_passed and broken_failed:
        return ("So the attacks are not blind (they break the broken controls) and raise no false alarm on the sound "
                "ones: a learned cipher that fails an attack is not a failure of the attack.")
    if sound_passed is None or broken_failed is None:
        return "Not every control ran, so this run cannot show that the attacks are calibrated on both sides."
    if not sound_passed:
        return ("In this run a sound control fails an attack: read every FAIL with section 7.8's false-alarm rate "
                "in mind.")
    return "In this run a broken control passes every attack: the suite is weaker than it should be."


def results_found_sentence(found: list[str], missing: list[str]) -> str:
    """Chapter 8: which chapters' results are there, and what a missing one means."""
    total = len(found) + len(missing)
    if not missing:
        return f"Results were found for all {total} chapters, so every table below is complete."
    return (f"Results were found for {len(found)} of the {total} chapters; missing: {names(missing)}. Their ciphers "
            "are absent from the tables below until those chapters run.")


def abstracts_phrase(from_abstracts: int, total: int) -> str:
    """'all from abstracts', 'none from abstracts' or '12 of them from abstracts'."""
    if total and from_abstracts == total:
        return "all from abstracts"
    if from_abstracts == 0:
        return "none from abstracts"
    return f"{from_abstracts} of them from abstracts"


def comparable_sentence(groups: int) -> str:
    """Chapter 8.2: can the reported numbers rank the methods?"""
    if groups == 0:
        return ("No metric–dataset–size combination has a value we could read from two or more papers: the "
                "reported numbers cannot rank the methods against each other.")
    return (f"Only {groups} metric–dataset–size combination{'' if groups == 1 else 's'} {'has' if groups == 1 else 'have'} "
            "values we could read from two or more papers; every other reported value stands alone, so the numbers "
            "cannot rank the methods as a whole.")


def measured_attacked_sentence(dataset: str, n_rows: int, n_attacked: int, not_attacked: list[str],
                               renamed: dict[str, str], different: list[str], unmeasured: list[str]) -> str:
    """Chapter 8.3: how the leaderboard's rows on ``dataset`` correspond to the ciphers chapter 7 attacked."""
    text = f"On {dataset} the leaderboard has {n_rows} rows, and chapter 7 attacked {n_attacked} ciphers."
    if not_attacked:
        one = len(not_attacked) == 1
        text += (f" Measured but not attacked: {names(not_attacked)}, {'a variant' if one else 'variants'} that a "
                 f"chapter measures beside its cipher and that no registered cipher stands for.")
    same = {row: name for row, name in renamed.items() if row not in different}
    if same:
        shown = [f"{row} is chapter 7's {name}" for row, name in same.items()]
        text += f" Under another name: {names(shown)}, the same trained model (the checkpoint its chapter recorded)."
    if different:
        text += (f" Chapter 7 attacked another model than the one measured for {names(different)}, so those rows "
                 "have no verdict below.")
    if unmeasured:
        text += f" Attacked but not measured on {dataset}: {names(unmeasured)}."
    if not (not_attacked or renamed or different or unmeasured):
        text += " Every row is a model chapter 7 attacked, under the same name."
    return text


def broken_lossless_sentence(broken: list[str]) -> str:
    """Chapter 8.5: lossless ciphers that a known- or chosen-plaintext attack breaks anyway."""
    if not broken:
        return "No cipher that decrypts exactly falls to a known- or chosen-plaintext attack in this run."
    one = len(broken) == 1
    return (f"Exact decryption is not security: {names(broken)} {'decrypts' if one else 'decrypt'} exactly, at the "
            f"right of the left panel, yet a known- or chosen-plaintext attack breaks {'it' if one else 'them'}, "
            f"which puts {'it' if one else 'them'} low on the security axis.")


def gcm_caveat(passed: bool | None, failed: list[str], alpha: float) -> str:
    """Chapter 8.6: a sentence on AES-GCM's row of chapter 7 (the recommendation itself never carries it)."""
    if passed is None:
        return "AES-GCM was not attacked in this run."
    if passed:
        return "AES-GCM survived every attack."
    return (f"This run's table marks AES-GCM as failing {names(failed, empty='a test')}. The suite holds a sound "
            f"cipher's chance of a FAIL anywhere in the table at {alpha:.0%} (section 7.8 checks it), so a FAIL for a "
            "standard authenticated cipher is either such a false alarm or a defect of the suite, and worth "
            "reporting.")


def learned_included(learned: list[str]) -> str:
    """'the 7 with trained weights: a, b and c' (chapter 7 and 8 count learned ciphers the same way)."""
    if not learned:
        return "none has trained weights"
    return f"{'the one' if len(learned) == 1 else f'the {len(learned)}'} with trained weights: {names(learned)}"


def statistics_sentence(look_random_but_fail: list[str], look_random: int) -> str:
    """Chapter 8.7: did chapter 1's statistics predict the attack verdicts?"""
    if look_random_but_fail:
        return (f"Statistics did not predict the verdicts: {names(look_random_but_fail)} pass the histogram test and "
                "every NIST test of chapter 1, yet fail at least one attack. Only the attacks told them apart.")
    if look_random:
        return ("In this run every cipher that passes the histogram test and every NIST test of chapter 1 also "
                "survives the attacks; chapter 1 explains why such agreement is not guaranteed.")
    return "No cipher passes the histogram test and every NIST test of chapter 1 in this run."


def duration(seconds: float) -> str:
    """'42 s' or '3.5 min'."""
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def training_clause(devices: list[str], longest_s: float | None) -> str:
    """Chapter 8.7: how long, and on what, the learned ciphers were trained (from the chapters' metadata)."""
    kinds = sorted({"a GPU" if d.startswith("cuda") else "Apple's GPU" if d.startswith("mps") else "the CPU"
                    for d in devices})
    where = f" on {names(kinds, empty='')}" if kinds else ""
    if longest_s is None:
        return f"Our models are compact and were trained briefly{where}"
    return f"Our models are compact and were trained for at most {duration(longest_s)} each{where}"


def best_lossy_sentence(name: str | None, psnr: float | None, curve_name: str | None = None,
                        curve_psnr: float | None = None) -> str:
    """Chapter 8.7: the best lossy decryption among the ciphers measured and attacked, and chapter 4's best."""
    if name is None:
        return "No lossy cipher was both measured and attacked in this run."
    text = (f"The best lossy cipher that was both measured by the suite and attacked, {name}, decrypts to "
            f"{psnr:.2f} dB")
    if curve_name and curve_name != name and curve_psnr is not None and curve_psnr > psnr:
        text += (f"; chapter 4's compression curve reaches {curve_psnr:.2f} dB with {curve_name}, a model that "
                 "neither the suite nor the attacks measured")
    return text + "."


def exactness_sentence(lossless_learned: list[str]) -> str:
    """Chapter 8.7: which learned ciphers decrypt exactly."""
    if not lossless_learned:
        return "No learned cipher here decrypts exactly."
    return (f"Of the learned ciphers, {names(lossless_learned)} {'decrypts' if len(lossless_learned) == 1 else 'decrypt'}"
            " exactly, by an integer construction rather than a learned decoder.")


def kerckhoffs_sentence(keyless: list[str], key_ignored: list[str]) -> str:
    """Chapter 8.7: learned ciphers whose only secret is their weights, by design (no key) or in effect (key ignored)."""
    if keyless and key_ignored:
        return (f"A network whose only secret is its weights ({names(keyless)}) is security by obscurity, and so, in "
                f"effect, is one whose key the audit of chapter 7 found unused ({names(key_ignored)})")
    if keyless:
        return f"A network whose only secret is its weights ({names(keyless)}) is security by obscurity"
    if key_ignored:
        one = len(key_ignored) == 1
        return (f"Every learned cipher here takes a key, but the audit of chapter 7 found {names(key_ignored)} using "
                f"none of {'its' if one else 'their'} key bits: {'its' if one else 'their'} only secret is "
                f"{'its' if one else 'their'} weights, which is security by obscurity")
    return ("Every learned cipher here takes a key and uses it; a network whose only secret were its weights would be "
            "security by obscurity")


def chosen_images_clause(chapter2: int | None, chapter6: int | None) -> str:
    """Chapter 8's decision guide: how many chosen images recovered an equivalent key, in chapters 2 and 6."""
    def images(n):
        return f"{n} chosen image{'' if n == 1 else 's'}"

    if chapter2 is None and chapter6 is None:
        return "chosen images recover an equivalent key (chapters 2 and 6 show it when they run)"
    if chapter2 is not None and chapter6 is not None:
        where = (f"{images(chapter2)} recover{'s' if chapter2 == 1 else ''} an equivalent key in chapter 2 and again "
                 "in chapter 6" if chapter2 == chapter6 else
                 f"{images(chapter2)} in chapter 2 and {images(chapter6)} in chapter 6 recover an equivalent key")
        return where
    n, chapter = (chapter2, 2) if chapter2 is not None else (chapter6, 6)
    return f"{images(n)} recover{'s' if n == 1 else ''} an equivalent key in chapter {chapter}"


def known_images_clause(known: dict[str, int]) -> str:
    """Chapter 8's decision guide: the known X-rays chapter 7's algebraic attack needed (empty when none)."""
    if not known:
        return ""
    return f", and so do known X-rays in chapter 7 ({names([f'{n} for {name}' for name, n in known.items()])})"


def kpa_curve_sentence(broken: dict[str, float], pairs: int, threshold_db: float) -> str:
    """Chapter 7.3: for which ciphers the learned attack's curve ends above the threshold (first seed)."""
    if not broken:
        return (f"With {pairs} pairs the learned attack beats the mean-image guess by more than {threshold_db:g} dB "
                "for no cipher: every curve ends below the dashed line.")
    shown = [f"{n} ({'exact' if g == float('inf') else f'{g:+.1f} dB'})" for n, g in broken.items()]
    return (f"With {pairs} pairs the learned attack beats the mean-image guess by more than {threshold_db:g} dB for "
            f"{names(shown)}; every other curve ends below the dashed line.")


def chosen_sentence(fits: dict[str, tuple[float, int]], threshold_db: float) -> str:
    """Chapter 7.4: the ciphers of the attacked form, and whether the chosen images broke them (gain, images)."""
    if not fits:
        return "No cipher in the registry has the form the attack needs; it stops on every one."
    broken = [f"{n} ({'exactly' if g == float('inf') else f'{g:+.1f} dB'}, from {k} chosen images)"
              for n, (g, k) in fits.items() if g > threshold_db]
    resisted = [n for n, (g, _) in fits.items() if g <= threshold_db]
    text = f"The attack fits {names(list(fits))}"
    if broken:
        text += f" and recovers the images of {names(broken)}"
    if resisted:
        text += f"{'; it' if broken else ', and'} gains less than {threshold_db:g} dB on {names(resisted)}"
    return text + ". On every other cipher the recovered map is not a permutation and the attack stops."


def algebraic_bullet(known_images: dict[str, int], learned_missed: list[str]) -> str:
    """Chapter 7's closing list: what the algebraic attack showed, and whether the learned attack alone missed it."""
    if not known_images:
        return "No cipher here had the structure of the algebraic attack, so known images broke none of them."
    counts = list(known_images.values())
    text = (f"Ciphers that apply the same permutation and mask to every image fall to "
            f"{count_range(min(counts), max(counts))} known images: {names(list(known_images))}.")
    if learned_missed:
        text += f" The learned decryptor alone would have missed {names(learned_missed)}."
    return text


def worst_share(rates: pd.Series) -> str:
    """'<test> at <share in %>' for the largest of ``rates`` (test -> share of runs), e.g. 'diagnosis leak at 7.50%'."""
    if rates.empty:
        raise ValueError("worst_share needs at least one rate")
    test = rates.idxmax()
    return f"{test} at {float(rates[test]):.2%}"
