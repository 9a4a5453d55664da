"""Sentences of chapters 1 and 2: the metric suite and the classical baselines, chosen or filled by computed values."""

from __future__ import annotations

import math
from typing import Iterable

import pandas as pd

from .common import duration, names

#: The tests of chapter 1's suite that can flag a cipher, in the order of the chapters' flag tables.
SUITE_TESTS = ("per-image χ²", "pooled χ²", "pooled correlation", "one-pixel NPCR", "one-pixel UACI",
               "key sensitivity", "NIST")
#: How many of :data:`SUITE_TESTS` share the level α (NIST has its own calibrated rule, see metrics.NIST_LEVEL).
SUITE_SHARED_LEVEL_TESTS = len(SUITE_TESTS) - 1


def _suite_too_few_passes(rate: float, n: int, null_rate: float, level: float) -> bool | None:
    """An ideal cipher passes on this few of ``n`` images with probability below ``level`` (binomial lower tail).

    None when ``n`` is too small for any count to be that unlikely (one image, say): the test cannot flag.
    """
    from scipy import stats

    if stats.binom.cdf(0, n, null_rate) >= level:
        return None
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

    from .. import metrics

    level = alpha / SUITE_SHARED_LEVEL_TESTS
    levels = int(row.get("cipher_levels") or metrics.LEVELS)  # 65,536 for 16-bit cipher words
    height, width = shape
    n, pixels = int(row["n_images"]), height * width
    trials = int(row.get("n_trials") or n)  # differential trials, where they differ from the images (chapter 10)
    flags: dict[str, bool | None] = {}
    flags["per-image χ²"] = _suite_too_few_passes(row["chi2_pass_rate"], n, 1 - alpha, level)
    flags["pooled χ²"] = bool(row["chi2_p_pooled"] < level)
    pairs = {"h": height * (width - 1), "v": (height - 1) * width, "d": (height - 1) * (width - 1)}
    z = stats.norm.isf(level / (2 * len(pairs)))
    scores = [abs(row[f"corr_{d}_pooled"]) * math.sqrt(n * p) for d, p in pairs.items()
              if p > 0 and row.get(f"corr_{d}_pooled") is not None and not math.isnan(row[f"corr_{d}_pooled"])]
    flags["pooled correlation"] = bool(max(scores) > z) if scores else None
    flags["one-pixel NPCR"] = _suite_too_few_passes(row["npcr_pass_rate"], trials, metrics.npcr_null_pass_rate(pixels, alpha, levels),
                                              level)
    flags["one-pixel UACI"] = _suite_too_few_passes(row["uaci_pass_rate"], trials, metrics.uaci_null_pass_rate(pixels, alpha, levels),
                                              level)
    if row.get("key_npcr_pass_rate") is None or row.get("key_uaci_pass_rate") is None:
        flags["key sensitivity"] = None
    else:
        npcr_flag = _suite_too_few_passes(row["key_npcr_pass_rate"], trials,
                                          metrics.npcr_null_pass_rate(pixels, alpha, levels), level / 2)
        uaci_flag = _suite_too_few_passes(row["key_uaci_pass_rate"], trials,
                                          metrics.uaci_null_pass_rate(pixels, alpha, levels), level / 2)
        flags["key sensitivity"] = None if npcr_flag is None and uaci_flag is None else bool(npcr_flag or uaci_flag)
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
    from ..metrics import NIST_SEQUENCE_BITS

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


def speed_sentence(rates: dict[str, dict[str, float]], ceiling: float) -> str:
    """Chapter 2.6's conclusion on speed, from the run's rates (name -> MB/s and share of the ceiling)."""
    ctr, gcm, chaos = rates["aes-ctr"], rates["aes-gcm"], rates["chaos-logistic"]
    first = (f"AES-CTR, one library call for the whole batch, encrypts at {ctr['encrypt_mb_per_s']:,.0f} MB/s, "
             f"{ctr['ratio_to_ceiling']:.0%} of the ceiling of {ceiling:,.0f} MB/s that the same library reaches on "
             "one buffer of the batch's size.")
    ratio = ctr["encrypt_mb_per_s"] / chaos["encrypt_mb_per_s"]
    if ratio >= 1:
        second = (f" The chaotic cipher encrypts at {chaos['encrypt_mb_per_s']:,.0f} MB/s, {ratio:,.1f} times slower "
                  "than AES-CTR: the speed argument for chaotic ciphers does not survive a comparison with AES at "
                  "library speed.")
    else:
        second = (f" The chaotic cipher encrypts at {chaos['encrypt_mb_per_s']:,.0f} MB/s, {1 / ratio:,.1f} times "
                  "faster than AES-CTR in this run; AES-CTR is the one held to the ceiling, so the gap is the "
                  "chaotic cipher's, not an artefact of a slow AES.")
    third = (f" AES-GCM makes one authenticated call per image, since each image has its own nonce and tag, and "
             f"reaches {gcm['ratio_to_ceiling']:.1%} of the ceiling.")
    return first + second + third
