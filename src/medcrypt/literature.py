"""What the literature reports: ``data/papers.csv`` and ``data/literature.csv``.

``papers.csv`` has one row per paper: family, citation key, datasets, what the key is,
how decryption works, and where we read it. ``literature.csv`` has one row per paper and
reported value: the metric, the value, where in the source it stands, and a status:

* ``verified``: the value was read in the source (``where``);
* ``value not seen``: the paper reports this metric, but no source we saw shows the value.

A metric a paper does not report, or that we could not see reported, has no row. Numbers
are copied only from a source that was seen; nothing is filled from memory or estimated.
Every ``citation_key`` must exist in ``book/references.bib`` with a DOI, an arXiv id or
(for the two CVF papers without a DOI) the URL we read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[2]
PAPERS = REPO_ROOT / "data" / "papers.csv"
VALUES = REPO_ROOT / "data" / "literature.csv"
BIB = REPO_ROOT / "book" / "references.bib"
FAMILIES = ("gan", "autoencoder", "invertible", "feedforward", "cryptanalysis", "baseline")
STATUSES = ("verified", "value not seen")
PAPER_COLUMNS = ("id", "family", "short_name", "citation_key", "year", "medical", "datasets", "image_size", "key",
                 "decryption", "other_reported", "where", "status")
VALUE_COLUMNS = ("id", "paper", "family", "citation_key", "variant", "dataset", "image_size", "metric", "value",
                 "note", "where", "status")
#: The standard metric suite, in the units papers print, with the range a value can take.
STANDARD_METRICS = {"entropy_bits": (0, 8), "npcr_percent": (0, 100), "uaci_percent": (0, 100),
                    "corr_h": (-1, 1), "psnr_db": (0, 200), "ssim": (-1, 1)}
#: Other reported quantities and their plausible ranges.
OTHER_METRICS = {"key_entropy_bits": (0, 8), "entropy_as_printed": (0, 8), "compression_ratio": (1, 1000),
                 "parameters_millions": (0, 10_000), "encryption_time_s": (0, 1e6), "throughput_mb_s": (0, 1e6)}
METRIC_RANGES = {**STANDARD_METRICS, **OTHER_METRICS}
#: How a reported value reads in a table ({} is the value).
FORMATS = {"entropy_bits": "entropy {} bits", "npcr_percent": "NPCR {} %", "uaci_percent": "UACI {} %",
           "corr_h": "corr. H {}", "psnr_db": "PSNR {} dB", "ssim": "SSIM {}", "key_entropy_bits": "key entropy {} bits",
           "entropy_as_printed": "entropy {} (scale not stated)", "compression_ratio": "compression {}:1",
           "parameters_millions": "{}M parameters", "encryption_time_s": "encryption time {} s",
           "throughput_mb_s": "speed {} MB/s"}
METRIC_LABELS = {"entropy_bits": "entropy (bits)", "npcr_percent": "NPCR (%)", "uaci_percent": "UACI (%)",
                 "corr_h": "corr. H", "psnr_db": "PSNR (dB)", "ssim": "SSIM"}


def bib_entries(path: str | Path = BIB) -> dict[str, str]:
    """BibTeX entries by key (the raw text of each entry)."""
    text = Path(path).read_text()
    return {m.group(1): m.group(0) for m in re.finditer(r"^@\w+\{([^,]+),.*?^\}", text, flags=re.M | re.S)}


def bib_keys(path: str | Path = BIB) -> set[str]:
    return set(bib_entries(path))


def identifier(entry: str) -> tuple[str, str] | None:
    """("doi" | "arXiv" | "url", value) of a BibTeX entry, preferring a DOI, or None."""
    for field, label in (("doi", "doi"), ("eprint", "arXiv"), ("url", "url")):
        match = re.search(rf"^\s*{field}\s*=\s*\{{([^}}]+)\}}", entry, flags=re.M)
        if match:
            return label, match.group(1)
    return None


def link(entry: str) -> str | None:
    """A resolvable link for a BibTeX entry: https://doi.org/…, https://arxiv.org/abs/… or its URL."""
    found = identifier(entry)
    if found is None:
        return None
    kind, value = found
    return {"doi": f"https://doi.org/{value}", "arXiv": f"https://arxiv.org/abs/{value}", "url": value}[kind]


def load_papers(family: str | None = None, path: str | Path = PAPERS) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return _family(frame, family)


