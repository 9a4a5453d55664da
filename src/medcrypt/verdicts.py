"""The rules that turn attack results into chapter 8's pass/FAIL table, with a family-wise error rate.

One rule per column of the summary (:data:`COLUMNS`). A cipher *passes* a column only if
the attacks of that column ran on it and none broke it; it *passes every attack* only if
it passes every column. Each cell has three states: pass, FAIL, and n/a, where no attack
of that column applies to the cipher. An attack that does not apply shows nothing, so
"n/a" never counts as a pass. A pass is worded as what was shown ("no adversary in the
battery won"), never as a proof.

* **IND-CPA**: the battery of :mod:`medcrypt.attacks.ind_cpa`, on the whole ciphertext;
  fails when some adversary's advantage is significantly above 0 (one-sided exact
  binomial test on its wins).
* **known plaintext (best attack)**: the best of the algebraic attack and the learned
  decryptor (worst case over seeds); fails when it beats the no-ciphertext guess by more
  than :data:`GAIN_THRESHOLD_DB`. The figure names the attack that won.
* **chosen plaintext**: the best of the equivalent-key attack of chapter 2, key-stream
  recovery from a chosen all-zero image and the codebook attack, among those that apply;
  fails on the same threshold; n/a when none applies. It fails too when the known-plaintext
  column failed: an adversary who chooses the images can choose the known ones.
* **chosen ciphertext (bit flip)**: fails when decryption accepts a ciphertext with one
  flipped bit instead of refusing it (no integrity: the cipher is malleable).
* **diagnosis leak**: fails when a ciphertext-only classifier's AUC is significantly
  above 0.5 for some seed (one-sided Mann–Whitney).
* **key audit**: the key bits a search must cover, from every audit that can see them:
  the one-bit flips, a search over random keys (a repeated or equivalent key shows a
  small key space), the float parameters a key schedule can produce, and the chaotic
  state an attacker can guess. Fails below :data:`MINIMUM_KEY_BITS` bits.
* **one pixel** and **one key bit**: fail when too few images pass the NPCR or the UACI
  test, against the exact null pass rates at the image size; the cell shows the share of
  images that passed each test.

**Multiple testing.** The table holds many hypothesis tests; each is run at
α / m, where m counts every test in the table (:func:`tests_per_cipher` per cipher), so
that a table of ideal ciphers shows a false FAIL with probability at most α
(Bonferroni; valid whatever the dependence between the tests).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from . import formatting
from .binomial import lower_tail, pass_count_p_value
from .nist import MIN_BITS

#: The verdict columns of the summary, in order.
COLUMNS = ("IND-CPA", "known plaintext (best attack)", "chosen plaintext", "chosen ciphertext (bit flip)",
           "diagnosis leak", "key audit", "one pixel (NPCR, UACI)", "one key bit (NPCR, UACI)")
#: The report card's extra column (``medcrypt evaluate``): the metric suite's statistics at the table's level.
STATISTICS = "statistics (NIST, χ²)"
GAIN_THRESHOLD_DB = 1.0
MINIMUM_KEY_BITS = 128


#: The statistics column's tests: every NIST SP 800-22 row (cumulative sums counts twice, forward and
#: backward) and the pooled χ².
STATISTICS_TESTS = len(MIN_BITS) + 1 + 1
#: IND-CPA adversaries per seed (:data:`medcrypt.attacks.ind_cpa.BATTERY`; kept here so verdicts import no attack).
ADVERSARIES = 6


@dataclass(frozen=True)
class Verdict:
    """One cell of the summary, as an object that code reads and never parses back from text.

    ``passed``: True (no attack of the column won), False (one did) or None (none applies:
    n/a, which is not a pass). ``figure``: what the reader sees, the number that decided.
    ``reason``: the attack, adversary or audit that decided ("" when the column has one).
    ``level``: the significance level the column's tests ran at, None for an exact rule.
    """

    passed: bool | None
    figure: str
    reason: str = ""
    level: float | None = None

    def __post_init__(self):  # NumPy's booleans become Python's, so that `passed is True` means what it says
        object.__setattr__(self, "passed", None if self.passed is None else bool(self.passed))

    @property
    def applies(self) -> bool:
        return self.passed is not None

    @property
    def state(self) -> str:
        return "n/a" if self.passed is None else ("pass" if self.passed else "FAIL")

    def __str__(self) -> str:
        return f"{self.state} ({self.figure})"

    def to_dict(self) -> dict:
        """The verdict as a results file stores it (``state`` too, for a reader of the JSON)."""
        return {"passed": self.passed, "state": self.state, "figure": self.figure, "reason": self.reason,
                "level": self.level}

    @classmethod
    def from_dict(cls, stored: dict) -> "Verdict":
        """A verdict read back from :meth:`to_dict`'s fields (older files without ``reason`` or ``level`` too)."""
        return cls(stored["passed"], stored["figure"], stored.get("reason", ""), stored.get("level"))


