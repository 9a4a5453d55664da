"""Results reported in the literature: ``data/literature.csv``.

One row per paper. Numbers are copied only from a source that was seen, with ``where``
saying where in the source they stand; an empty cell means no source we saw gives the
number. Every ``citation_key`` must exist in ``book/references.bib``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[2]
CSV = REPO_ROOT / "data" / "literature.csv"
BIB = REPO_ROOT / "book" / "references.bib"
FAMILIES = ("gan", "autoencoder", "invertible", "feedforward", "cryptanalysis", "baseline")
NUMERIC = ("entropy_bits", "npcr_percent", "uaci_percent", "corr_h", "psnr_db", "ssim")


def bib_keys(path: str | Path = BIB) -> set[str]:
    return set(re.findall(r"^@\w+\{([^,]+),", Path(path).read_text(), flags=re.M))


def load(family: str | None = None, path: str | Path = CSV) -> pd.DataFrame:
    """The literature table (optionally one family), with numeric columns as floats (NaN = not seen)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in NUMERIC:
        frame[column] = pd.to_numeric(frame[column].replace("", None), errors="raise")
    if family is not None:
        if family not in FAMILIES:
            raise ValueError(f"family must be one of {FAMILIES}; got {family!r}")
        frame = frame[frame["family"] == family]
    return frame.reset_index(drop=True)


def review_table(family: str) -> pd.DataFrame:
    """A display table for a chapter's review: what the key is, decryption, datasets, reported values."""
    frame = load(family)
    shown = frame[["short_name", "year", "datasets", "key", "decryption"]].copy()
    shown["reported values"] = [
        "; ".join([f"{c.split('_')[0]} {v:g}" for c in NUMERIC if pd.notna(v := row[c])] +
                  ([row["other_reported"]] if row["other_reported"] else []))
        for _, row in frame.iterrows()
    ]
    shown["source"] = frame["citation_key"]
    return shown.set_index("short_name")
