"""Chapter 8's aggregation: every chapter's results JSON into one leaderboard, beside the literature.

It tolerates missing chapters: :func:`load_chapters` reports which expected chapters have
no results file, and every function works on whatever is there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import literature, verdicts

#: The chapters whose results the comparison uses, in book order.
EXPECTED = ("01_metrics", "02_baselines", "03_gan", "04_autoencoder", "05_invertible", "06_feedforward", "07_attacks")
ATTACK_CHAPTER = "07_attacks"
#: Leaderboard columns: (results key, label, percent?).
BOARD_COLUMNS = (("entropy_per_image", "entropy / image (bits)", False), ("chi2_p_pooled", "χ² p", False),
                 ("corr_h_pooled", "corr. H", False), ("npcr", "NPCR (%)", True), ("uaci", "UACI (%)", True),
                 ("key_npcr", "key NPCR (%)", True), ("nist_passed", "NIST passed", False),
                 ("decrypt_psnr", "PSNR (dB)", False), ("decrypt_ssim", "SSIM", False),
                 ("bit_exact_rate", "bit-exact (%)", True), ("wrong_key_psnr", "wrong-key PSNR (dB)", False),
                 ("encrypt_mb_per_s", "encrypt MB/s", False))
#: Our measured keys that match a literature metric.
MEASURED_FOR = {"entropy_bits": "entropy_per_image", "npcr_percent": "npcr", "uaci_percent": "uaci",
                "corr_h": "corr_h_pooled", "psnr_db": "decrypt_psnr", "ssim": "decrypt_ssim"}


def load_chapters(results_dir: str | Path, expected: tuple[str, ...] = EXPECTED) -> tuple[dict[str, dict], list[str]]:
    """The payload of every results file in ``results_dir``, and the expected chapters that have none."""
    folder = Path(results_dir)
    payloads = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        payload = json.loads(path.read_text())
        if not isinstance(payload, dict) or "rows" not in payload or "metadata" not in payload:
            raise ValueError(f"{path} is not a chapter results file (needs 'metadata' and 'rows')")
        payloads[path.stem] = payload
    return payloads, [name for name in expected if name not in payloads]


def measured(payloads: dict[str, dict]) -> pd.DataFrame:
    """All metric-suite rows (every chapter except the attack chapter), with chapter, profile and device."""
    frames = []
    for chapter, payload in payloads.items():
        rows = [r for r in payload["rows"] if "entropy_per_image" in r]
        if chapter == ATTACK_CHAPTER or not rows:
            continue
        frame = pd.DataFrame(rows)
        frame.insert(0, "chapter", chapter)
        frame["profile"] = payload["metadata"].get("profile")
        frame["device"] = payload["metadata"].get("device")
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["chapter", "cipher", "dataset", "family"])
    return pd.concat(frames, ignore_index=True)


def leaderboard(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (dataset, cipher): the measurement on the most images (ties: the later chapter).

    AES-CTR is measured in several chapters, each time beside that chapter's ciphers; the
    leaderboard keeps one of them. Fractions are shown in percent.
    """
    if frame.empty:
        return pd.DataFrame()
    chosen = (frame.sort_values(["dataset", "cipher", "n_images", "chapter"])
              .groupby(["dataset", "cipher"], as_index=False).tail(1))
    out = chosen[["dataset", "cipher", "family", "chapter", "n_images"]].copy()
    for key, label, percent in BOARD_COLUMNS:
        if key in chosen:
            out[label] = pd.to_numeric(chosen[key], errors="coerce") * (100 if percent else 1)
    return out.set_index(["dataset", "cipher"]).sort_index()


def attack_summary(payloads: dict[str, dict]) -> pd.DataFrame | None:
    """The attack chapter's pass/fail summary, or None when that chapter has not run."""
    payload = payloads.get(ATTACK_CHAPTER)
    if payload is None:
        return None
    return pd.DataFrame(payload["metadata"]["summary"]).set_index("cipher")


def passed_every_attack(summary: pd.DataFrame | None) -> pd.Series:
    """cipher -> whether every verdict column of chapter 7's summary reads "pass ..." (empty when absent)."""
    return verdicts.passed_every_attack(summary)


def attack_rows(payloads: dict[str, dict]) -> pd.DataFrame:
    """Chapter 7's per-cipher results (learned?, effective key bits, IND-CPA advantage, passed_all), or empty."""
    payload = payloads.get(ATTACK_CHAPTER)
    if payload is None:
        return pd.DataFrame(columns=["learned", "effective_key_bits", "ind_cpa_advantage", "passed_all",
                                     "attacks_passed"])
    frame = pd.DataFrame(payload["rows"]).set_index("cipher")
    frame["attacks_passed"] = [sum(v["passed"] for v in row.values()) for row in frame["verdicts"]]
    return frame[["family", "learned", "key_bits", "effective_key_bits", "ind_cpa_advantage", "passed_all",
                  "attacks_passed"]]


