"""Sentences on the metric suite and its statistics: NIST, χ², correlations, NPCR and UACI, calibration."""

from __future__ import annotations

import pandas as pd

from ... import formatting, verdicts
from ...formatting import p_value as p_value_text
from .common import names


def calibration_sentence(nominal_rejections: int, n_tests: int, nominal: float, table_rejections: int,
                         runs_per_test: int | None = None) -> str:
    """What the calibration runs show, chosen by their counts (a one-sided binomial test at 1 % for 'too many').

    A sample of sound-cipher runs can show miscalibration, never its absence: with few runs
    per test the sentence says what rate it could have detected, not that the verdicts are calibrated.
    """
    too_many = verdicts.too_many_false_alarms(nominal_rejections, n_tests, nominal)
    if table_rejections:
        return (f"{table_rejections} of the {n_tests} runs rejected a sound cipher even at the summary's level, so in "
                "this run the table's false-alarm rate is not held: the tests behind those rejections need a look.")
    if too_many:
        return ("No run rejected a sound cipher at the summary's level, but at the nominal level the share is "
                f"significantly above {nominal:.0%} (one-sided binomial test at 1 %): some test's null distribution is "
                "off for these sizes, and the correction, not the test, is what keeps the table honest.")
    text = ("No run rejected a sound cipher at the summary's level, and the share at the nominal level is consistent "
            f"with at most {nominal:.0%}: no evidence of miscalibration at this sample size")
    if runs_per_test:
        # the smallest per-test rate that 0 rejections in this many runs would rule out at 95 % (rule of three)
        text += (f". With {runs_per_test} runs per test and cipher, only a single test's false-alarm rate above about "
                 f"{min(1.0, 3 / runs_per_test):.0%} would have shown; at the summary's level, where the expected "
                 "count is far below one, these runs can show nothing")
    return text + "."


def suite_flag_table(flags: dict[str, dict[str, bool | None]]) -> pd.DataFrame:
    """One row per cipher (keys of ``flags``), one column per test: 'flags', 'passes' or '–' (does not apply)."""
    shown = {True: "flags", False: "passes", None: formatting.MISSING}
    table = pd.DataFrame({name: {test: shown[f.get(test)] for test in verdicts.SUITE_TESTS} for name, f in flags.items()}).T
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


def suite_verdict_sentences(named: dict[str, dict[str, bool | None]]) -> str:
    """:func:`suite_verdict_sentence` for several ciphers, one sentence for each group of ciphers with equal flags."""
    groups: list[tuple[dict, list[str]]] = []
    for name, flags in named.items():
        for seen, members in groups:
            if seen == flags:
                members.append(name)
                break
        else:
            groups.append((flags, [name]))
    return " ".join(suite_verdict_sentence(names(members), flags) for flags, members in groups)


def suite_flag_phrase(flag: bool | None) -> str:
    """'flags the cipher', 'does not flag the cipher' or 'does not apply to the cipher', for one test's verdict."""
    return {True: "flags the cipher", False: "does not flag the cipher", None: "does not apply to the cipher"}[flag]


def suite_hint_sentence(flags: dict[str, bool | None], where: str) -> str:
    """Whether the statistics of ``where`` (e.g. 'section 2.5') had hinted at a flaw that an attack then found."""
    flagged = [t for t, f in flags.items() if f is True]
    if not flagged:
        return f"Nothing in {where} hinted at this: no statistic of the suite flagged the cipher in this run."
    return (f"In {where}, {_suite_tests(flagged)} had flagged the cipher: a flag says that it is not ideal, "
            "not which weakness an attack will use.")


def nist_rows_passed(row: dict) -> str:
    """'k of n NIST rows' with the denominator of the cipher's own report, or why there is no NIST verdict."""
    from ...metrics import NIST_SEQUENCE_BITS

    run = row.get("nist_run") or 0
    if not run or row.get("nist_passed") is None:
        return f"no NIST verdict (its cipher bits fill no sequence of {NIST_SEQUENCE_BITS:,} bits)"
    return f"{int(row['nist_passed'])} of {int(run)} NIST rows"


def nist_failed_rows(row: dict) -> str:
    """Which NIST rows fail the calibrated rule: 'no row fails', 'the frequency row fails', 'the a and b rows fail'."""
    if not row.get("nist_run") or row.get("nist_passed") is None:
        return "no NIST row was run"
    failed = [name for name in (row.get("nist_failed_rows") or "").split("; ") if name]
    if not failed:
        return "no row fails"
    return f"the {names(failed)} row{'s' if len(failed) > 1 else ''} fail{'' if len(failed) > 1 else 's'}"