def cells_from_dicts(stored: dict[str, dict[str, dict]]) -> dict[str, dict[str, Verdict]]:
    """Verdicts stored as :meth:`Verdict.to_dict` (cipher -> column -> fields), as objects again."""
    return {name: {column: Verdict.from_dict(v) for column, v in row.items()} for name, row in stored.items()}


def cells_from_rows(rows: Iterable[dict]) -> dict[str, dict[str, Verdict]]:
    """The verdicts of chapter 8's results rows (``{"cipher": ..., "verdicts": {column: {...}}}``) as objects."""
    return cells_from_dicts({row["cipher"]: row.get("verdicts", {}) for row in rows})


def tests_per_cipher(seeds: int, adversaries: int = ADVERSARIES, statistics: bool = False) -> int:
    """Hypothesis tests one cipher contributes to the table.

    Per seed: each IND-CPA adversary and the diagnosis classifier; once: the NPCR and UACI
    tests of both sensitivity columns (4) and the key audit's flip tests (1). The other
    columns are exact (a recovered image, an accepted forgery, a repeated key) and add no test.
    With ``statistics`` (the report card), the :data:`STATISTICS_TESTS` randomness tests too.
    """
    return seeds * (adversaries + 1) + 4 + 1 + (STATISTICS_TESTS if statistics else 0)


def table_level(alpha: float, n_ciphers: int, seeds: int, adversaries: int = ADVERSARIES,
                statistics: bool = False) -> float:
    """The Bonferroni level of each test so that the whole table's false-FAIL rate is at most ``alpha``."""
    if not 0 < alpha < 1 or n_ciphers < 1 or seeds < 1:
        raise ValueError(f"need 0 < alpha < 1, n_ciphers >= 1 and seeds >= 1; got {alpha}, {n_ciphers}, {seeds}")
    return alpha / (n_ciphers * tests_per_cipher(seeds, adversaries, statistics))


def _db(gain: float) -> str:
    return "exact" if math.isinf(gain) and gain > 0 else f"{gain:+.1f} dB"


def ind_cpa(p_values: dict[str, float], advantages: dict[str, tuple[float, float, float]], level: float,
            queries: int | None = None, repeats: dict[str, int] | None = None) -> Verdict:
    """IND-CPA: ``advantages`` maps adversary -> (advantage, low, high); fails if any p-value < ``level``.

    A pass says what was shown: no adversary of the battery won, with the largest upper
    95 % bound of their advantages and the most oracle queries one of them made.
    ``repeats`` (adversary -> repeated nonces or ciphertexts among its own queries) names
    a failure that the repeats, not the advantage, decided.
    """
    if not p_values:
        raise ValueError("ind_cpa needs at least one adversary")
    broken = {name.rsplit(" (seed", 1)[0] for name, p in p_values.items() if p < level}
    if broken:
        strongest = max([a for a in advantages if a in broken] or advantages, key=lambda a: advantages[a][0])
        advantage, low, high = advantages[strongest]
        figure = f"{advantage:.2f} [{low:.2f}, {high:.2f}], {strongest}"
        if low <= 0 and (repeats or {}).get(strongest):
            spent = "" if queries is None else f" in {queries:,} queries"
            figure = f"{repeats[strongest]:,} repeated nonces or ciphertexts{spent}, {strongest}"
        return Verdict(False, figure, strongest, level)
    bound = max(high for _, _, high in advantages.values())
    spent = "" if queries is None else f", up to {queries:,} queries"
    return Verdict(True, f"no adversary in the battery won: advantage ≤ {bound:.2f}{spent}", "", level)


def known_plaintext(learned_gains: Iterable[float], algebraic_gain: float | None, algebraic_structure: str = "",
                    known_images: int | None = None, threshold_db: float = GAIN_THRESHOLD_DB) -> Verdict:
    """The best known-plaintext attack: the worst-case learned gain over seeds, or the algebraic attack's gain."""
    learned = max(learned_gains)
    candidates = {"learned": learned}
    if algebraic_gain is not None:
        candidates["algebraic"] = algebraic_gain
    winner = max(candidates, key=candidates.get)
    gain = candidates[winner]
    if winner == "algebraic":
        detail = f"algebraic, {algebraic_structure}" + (f", {known_images} known images" if known_images else "")
    else:
        detail = "learned decryptor"
    return Verdict(gain <= threshold_db, f"{_db(gain)}, {detail}", "algebraic" if winner == "algebraic" else detail)


