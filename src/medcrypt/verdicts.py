"""The rules that turn attack results into chapter 8's pass/FAIL table, with a family-wise error rate.

One rule per column of the summary (:data:`COLUMNS`). A cipher *passes* only if no rule
fails it: the table reports the strongest attack we have, not the easiest one.

* **IND-CPA**: fails when some adversary's advantage is significantly above 0
  (one-sided exact binomial test on its wins).
* **known plaintext (best attack)**: the best of the algebraic attack and the learned
  decryptor (worst case over seeds); fails when it beats the no-ciphertext guess by more
  than :data:`GAIN_THRESHOLD_DB`. The figure names the attack that won.
* **chosen plaintext**: the equivalent-key attack of chapter 2; fails on the same
  threshold, passes when the cipher does not have the attacked form.
* **diagnosis leak**: fails when a ciphertext-only classifier's AUC is significantly
  above 0.5 for some seed (one-sided Mann–Whitney).
* **key audit**: fails below :data:`MINIMUM_KEY_BITS` bits of measured strength.
* **one pixel** and **one key bit**: fail when too few images pass the NPCR or the UACI
  test, against the exact null pass rates at the image size.

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

#: The verdict columns of the summary, in order.
COLUMNS = ("IND-CPA", "known plaintext (best attack)", "chosen plaintext", "diagnosis leak", "key audit",
           "one pixel (NPCR, UACI)", "one key bit (NPCR, UACI)")
GAIN_THRESHOLD_DB = 1.0
MINIMUM_KEY_BITS = 128


@dataclass(frozen=True)
class Verdict:
    """One cell of the summary: whether the cipher survived, and the figure that says why."""

    passed: bool
    figure: str

    def __str__(self) -> str:
        return f"{'pass' if self.passed else 'FAIL'} ({self.figure})"


def tests_per_cipher(seeds: int, adversaries: int = 2) -> int:
    """Hypothesis tests one cipher contributes to the table.

    Per seed: each IND-CPA adversary and the diagnosis classifier; once: the NPCR and UACI
    tests of both sensitivity columns (4) and the key audit (1).
    """
    return seeds * (adversaries + 1) + 4 + 1


def table_level(alpha: float, n_ciphers: int, seeds: int, adversaries: int = 2) -> float:
    """The Bonferroni level of each test so that the whole table's false-FAIL rate is at most ``alpha``."""
    if not 0 < alpha < 1 or n_ciphers < 1 or seeds < 1:
        raise ValueError(f"need 0 < alpha < 1, n_ciphers >= 1 and seeds >= 1; got {alpha}, {n_ciphers}, {seeds}")
    return alpha / (n_ciphers * tests_per_cipher(seeds, adversaries))


def _db(gain: float) -> str:
    return "exact" if math.isinf(gain) and gain > 0 else f"{gain:+.1f} dB"


def ind_cpa(p_values: dict[str, float], advantages: dict[str, tuple[float, float, float]], level: float) -> Verdict:
    """IND-CPA: ``advantages`` maps adversary -> (advantage, low, high); fails if any p-value < ``level``."""
    if not p_values:
        raise ValueError("ind_cpa needs at least one adversary")
    strongest = max(advantages, key=lambda a: advantages[a][0])
    advantage, low, high = advantages[strongest]
    broken = any(p < level for p in p_values.values())
    return Verdict(not broken, f"{advantage:.2f} [{low:.2f}, {high:.2f}], {strongest}")


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
    return Verdict(gain <= threshold_db, f"{_db(gain)}, {detail}")


def chosen_plaintext(gain: float | None, n_chosen: int | None = None, threshold_db: float = GAIN_THRESHOLD_DB) -> Verdict:
    """The equivalent-key attack: ``gain`` None means the cipher does not have the attacked form."""
    if gain is None:
        return Verdict(True, "form does not fit")
    return Verdict(gain <= threshold_db, f"{_db(gain)}, {n_chosen} chosen images")


def diagnosis_leak(aucs: Iterable[float], p_values: Iterable[float], level: float) -> Verdict:
    """Fails if any seed's AUC is significantly above 0.5; the figure is the largest AUC."""
    aucs, p_values = list(aucs), list(p_values)
    if not aucs or len(aucs) != len(p_values):
        raise ValueError("diagnosis_leak needs one p-value per AUC, at least one")
    return Verdict(min(p_values) >= level, f"AUC {max(aucs):.2f}")


def key_audit(claimed: int, effective: int, strength: float, minimum_bits: int = MINIMUM_KEY_BITS) -> Verdict:
    """Fails below ``minimum_bits`` of measured strength; a cipher without a key fails."""
    if claimed == 0:
        return Verdict(False, "no key")
    figure = f"{effective} of {claimed} bits"
    if round(strength) != effective:
        figure += f", {strength:.0f} by divide and conquer"
    return Verdict(strength >= minimum_bits, figure)


def sensitivity(npcr_p: float | None, uaci_p: float | None, npcr: float | None, uaci: float | None,
                level: float) -> Verdict:
    """One differential test: fails if the NPCR or the UACI pass count is too low (p-value below ``level``)."""
    if npcr_p is None or uaci_p is None:
        return Verdict(False, "no key")
    return Verdict(npcr_p >= level and uaci_p >= level, f"{100 * npcr:.2f} %, {100 * uaci:.1f} %")


def summary(rows: dict[str, dict[str, Verdict]], extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table: one row per cipher, the columns of ``extra`` (family, key bits) and then the verdicts as text."""
    frame = pd.DataFrame({name: {column: str(verdicts[column]) for column in COLUMNS} for name, verdicts in rows.items()}).T
    frame.index.name = "cipher"
    return frame if extra is None else extra.join(frame)


def passed_every_attack(table: pd.DataFrame | None) -> pd.Series:
    """cipher -> whether every verdict column present reads "pass …" (empty when there is no table)."""
    if table is None or table.empty:
        return pd.Series(dtype=bool)
    columns = [c for c in COLUMNS if c in table.columns]
    if not columns:
        raise ValueError(f"no verdict column in the table; expected some of {COLUMNS}")
    return table[columns].apply(lambda row: all(str(v).startswith("pass") for v in row), axis=1)


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