def known_images_needed(payloads: dict[str, dict]) -> dict[str, int]:
    """cipher -> known images the algebraic attack of chapter 7 needed, for the ciphers it broke."""
    rows = payloads.get(ATTACK_CHAPTER, {}).get("rows", [])
    out = {}
    for row in rows:
        needed = (row.get("algebraic") or {}).get("known_images")
        if needed is not None and not (isinstance(needed, float) and np.isnan(needed)):
            out[row["cipher"]] = int(needed)
    return out


def beside_literature(values: pd.DataFrame, papers: pd.DataFrame, frame: pd.DataFrame,
                      dataset: str = "pneumoniamnist") -> pd.DataFrame:
    """Each verified literature value of a standard metric beside our measurements of the same family.

    For every such value: the paper, its dataset and image size, the reported value, and
    the range (min to max) of what we measured for our ciphers of the same family on
    ``dataset`` at 28×28, plus AES-CTR's value as the reference. Values are in the
    paper's units (entropy in bits, NPCR and UACI in percent).
    """
    reported = values[values["metric"].isin(MEASURED_FOR) & values["value"].notna()]
    names = dict(zip(papers["id"], papers["short_name"]))
    ours = frame[frame["dataset"] == dataset] if not frame.empty else frame
    rows = []
    for _, row in reported.iterrows():
        key = MEASURED_FOR[row["metric"]]
        scale = 100 if row["metric"] in ("npcr_percent", "uaci_percent") else 1
        family = ours[ours["family"] == row["family"]] if not ours.empty else ours
        mine = pd.to_numeric(family[key], errors="coerce").replace([np.inf, -np.inf], np.nan).dropna() * scale \
            if key in family else pd.Series(dtype=float)
        aes = ours[ours["cipher"] == "aes-ctr"] if not ours.empty else ours
        aes_value = pd.to_numeric(aes[key], errors="coerce").iloc[-1] * scale if len(aes) and key in aes else np.nan
        rows.append({"paper": names.get(row["paper"], row["paper"]), "citation_key": row["citation_key"],
                     "metric": literature.METRIC_LABELS[row["metric"]],
                     "their dataset": row["dataset"] or "not stated", "their size": row["image_size"] or "not stated",
                     "reported": row["value"],
                     "ours (same family), min": mine.min() if len(mine) else np.nan,
                     "ours (same family), max": mine.max() if len(mine) else np.nan,
                     "AES-CTR (ours)": aes_value})
    return pd.DataFrame(rows)


def registered_name(display: str) -> str:
    """The registry name behind a results row's display name: 'ae-latent-gcm-32' -> 'ae-latent-gcm',
    'inn-coupling (trained)' -> 'inn-coupling'. Other parenthesised variants (random init) keep their name."""
    name = re.sub(r" \(trained\)$", "", display)
    return re.sub(r"-\d+$", "", name)


def security_fidelity(board: pd.DataFrame, attacks: pd.DataFrame, dataset: str = "pneumoniamnist") -> pd.DataFrame:
    """Per cipher on ``dataset``: chapter 7's verdict (attacks survived of all) against fidelity and speed.

    Security is the verdict, not a statistic: how many of the summary's attacks the cipher
    survived, whether it survived all, and its IND-CPA advantage. Lossless ciphers have
    infinite PSNR; ``psnr_capped`` puts them at 60 dB so they can be drawn. Ciphers that
    chapter 7 did not attack are left out.
    """
    columns = ["cipher", "family", "attacks_passed", "passed_all", "ind_cpa_advantage", "psnr_capped", "lossless",
               "mb_s"]
    if board.empty or attacks.empty or dataset not in board.index.get_level_values(0):
        return pd.DataFrame(columns=columns)
    part = board.loc[dataset].reset_index()
    registered = part["cipher"].map(registered_name)
    part, registered = part[registered.isin(attacks.index)], registered[registered.isin(attacks.index)]
    psnr = part["PSNR (dB)"].astype(float)
    verdict = attacks.loc[registered]
    return pd.DataFrame({"cipher": part["cipher"].to_numpy(), "family": part["family"].to_numpy(),
                         "attacks_passed": verdict["attacks_passed"].to_numpy(),
                         "passed_all": verdict["passed_all"].astype(bool).to_numpy(),
                         "ind_cpa_advantage": verdict["ind_cpa_advantage"].to_numpy(),
                         "psnr_capped": psnr.clip(upper=60).to_numpy(), "lossless": np.isinf(psnr).to_numpy(),
                         "mb_s": part.get("encrypt MB/s").to_numpy()})[columns]