def chosen_plaintext(outcomes: dict[str, tuple[float, int]], threshold_db: float = GAIN_THRESHOLD_DB,
                     known: Verdict | None = None) -> Verdict:
    """The best chosen-plaintext attack that applies: ``outcomes`` maps attack -> (gain in dB, chosen images).

    Attacks that do not apply are left out of ``outcomes``; with none left the cell is n/a.
    ``known`` is the known-plaintext verdict: when a known-plaintext attack won, a
    chosen-plaintext adversary wins too (it may choose those very images), so the cell
    fails even where no chosen-plaintext attack of the suite applies or wins.
    """
    best = None
    if outcomes:
        winner = max(outcomes, key=lambda a: outcomes[a][0])
        gain, n_chosen = outcomes[winner]
        best = Verdict(gain <= threshold_db, f"{_db(gain)}, {winner}, {n_chosen:,} chosen images", winner)
    if known is not None and known.passed is False and (best is None or best.passed is not False):
        return Verdict(False, f"the known-plaintext attack won ({known.figure}); an adversary who chooses the "
                              "images can choose those", "known plaintext")
    return best if best is not None else Verdict(None, "no attack in the suite applies")


def chosen_ciphertext(trials: int, accepted: int) -> Verdict:
    """The bit-flip test: fails when decryption accepted any of ``trials`` ciphertexts with one bit flipped."""
    if trials < 1:
        raise ValueError(f"chosen_ciphertext needs at least one trial; got {trials}")
    if accepted:
        return Verdict(False, f"accepted {accepted} of {trials} flipped ciphertexts", "bit flip")
    return Verdict(True, f"refused all {trials} flipped ciphertexts", "bit flip")


def diagnosis_leak(aucs: Iterable[float], p_values: Iterable[float], level: float) -> Verdict:
    """Fails if any seed's AUC is significantly above 0.5; the figure is the largest AUC."""
    aucs, p_values = list(aucs), list(p_values)
    if not aucs or len(aucs) != len(p_values):
        raise ValueError("diagnosis_leak needs one p-value per AUC, at least one")
    return Verdict(min(p_values) >= level, f"AUC {max(aucs):.2f}", "diagnosis classifier", level)


def key_audit(claimed: int, bounds: dict[str, float], found: str = "", seen: str = "",
              minimum_bits: int = MINIMUM_KEY_BITS) -> Verdict:
    """Fails when a search shows a small key space (``found`` says what it saw) or when the cheapest bound is short.

    ``bounds`` maps each audit that bounds the search to its log2 work: the bit flips
    (bits that matter, or divide and conquer), the key schedule's parameters, the guessable
    chaotic state. The verdict credits the cipher with the smallest. ``seen`` says what the
    random-key search showed when it found nothing. A cipher without a key fails.
    """
    if claimed == 0:
        return Verdict(False, "no key")
    if found:
        return Verdict(False, found, "random-key search")
    audit, credited = min(bounds.items(), key=lambda item: item[1])
    figure = f"credited {credited:.0f} of {claimed} bits, by {audit}" + (f"; {seen}" if seen else "")
    return Verdict(credited >= minimum_bits, figure, audit)


def sensitivity(npcr_p: float | None, uaci_p: float | None, npcr_rate: float | None, uaci_rate: float | None,
                level: float) -> Verdict:
    """One differential test: fails if the NPCR or the UACI pass count is too low (p-value below ``level``).

    The figure is what decides: the share of images that passed each test, not the mean,
    which can look ideal while too few images pass.
    """
    if npcr_p is None or uaci_p is None:
        return Verdict(False, "no key")
    return Verdict(npcr_p >= level and uaci_p >= level,
                   f"images passing: NPCR {100 * npcr_rate:.0f} %, UACI {100 * uaci_rate:.0f} %", "", level)


def statistics(nist_min_p: float | None, nist_rows: int, chi2_p: float | None, level: float) -> Verdict:
    """The metric suite's randomness tests judged at the table's ``level``: the NIST SP 800-22 rows
    (:func:`tests_for_statistics` of them; the smallest row proportion p-value decides) and the pooled χ².

    n/a when the cipher bits are too few for one NIST sequence and no χ² ran.
    """
    if (nist_min_p is None or not nist_rows) and chi2_p is None:
        return Verdict(None, "too few cipher bits for the tests")
    nist_failed = nist_min_p is not None and nist_min_p < level
    chi_failed = chi2_p is not None and chi2_p < level
    nist = "no NIST sequence" if nist_min_p is None else f"smallest NIST row p {_p(nist_min_p)} over {nist_rows} rows"
    return Verdict(not nist_failed and not chi_failed, f"{nist}, pooled χ² p {_p(chi2_p)}", "", level)


