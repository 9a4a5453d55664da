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

Tables shown to readers (:func:`review_table`) name their sources as author-year citations
built from the bibliography (:func:`citation`, "Ding et al. 2020"), never as keys, print
every cell in full (long text wraps) and head their columns in words.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pandas as pd

from . import families

REPO_ROOT = Path(__file__).resolve().parents[2]
PAPERS = REPO_ROOT / "data" / "papers.csv"
VALUES = REPO_ROOT / "data" / "literature.csv"
BIB = REPO_ROOT / "book" / "references.bib"
FAMILIES = families.names()  # one list for the registry, these tables, chapter 8 and the plots
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
#: The reader's column headers of :func:`review_table` (the index is the method's name).
REVIEW_COLUMNS = {"year": "Year", "datasets": "Datasets", "key": "What the key is", "decryption": "Decryption",
                  "reported": "Reported values", "source": "Source"}
REVIEW_INDEX = "Method"
#: How a value of each metric reads in the paper's units (NPCR and UACI in percent, as papers print them).
UNITS = {"entropy_bits": " bits", "npcr_percent": " %", "uaci_percent": " %", "psnr_db": " dB",
         "key_entropy_bits": " bits", "encryption_time_s": " s", "throughput_mb_s": " MB/s"}


def bib_entries(path: str | Path = BIB) -> dict[str, str]:
    """BibTeX entries by key (the raw text of each entry)."""
    text = Path(path).read_text()
    return {m.group(1): m.group(0) for m in re.finditer(r"^@\w+\{([^,]+),.*?^\}", text, flags=re.M | re.S)}


def bib_keys(path: str | Path = BIB) -> set[str]:
    return set(bib_entries(path))


# ------------------------------------------------------------------ citations as the reader reads them

#: LaTeX accent commands of the bibliography and the combining marks they stand for.
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "c": "\u0327",
            "v": "\u030c", "u": "\u0306", "=": "\u0304", ".": "\u0307", "H": "\u030b", "k": "\u0328"}


def latex_text(value: str) -> str:
    """BibTeX field text as plain text: accents to letters (``{\\'e}`` -> é), braces and ``~`` removed."""
    def accent(match: re.Match) -> str:
        base = {"\\i": "i", "\\j": "j"}.get(match.group(2), match.group(2))
        return unicodedata.normalize("NFC", base + _ACCENTS[match.group(1)])

    text = re.sub(r"\\(['`^\"~=.]|[cvuHk](?=[\s{]))\s*\{?(\\[ij]|[A-Za-z])\}?", accent, value)
    text = text.replace("\\&", "&").replace("~", " ").replace("{", "").replace("}", "")
    return " ".join(text.split())


def field(entry: str, name: str) -> str | None:
    """The raw value of field ``name`` of a BibTeX entry (outer braces or quotes removed), or None."""
    match = re.search(rf"^\s*{name}\s*=\s*", entry, flags=re.M | re.I)
    if match is None:
        return None
    rest = entry[match.end():]
    if rest.startswith("{"):
        depth = 0
        for i, char in enumerate(rest):
            depth += char == "{"
            depth -= char == "}"
            if depth == 0:
                return rest[1:i]
        return None
    if rest.startswith('"'):
        end = rest.find('"', 1)
        return rest[1:end] if end > 0 else None
    bare = re.match(r"[\w.-]+", rest)
    return bare.group(0) if bare else None


def split_names(value: str) -> list[str]:
    """A BibTeX name list split at the ``and`` that stand outside braces."""
    names, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            names.append(value[start:match.start()])
            start = match.end()
    names.append(value[start:])
    return [name.strip() for name in names if name.strip()]


def surname(name: str) -> str:
    """The family name of one BibTeX name: "Ding, Yi" -> Ding, "Yi Ding" -> Ding, "{Abu Al-haija}, Qasem" ->
    Abu Al-haija, and an organisation in braces whole ("{National Institute of Standards and Technology}")."""
    name = name.strip()
    if name.startswith("{") and name.endswith("}") and "," not in name:
        return latex_text(name)
    if "," in name:
        return latex_text(split_top_level(name, ",")[0])
    words = split_top_level(name, " ")
    return latex_text(words[-1]) if words else ""