def nist_table_cell(row: dict) -> str:
    """The 'NIST passed' cell of a table: 'k of n', or '–' when the cipher got no NIST verdict."""
    run = row.get("nist_run") or 0
    return formatting.MISSING if not run or row.get("nist_passed") is None else f"{int(row['nist_passed'])} of {int(run)}"


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


def chaos_npcr_tell(npcr: float, expected: float) -> str:
    """Chapter 2: whether the chaotic cipher's NPCR lies above the random value, and what that shows."""
    if npcr > expected:
        return (f"An NPCR above the random value {expected:.2%} is itself a tell: after a one-pixel change every "
                "later pixel of the forward chain shifts by a fixed amount, so almost no pixel can stay equal by "
                "chance.")
    return (f"Its NPCR does not exceed the random value {expected:.2%} in this run, so the one-pixel NPCR "
            "shows nothing of the chaining's structure.")


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


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


def uniformity_clause(p_value: float, alpha: float) -> str:
    """The pooled histogram's verdict from its χ² p-value at level ``alpha``."""
    if p_value < alpha:
        return f"the pooled histogram is not uniform (pooled χ² p-value {p_value_text(p_value)}, below α = {alpha:g})"
    return f"the pooled histogram passes the uniformity test (pooled χ² p-value {p_value_text(p_value)}, α = {alpha:g})"


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


_CH34_DIRECTIONS = {"horizontal": "horizontal (Corr. H)", "vertical": "vertical (Corr. V)", "diagonal": "diagonal (Corr. D)"}


def correlation_sentence(correlations: dict[str, float], n_pairs: dict[str, int], alpha: float,
                         subject: str = "the cipher images'") -> str:
    """Which neighbour correlations (direction -> pooled r) are far from 0: beyond the two-sided level-``alpha``
    bound for ``n_pairs`` independent pairs. Directions without a value (NaN, None) are left out."""
    far, near = [], []
    for direction, value in correlations.items():
        if value is None or value != value:
            continue
        bound = verdicts.correlation_bound(n_pairs[direction], alpha)
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
            f"{'are' if plural else 'is'} significantly different from 0, beyond the ±{max(b for _, _, b in far):.4f} "
            f"that independent pixels stay within at α = {alpha:g}: neighbouring cipher pixels are not independent, "
            "even where the correlation is small.")


DIRECTION_NAMES = ("horizontal", "vertical", "diagonal")


def _ch56_superscript(text: str) -> str:
    return text.translate(str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻˙"))


def _ch56_scientific(value: float) -> str:
    """'6.5 × 10⁻⁶' (two significant digits)."""
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa} × 10{_ch56_superscript(str(int(exponent)))}"


def value_change(first: float, last: float, unit: str = "", digits: int = 3) -> str:
    """'fell from 0.812 to 0.430', 'rose from … to …' or 'stayed at …' (equal at the shown precision)."""
    a, b = f"{first:.{digits}f}", f"{last:.{digits}f}"
    if a == b:
        return f"stayed at {a}{unit}"
    return f"{'fell' if last < first else 'rose'} from {a}{unit} to {b}{unit}"


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
    """'p = 0.698' or 'p < 0.0001': :func:`p_value_text` after 'p'."""
    text = p_value_text(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


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


def uaci_band(uacis: dict[str, float], low: float, high: float) -> str:
    """Which pooled UACIs lie outside chapter 1's band for one image (two-sided), chosen by the values."""
    outside = [f"{name} ({value:.2%})" for name, value in uacis.items() if not low <= value <= high]
    band = f"chapter 1's band for one image ({low:.2%} to {high:.2%})"
    if not outside:
        return f"Every pooled UACI in the table lies inside {band}."
    if len(outside) == len(uacis):
        return f"No pooled UACI in the table lies inside {band}: {names(outside)}."
    return f"Outside {band} lie {names(outside)}; every other pooled UACI in the table lies inside it."


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


def averages_hide_sentence(cases: list[tuple[str, str, float, float]]) -> str:
    """Chapter 8.7: ciphers whose mean NPCR and UACI lie inside one image's acceptance band, yet fail.

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


def statistics_sentence(look_random_but_fail: list[str], look_random: int) -> str:
    """Chapter 9.7: did chapter 1's statistics predict the attack verdicts?"""
    if look_random_but_fail:
        return (f"Statistics did not predict the verdicts: {names(look_random_but_fail)} pass the histogram test and "
                "every NIST test of chapter 1, yet fail at least one attack. Only the attacks told them apart.")
    if look_random:
        return ("In this run every cipher that passes the histogram test and every NIST test of chapter 1 also "
                "survives the attacks; chapter 1 explains why such agreement is not guaranteed.")
    return "No cipher passes the histogram test and every NIST test of chapter 1 in this run."