def _p(p: float | None) -> str:
    if p is None:
        return "n/a"
    return f"{p:.2g}" if p >= 1e-4 else "< 0.0001"


def summary(rows: dict[str, dict[str, Verdict]], extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table: one row per cipher, the columns of ``extra`` (family, key bits) and then the verdicts as text."""
    frame = pd.DataFrame({name: {column: str(verdict) for column, verdict in verdicts.items()}
                          for name, verdicts in rows.items()}).T
    frame.index.name = "cipher"
    return frame if extra is None else extra.join(frame)


def _verdict_columns(row: dict[str, Verdict]) -> list[Verdict]:
    return [row[c] for c in (*COLUMNS, STATISTICS) if c in row]


def passed_every_attack(cells: dict[str, dict[str, Verdict]] | None) -> pd.Series:
    """cipher -> whether it passed every verdict column it has (empty when there are no cells).

    A cell that is n/a (no attack of that column applied) is not a pass.
    """
    if not cells:
        return pd.Series(dtype=bool)
    out = {}
    for name, row in cells.items():
        columns = _verdict_columns(row)
        if not columns:
            raise ValueError(f"no verdict column for {name}; expected some of {COLUMNS}")
        out[name] = all(v.passed is True for v in columns)
    return pd.Series(out, dtype=bool)


def failed_some_attack(cells: dict[str, dict[str, Verdict]] | None) -> pd.Series:
    """cipher -> whether some verdict column FAILs it (an n/a cell is neither a pass nor a FAIL)."""
    if not cells:
        return pd.Series(dtype=bool)
    return pd.Series({name: any(v.passed is False for v in _verdict_columns(row)) for name, row in cells.items()},
                     dtype=bool)


def failed_columns(cells: dict[str, dict[str, Verdict]] | None, name: str) -> list[str]:
    """The verdict columns that FAIL ``name``, in the table's order (empty when it is absent)."""
    row = (cells or {}).get(name, {})
    return [c for c in (*COLUMNS, STATISTICS) if c in row and row[c].passed is False]


def false_positive_rates(p_values: pd.DataFrame, levels: dict[str, float]) -> pd.DataFrame:
    """Share of runs that reject, per test (columns of ``p_values``) and per level (``levels``: name -> level).

    ``p_values`` has one row per run of a sound cipher (seed), one column per test.
    """
    out = {name: (p_values < level).mean() for name, level in levels.items()}
    frame = pd.DataFrame(out)
    frame.insert(0, "runs", p_values.notna().sum())
    return frame


def any_rejects(p_values: pd.DataFrame, level: float) -> float:
    """Share of runs (rows) in which at least one test rejects at ``level``: the table-level false-alarm rate."""
    return float(np.mean((p_values < level).any(axis=1)))


def too_many_false_alarms(rejections: int, runs: int, nominal: float, level: float = 0.01) -> bool:
    """Whether ``rejections`` of ``runs`` tests on sound ciphers are significantly more than the ``nominal`` rate
    allows (one-sided exact binomial test at ``level``): the calibration's rule for "miscalibrated"."""
    from scipy import stats

    return bool(stats.binomtest(rejections, runs, nominal, alternative="greater").pvalue < level)


def correlation_bound(n_pairs: int, alpha: float) -> float:
    """The two-sided level-``alpha`` bound on a Pearson correlation of ``n_pairs`` independent pairs (normal
    approximation): the rule by which a correlation counts as indistinguishable from 0."""
    from scipy import stats

    return float(stats.norm.ppf(1 - alpha / 2) / n_pairs ** 0.5)


# ------------------------------------------------------------------ the metric suite's flags (chapters 1, 2, 10)

#: The tests of chapter 1's suite that can flag a cipher, in the order of the chapters' flag tables.
SUITE_TESTS = ("per-image χ²", "pooled χ²", "pooled correlation", "one-pixel NPCR", "one-pixel UACI",
               "key sensitivity", "NIST")
#: How many of :data:`SUITE_TESTS` share the level α (NIST has its own calibrated rule, see metrics.NIST_LEVEL).
SUITE_SHARED_LEVEL_TESTS = len(SUITE_TESTS) - 1


def _suite_too_few_passes(rate: float, n: int, null_rate: float, level: float) -> bool | None:
    """An ideal cipher passes on this few of ``n`` images with probability below ``level`` (binomial lower tail).

    None when ``n`` is too small for any count to be that unlikely (one image, say): the test cannot flag.
    """
    if lower_tail(0, n, null_rate) >= level:
        return None
    return bool(pass_count_p_value(rate, n, null_rate) < level)


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
    from scipy import stats

    from . import metrics

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
              if p > 0 and not formatting.is_missing(row.get(f"corr_{d}_pooled"))]
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
