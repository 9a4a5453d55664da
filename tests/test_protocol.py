"""Chapter 8's protocol is data: one settings type per profile, shared by the chapter, the runner and
``medcrypt evaluate``, and one results type whose verdicts are objects."""

import ast
import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from medcrypt import verdicts
from medcrypt.attacks import protocol
from medcrypt.book import runner

CHAPTER = Path(__file__).resolve().parents[1] / "notebooks" / "08_attacks.py"


def chapter_parameters(path: Path = CHAPTER) -> dict:
    """The literal values of the chapter's cell tagged ``parameters`` (what papermill replaces)."""
    source = path.read_text()
    start = source.index('# %% tags=["parameters"')
    cell = source[start:source.index("# %%", start + 10)]
    values = {}
    for node in ast.parse(cell).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            arithmetic = (ast.Constant, ast.BinOp, ast.UnaryOp, ast.List, ast.Tuple, ast.Dict, ast.operator, ast.unaryop,
                          ast.Load)
            if all(isinstance(n, arithmetic) for n in ast.walk(node.value)):  # literals and 2**16, nothing else
                values[node.targets[0].id] = eval(compile(ast.Expression(node.value), "parameters", "eval"),
                                                  {"__builtins__": {}})
    return values


def test_the_chapter_takes_its_attack_sizes_from_the_protocol():
    shown = chapter_parameters()
    assert shown["profile"] == "full" and shown["attack_changes"] == {}
    sizes = sorted(set(shown) & set(protocol.FULL.parameters()))
    assert not sizes, f"chapter 8's parameters repeat protocol sizes (they belong in protocol.FULL): {sizes}"
    assert "attack = dataclasses.replace(protocol.settings(profile), **attack_changes)" in CHAPTER.read_text()


def test_the_check_reads_a_changed_parameter(tmp_path):
    changed = tmp_path / "08_attacks.py"
    changed.write_text(CHAPTER.read_text().replace('profile = "full"', 'profile = "ci"'))
    assert chapter_parameters(changed)["profile"] == "ci"


def test_the_chapter_takes_its_sizes_from_the_protocol_not_from_injected_parameters():
    # The runner passes the profile only; the chapter reads protocol.settings(profile), so the
    # sizes have one home, and a parameter papermill does not know would only be ignored.
    assert runner.PROFILES["ci"]["08_attacks"] == {}
    source = (runner.REPO_ROOT / "notebooks" / "08_attacks.py").read_text()
    assert "protocol.settings(profile)" in source
    assert protocol.CI.overrides() and protocol.settings("ci") is protocol.CI


def test_settings_by_profile_and_their_errors():
    assert protocol.settings("full") is protocol.FULL and protocol.settings("ci").seeds == (2026,)
    with pytest.raises(ValueError, match="one of full, ci, smoke"):
        protocol.settings("fast")
    smoke = protocol.settings("smoke")  # every code path at the smallest sizes: for plumbing, never verdicts
    assert smoke.n_attack_test < protocol.CI.n_attack_test and smoke.ind_cpa_trials < protocol.CI.ind_cpa_trials
    fewer = protocol.CI.with_images(8)
    assert (fewer.n_attack_test, fewer.n_sensitivity) == (8, 8)
    with pytest.raises(ValueError, match="at least 2"):
        protocol.CI.with_images(1)
    with pytest.raises(ValueError, match="negative"):
        protocol.AttackSettings(attack_steps=-1)
    assert protocol.AttackSettings(seeds=[1, 2]).seeds == (1, 2)  # lists from papermill become tuples


def _tables():
    """Two ciphers' attack tables in the suite's layout: 'good' passes everything, 'bad' loses IND-CPA."""
    cpa = pd.DataFrame([{"cipher": n, "adversary": "repeat query", "advantage": a, "low": a - 0.05, "high": a + 0.05,
                         "trials": 100, "queries": 2, "images_per_s": 1e4, "p_value": p, "p_values": [p]}
                        for n, a, p in (("good", 0.0, 0.5), ("bad", 1.0, 1e-30))]).set_index(["cipher", "adversary"])
    algebraic = pd.DataFrame([{"cipher": n, "structure": None, "known_images": None, "bit_exact_rate": None,
                               "gain_db": None} for n in ("good", "bad")]).set_index("cipher")
    kpa = pd.DataFrame([{"cipher": n, "pairs": 10, "seed": 0, "gain (dB)": -3.0} for n in ("good", "bad")])
    chosen = pd.DataFrame([{"cipher": n, "attack": "key-stream", "applies": True, "gain_db": -2.0, "chosen_images": 2}
                           for n in ("good", "bad")]).set_index(["cipher", "attack"])
    integrity = pd.DataFrame([{"cipher": n, "trials": 10, "rejected": 10, "refused": 0} for n in ("good", "bad")]
                             ).set_index("cipher")
    leakage = pd.DataFrame([{"cipher": n, "seed": 0, "auc": 0.5, "auc_p_value": 0.5} for n in ("good", "bad")])
    audit = pd.DataFrame([{"cipher": n, "claimed_bits": 256, "strength_bits": 256.0, "effective_bits": 256}
                          for n in ("good", "bad")]).set_index("cipher")
    sens = pd.DataFrame([{"cipher": n, **{f"{k}_{t}_p": 0.5 for k in ("plaintext", "key") for t in ("npcr", "uaci")},
                          **{f"{k}_{t}_pass_rate": 0.99 for k in ("plaintext", "key") for t in ("npcr", "uaci")}}
                         for n in ("good", "bad")]).set_index("cipher")
    return protocol.AttackResults(1e-3, cpa, algebraic, kpa, chosen, integrity, leakage, audit, sens)


def test_results_give_verdict_objects_and_records_without_an_index_column():
    results = _tables()
    roster = pd.DataFrame({"family": ["baseline", "baseline"]}, index=pd.Index(["good", "bad"], name="cipher"))
    summary, cells = results.summary_and_verdicts(roster)
    assert isinstance(cells["bad"]["IND-CPA"], verdicts.Verdict)
    assert cells["bad"]["IND-CPA"].passed is False and cells["bad"]["IND-CPA"].reason == "repeat query"
    assert cells["good"]["IND-CPA"].level == 1e-3
    assert verdicts.passed_every_attack(cells).to_dict() == {"good": True, "bad": False}
    assert list(summary.columns[:1]) == ["family"]
    records = results.records()
    assert set(records) == set(protocol.AttackResults.TABLES)
    assert "index" not in records["learned_kpa"][0] and records["ind_cpa"][0]["cipher"] == "good"
    assert isinstance(records["ind_cpa"][0]["p_values"], list) and not isinstance(records["ind_cpa"][0]["p_values"],
                                                                                  np.ndarray)