def load(family: str | None = None, path: str | Path = VALUES) -> pd.DataFrame:
    """The reported values (optionally of one family); ``value`` is a float, NaN when not seen."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["value"] = pd.to_numeric(frame["value"].replace("", None), errors="raise")
    return _family(frame, family)


def _family(frame: pd.DataFrame, family: str | None) -> pd.DataFrame:
    if family is not None:
        if family not in FAMILIES:
            raise ValueError(f"family must be one of {FAMILIES}; got {family!r}")
        frame = frame[frame["family"] == family]
    return frame.reset_index(drop=True)


def validate(papers: pd.DataFrame | None = None, values: pd.DataFrame | None = None,
             bib: dict[str, str] | None = None) -> list[str]:
    """Every problem found in the two tables (an empty list when they are sound)."""
    papers = load_papers() if papers is None else papers
    values = load() if values is None else values
    bib = bib_entries() if bib is None else bib
    problems = []
    for name, frame, columns in (("papers.csv", papers, PAPER_COLUMNS), ("literature.csv", values, VALUE_COLUMNS)):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            problems.append(f"{name}: missing columns {missing}")
            return problems
        if frame["id"].duplicated().any():
            problems.append(f"{name}: duplicate ids {sorted(frame.loc[frame['id'].duplicated(), 'id'])}")
        if frame.drop(columns="id").duplicated().any():
            problems.append(f"{name}: duplicate rows")
        for key in sorted(set(frame["citation_key"]) - set(bib)):
            problems.append(f"{name}: citation key {key!r} is not in references.bib")
        for family in sorted(set(frame["family"]) - set(FAMILIES)):
            problems.append(f"{name}: unknown family {family!r}")
    for key in sorted(set(papers["citation_key"]) & set(bib)):
        if identifier(bib[key]) is None:
            problems.append(f"references.bib: {key} has no DOI, arXiv id or URL")
    known_papers = dict(zip(papers["id"], papers["citation_key"]))
    for _, row in values.iterrows():
        where = f"literature.csv {row['id']}"
        if known_papers.get(row["paper"]) != row["citation_key"]:
            problems.append(f"{where}: paper {row['paper']!r} with key {row['citation_key']!r} is not in papers.csv")
        if row["metric"] not in METRIC_RANGES or row["metric"] not in FORMATS:
            problems.append(f"{where}: unknown metric {row['metric']!r}")
        elif pd.notna(row["value"]):
            low, high = METRIC_RANGES[row["metric"]]
            if not low <= row["value"] <= high:
                problems.append(f"{where}: {row['metric']} = {row['value']} is outside [{low}, {high}]")
        if row["status"] not in STATUSES:
            problems.append(f"{where}: status must be one of {STATUSES}; got {row['status']!r}")
        elif (row["status"] == "verified") != pd.notna(row["value"]):
            problems.append(f"{where}: a verified row needs a value, and only a verified row may have one")
        if not row["where"]:
            problems.append(f"{where}: says nowhere where the value stands in the source")
    return problems


def review_table(family: str) -> pd.DataFrame:
    """A display table for a chapter's review: what the key is, decryption, datasets, reported values."""
    papers, values = load_papers(family), load(family)
    shown = papers[["short_name", "year", "datasets", "key", "decryption"]].copy()
    reported = []
    for _, paper in papers.iterrows():
        mine = values[(values["paper"] == paper["id"]) & values["value"].notna()]
        parts = [FORMATS[row["metric"]].format(f"{row['value']:g}") + (f" ({row['variant']})" if row["variant"] else "")
                 for _, row in mine.iterrows()]
        reported.append("; ".join(parts + ([paper["other_reported"]] if paper["other_reported"] else [])))
    shown["reported values"] = reported
    shown["source"] = papers["citation_key"]
    return shown.set_index("short_name")


def coverage(papers: pd.DataFrame | None = None, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Paper × standard metric: 2 = value seen, 1 = reported but value not seen, 0 = not seen reported."""
    papers = load_papers() if papers is None else papers
    values = load() if values is None else values
    grid = pd.DataFrame(0, index=papers["short_name"], columns=list(STANDARD_METRICS))
    names = dict(zip(papers["id"], papers["short_name"]))
    for _, row in values[values["metric"].isin(STANDARD_METRICS)].iterrows():
        level = 2 if pd.notna(row["value"]) else 1
        name = names[row["paper"]]
        grid.loc[name, row["metric"]] = max(grid.loc[name, row["metric"]], level)
    return grid.rename(columns=METRIC_LABELS)


def counts(papers: pd.DataFrame | None = None, values: pd.DataFrame | None = None) -> dict[str, int]:
    """How many paper × standard-metric cells hold a seen value, a reported-but-unseen one, or nothing."""
    grid = coverage(papers, values)
    return {"papers": len(grid), "cells": int(grid.size), "value_seen": int((grid == 2).sum().sum()),
            "reported_not_seen": int((grid == 1).sum().sum()), "not_found": int((grid == 0).sum().sum()),
            "values_verified": int((load() if values is None else values)["value"].notna().sum())}


def comparable_groups(values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Groups of seen values that two or more papers report for one metric, dataset and stated image size.

    Only such groups could rank papers against each other on their own reported numbers.
    """
    values = load() if values is None else values
    seen = values[values["value"].notna() & (values["dataset"] != "") & (values["image_size"] != "")]
    groups = seen.groupby(["metric", "dataset", "image_size"])["paper"].nunique()
    return groups[groups >= 2].reset_index(name="papers")