def split_top_level(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside braces."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "{"
        depth -= char == "}"
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def citation(key: str, bib: dict[str, str] | None = None) -> str:
    """The author-year citation a reader reads for ``key``: "Gupta 2020", "Li and Peng 2023", "Ding et al. 2020".

    Built from the entry's ``author`` (else ``editor``) and ``year``; an organisation as author is
    named in full. Raises ``KeyError`` for a key the bibliography does not hold, so that a table
    can never fall back to showing the key.
    """
    bib = bib_entries() if bib is None else bib
    entry = bib[key]
    people = split_names(field(entry, "author") or field(entry, "editor") or "")
    people = [p for p in people if p != "others"]
    names = [surname(p) for p in people]
    if not names:
        who = latex_text(field(entry, "title") or key)
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    year = field(entry, "year")
    return f"{who} {year}" if year else who


def cited_link(key: str, bib: dict[str, str] | None = None) -> str:
    """HTML for a table cell: the citation of ``key`` linked to its DOI, arXiv page or URL (plain when none)."""
    bib = bib_entries() if bib is None else bib
    text = html.escape(citation(key, bib))
    target = link(bib[key])
    return f'<a href="{html.escape(target, quote=True)}">{text}</a>' if target else text


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


class LiteratureTable(pd.DataFrame):
    """A literature table as readers see it: every cell in full, long text wrapped, sources linked.

    It is a DataFrame (``.loc``, ``.style`` and ``results.readable`` work as usual); only its
    notebook display differs from pandas's, which cuts cells at 50 characters. The citation
    keys of its rows travel in ``attrs["citation_keys"]`` so that the display can link each
    source; a copy that lost them shows the citations unlinked.
    """

    @property
    def _constructor(self):
        return LiteratureTable

    def _repr_html_(self) -> str:
        return wrapped(self).to_html()


#: Cell styles of a literature table: text at the top left of its cell, wrapped at spaces, in a readable measure.
WRAPPED_CELLS = [{"selector": "td, th", "props": [("text-align", "left"), ("vertical-align", "top"),
                                                   ("white-space", "normal"), ("overflow-wrap", "break-word")]},
                 {"selector": "td", "props": [("min-width", "5em"), ("max-width", "22em")]}]


def wrapped(table: pd.DataFrame, caption: str | None = None, bib: dict[str, str] | None = None):
    """A Styler that shows ``table`` in full: text wrapped, HTML escaped, the "Source" column linked."""
    caption = table.attrs.get("caption") if caption is None else caption
    keys = table.attrs.get("citation_keys")
    shown = table.copy()
    source = REVIEW_COLUMNS["source"]
    linked = source in shown.columns and keys is not None and len(keys) == len(shown)
    if linked:
        bib = bib_entries() if bib is None else bib
        shown[source] = [cited_link(key, bib) for key in keys]
    if shown.index.name:  # the index as the first column: one header row, the index's name heading it
        shown = shown.reset_index()
    text_columns = [c for c in shown.columns if not (linked and c == source)]
    styler = (shown.style.format(escape="html", subset=text_columns, na_rep="–")
              .format_index(escape="html", axis=1).hide(axis="index").set_table_styles(WRAPPED_CELLS))
    return styler.set_caption(html.escape(caption)) if caption else styler


def reported_text(values: pd.DataFrame, paper: pd.Series) -> str:
    """What a paper reports, as one cell: each seen value in its units (with its variant), then other reports."""
    mine = values[(values["paper"] == paper["id"]) & values["value"].notna()]
    parts = [FORMATS[row["metric"]].format(f"{row['value']:g}") + (f" ({row['variant']})" if row["variant"] else "")
             for _, row in mine.iterrows()]
    return "; ".join(parts + ([paper["other_reported"]] if paper["other_reported"] else []))


def review_table(family: str, caption: str | None = None, bib: dict[str, str] | None = None) -> LiteratureTable:
    """A chapter's review of its family: year, datasets, what the key is, decryption, reported values, source.

    Headers are words (:data:`REVIEW_COLUMNS`), the index is the method ("Method"), and the
    source is the author-year citation of the paper (:func:`citation`), linked in the display.
    ``caption`` titles the displayed table.
    """
    papers, values = load_papers(family), load(family)
    bib = bib_entries() if bib is None else bib
    shown = LiteratureTable({REVIEW_COLUMNS[c]: papers[c].to_numpy() for c in ("year", "datasets", "key", "decryption")},
                            index=pd.Index(papers["short_name"].to_numpy(), name=REVIEW_INDEX))
    shown[REVIEW_COLUMNS["reported"]] = [reported_text(values, paper) for _, paper in papers.iterrows()]
    shown[REVIEW_COLUMNS["source"]] = [citation(key, bib) for key in papers["citation_key"]]
    shown.attrs["citation_keys"] = list(papers["citation_key"])
    if caption:
        shown.attrs["caption"] = caption
    return shown


def value_text(metric: str, value: float) -> str:
    """A value in the units papers print it in: "99.6 %", "36 dB", "7.92 bits", "0.0021" (– when missing).

    NPCR and UACI are percentages here, in the literature and in a measurement converted with
    ``percent=True`` by the caller; at most four decimals are shown.
    """
    if value is None or pd.isna(value):
        return "–"
    value = float(value)
    if value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "−∞"
    text = f"{value:.4f}".rstrip("0").rstrip(".") if abs(value) >= 1e-4 or value == 0 else f"{value:.1e}"
    return text + UNITS.get(metric, "")


def value_label(row: pd.Series, papers: pd.DataFrame | None = None) -> str:
    """The row label of one reported value: the method's name, and the variant the value belongs to.

    Two values of one paper and metric (AT-ResNet-CM's correlation with and without its attention
    module) get two different labels.
    """
    papers = load_papers() if papers is None else papers
    names = dict(zip(papers["id"], papers["short_name"]))
    name = names.get(row["paper"], row["paper"])
    return f"{name}: {row['variant']}" if row.get("variant") else name


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
