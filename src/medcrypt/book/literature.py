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

import functools
import html
import math
import re
import unicodedata
from pathlib import Path

import pandas as pd

from .. import families, formatting

from ..paths import REPO_ROOT
#: The copies installed with the package (``_data`` links to ``data/`` and the bibliography in a checkout).
PACKAGED = Path(__file__).resolve().parents[1] / "_data"


def _source(checkout: Path) -> Path:
    """A literature file of the checkout, or the copy installed with the package where there is no checkout."""
    return checkout if checkout.exists() else PACKAGED / checkout.name


PAPERS = _source(REPO_ROOT / "data" / "papers.csv")
VALUES = _source(REPO_ROOT / "data" / "literature.csv")
BIB = _source(REPO_ROOT / "book" / "references.bib")
SEARCHES = _source(REPO_ROOT / "data" / "searches.csv")
SCREENING = _source(REPO_ROOT / "data" / "screening.csv")
FAMILIES = families.names()  # one list for the registry, these tables, chapter 9 and the plots
#: Topics of the survey that are not (yet) a family of the book, with their titles. A topic that becomes a
#: family (a row of medcrypt.families) is taken from there instead: this table needs no edit.
EXTRA_TOPICS = {"learnable": "Learnable (encryption-then-compression) image encryption",
                "survey": "Surveys and reviews",
                "context": "Protecting images in use, selective encryption and the clinical setting"}
#: What a paper in papers.csv is filed under (its ``family`` column): a family of the book or an extra topic.
TOPICS = FAMILIES + tuple(t for t in EXTRA_TOPICS if t not in FAMILIES)
#: Topics whose papers propose a cipher (they have a secret, a decryption and reported metrics).
METHOD_TOPICS = tuple(dict.fromkeys(families.METHOD_FAMILIES + ("learnable",)))
#: Survey period: the years a paper of the literature base may come from.
YEARS = (2016, 2026)
STATUSES = ("verified", "value not seen")
#: Where a paper's data were read (papers.csv ``status``), from most to least complete.
READ_FROM = ("full text", "table", "abstract", "record")
#: Where the secret of a paper's cipher lives (papers.csv ``secret``); "n/a" for papers that propose no cipher.
SECRETS = ("key", "generated key", "key and nonce", "weights", "none", "not stated", "n/a")
#: Whether decryption restores the image exactly (papers.csv ``lossless``).
DECRYPTION_KINDS = ("lossless", "lossy", "not stated", "n/a")
#: What a paper evaluates (papers.csv ``evaluates``, ";"-separated), in words for the figures.
EVALUATES = {"statistics": "histogram, entropy, correlation", "differential": "NPCR / UACI", "key space": "key space",
             "key sensitivity": "key sensitivity", "nist": "NIST SP 800-22", "fidelity": "decryption PSNR / SSIM",
             "speed": "speed", "robustness": "noise and cropping", "attack": "a cryptanalytic attack",
             "utility": "learning on protected images"}
#: What an included paper contributes (papers.csv ``kind``): only a "cipher" proposes one, so only those count in
#: the taxonomy of ciphers; the others are filed under the topic they belong to, with secret and lossless "n/a".
KINDS = {"cipher": "proposes an image cipher", "attack": "attacks image ciphers",
         "steganography": "hides an image in another; reveals, does not decrypt",
         "adversarial defence": "a keyed transformation against adversarial examples, never decrypted",
         "analysis": "studies the security or robustness of schemes; no image cipher of its own",
         "overview": "an overview of its topic's schemes", "survey": "a survey or review",
         "context": "context for the medical reader"}
#: The kind every paper of a topic without ciphers has.
TOPIC_KINDS = {"survey": "survey", "context": "context", "cryptanalysis": "attack"}
#: Why a screened record was not included (data/screening.csv ``reason``).
EXCLUSION_REASONS = {"off-topic": "not image encryption, its attacks or the context topics",
                     "classical-only": "a classical cipher without a neural network",
                     "before-2016": "published before 2016", "unverifiable": "bibliographic record not seen in full",
                     "not-a-paper": "not a research paper", "duplicate": "a duplicate of an included record",
                     "not-assessed": "in scope by its title, found by a query of another topic; its record was never read"}
PAPER_COLUMNS = ("id", "family", "short_name", "citation_key", "year", "medical", "datasets", "image_size", "key",
                 "decryption", "other_reported", "where", "status", "secret", "lossless", "evaluates", "note", "kind")
SEARCH_COLUMNS = ("query_id", "date", "corpus", "query", "results")
SCREENING_COLUMNS = ("query_id", "title", "year", "url", "decision", "reason", "citation_key")
VALUE_COLUMNS = ("id", "paper", "family", "citation_key", "variant", "dataset", "image_size", "metric", "value",
                 "note", "where", "status")
#: The standard metric suite, in the units papers print, with the range a value can take.
STANDARD_METRICS = {"entropy_bits": (0, 8), "npcr_percent": (0, 100), "uaci_percent": (0, 100),
                    "corr_h": (-1, 1), "psnr_db": (0, 200), "ssim": (-1, 1)}
#: Other reported quantities and their plausible ranges.
OTHER_METRICS = {"key_entropy_bits": (0, 8), "entropy_as_printed": (0, 8), "compression_ratio": (1, 1000),
                 "parameters_millions": (0, 10_000), "encryption_time_s": (0, 1e6), "throughput_mb_s": (0, 1e6),
                 "corr_v": (-1, 1), "corr_d": (-1, 1), "psnr_gain_db": (0, 200),
                 "accuracy_percent": (0, 100), "robust_accuracy_percent": (0, 100),
                 "attack_success_percent": (0, 100), "attack_images": (1, 1e9), "attack_time_hours": (0, 1e6)}
METRIC_RANGES = {**STANDARD_METRICS, **OTHER_METRICS}
#: Per metric: how a reported value reads in a table ({} is the value), and its column label.
_RENDERINGS = {
    "entropy_bits": ("entropy {} bits", "entropy (bits)"), "npcr_percent": ("NPCR {} %", "NPCR (%)"),
    "uaci_percent": ("UACI {} %", "UACI (%)"), "corr_h": ("corr. H {}", "corr. H"), "psnr_db": ("PSNR {} dB", "PSNR (dB)"),
    "ssim": ("SSIM {}", "SSIM"), "key_entropy_bits": ("key entropy {} bits", "key entropy (bits)"),
    "entropy_as_printed": ("entropy {} (scale not stated)", "entropy (scale not stated)"),
    "compression_ratio": ("compression {}:1", "compression ratio"),
    "parameters_millions": ("{}M parameters", "parameters (millions)"),
    "encryption_time_s": ("encryption time {} s", "encryption time (s)"),
    "throughput_mb_s": ("speed {} MB/s", "speed (MB/s)"), "corr_v": ("corr. V {}", "corr. V"),
    "corr_d": ("corr. D {}", "corr. D"), "psnr_gain_db": ("PSNR gain {} dB", "PSNR gain (dB)"),
    "accuracy_percent": ("accuracy {} %", "accuracy (%)"),
    "robust_accuracy_percent": ("accuracy under attack {} %", "accuracy under attack (%)"),
    "attack_success_percent": ("attack success {} %", "attack success (%)"),
    "attack_images": ("{} chosen or known images", "attack images"),
    "attack_time_hours": ("attack time {} h", "attack time (h)"),
}
FORMATS = {metric: rendering[0] for metric, rendering in _RENDERINGS.items()}
METRIC_LABELS = {metric: rendering[1] for metric, rendering in _RENDERINGS.items()}
#: The reader's column headers of :func:`review_table` (the index is the method's name).
REVIEW_COLUMNS = {"year": "Year", "datasets": "Datasets", "key": "What the key is", "decryption": "Decryption",
                  "reported": "Reported values", "status": "Read from", "source": "Source"}
#: The headers of the one column that says what a paper of a topic without a cipher does.
ABOUT_COLUMNS = {"cryptanalysis": "What was attacked, how, and what was recovered", "survey": "Scope",
                 "context": "What it shows"}
REVIEW_INDEX = "Method"
#: How a value of each metric reads in the paper's units (NPCR and UACI in percent, as papers print them).
UNITS = {"entropy_bits": " bits", "npcr_percent": " %", "uaci_percent": " %", "psnr_db": " dB",
         "key_entropy_bits": " bits", "encryption_time_s": " s", "throughput_mb_s": " MB/s", "psnr_gain_db": " dB",
         "accuracy_percent": " %", "robust_accuracy_percent": " %", "attack_success_percent": " %",
         "attack_time_hours": " h"}


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
    text = _author_year(key, bib[key])
    return text + _year_suffixes(tuple(bib.items())).get(key, "")


def _author_year(key: str, entry: str) -> str:
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


def _sorting_key(entry: str) -> tuple[str, str, str]:
    """pybtex's plain order (author list, year, title), in which the References page hands out year suffixes."""
    names = split_names(field(entry, "author") or "")
    people = []
    for name in names:
        parts = split_top_level(name.strip(), ",")
        last, first = (parts[0], " ".join(parts[1:])) if len(parts) > 1 else (
            " ".join(split_top_level(name.strip(), " ")[-1:]), " ".join(split_top_level(name.strip(), " ")[:-1]))
        people.append(f"{last.strip()}  {first.strip()}  ".lower())
    return "   ".join(people), field(entry, "year") or "", field(entry, "title") or ""


@functools.lru_cache(maxsize=8)
def _year_suffixes(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """"a", "b", ... for works cited alike ("Kiya et al. 2023" twice), as ``medcrypt.book.bibstyle`` labels them."""
    alike: dict[str, list[str]] = {}
    for key, entry in items:
        if field(entry, "year"):
            alike.setdefault(_author_year(key, entry), []).append(key)
    entries = dict(items)
    return {key: letter for keys in alike.values() if len(keys) > 1
            for letter, key in zip("abcdefghijklmnopqrstuvwxyz", sorted(keys, key=lambda k: _sorting_key(entries[k])))}


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
        if family not in TOPICS:
            raise ValueError(f"family must be one of {TOPICS}; got {family!r}")
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
        for family in sorted(set(frame["family"]) - set(TOPICS)):
            problems.append(f"{name}: unknown family {family!r}; use one of {', '.join(TOPICS)}")
    for key in sorted(set(papers["citation_key"]) & set(bib)):
        if identifier(bib[key]) is None:
            problems.append(f"references.bib: {key} has no DOI, arXiv id or URL")
    problems.extend(paper_problems(papers))
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


def paper_problems(papers: pd.DataFrame) -> list[str]:
    """The rules of papers.csv's own columns: where each paper was read, its secret, decryption and evaluations."""
    problems = []
    for duplicated in sorted(set(papers.loc[papers["citation_key"].duplicated(), "citation_key"])):
        problems.append(f"papers.csv: {duplicated} has two rows")
    for _, row in papers.iterrows():
        where = f"papers.csv {row['id']}"
        if not (row["year"].isdigit() and YEARS[0] <= int(row["year"]) <= YEARS[1]):
            problems.append(f"{where}: year {row['year']!r} is outside the survey period {YEARS[0]}-{YEARS[1]}")
        if "http" not in row["where"]:
            problems.append(f"{where}: 'where' must give the URL where the paper was read")
        for column, allowed in (("status", READ_FROM), ("secret", SECRETS), ("lossless", DECRYPTION_KINDS),
                                ("kind", tuple(KINDS))):
            if row[column] not in allowed:
                problems.append(f"{where}: {column} must be one of {allowed}; got {row[column]!r}")
        expected = TOPIC_KINDS.get(row["family"])  # a method topic holds ciphers and what is filed beside them
        if (row["kind"] != expected) if expected else (row["kind"] in ("survey", "context")):
            problems.append(f"{where}: a paper of topic {row['family']!r} cannot be of kind {row['kind']!r}")
        cipher = row["kind"] == "cipher"
        if cipher == (row["secret"] == "n/a") or cipher == (row["lossless"] == "n/a"):
            problems.append(f"{where}: secret and lossless are 'n/a' exactly for papers that propose no cipher "
                            f"(kind {row['kind']!r}, family {row['family']!r})")
        unknown = [e for e in evaluations(row["evaluates"]) if e not in EVALUATES]
        if unknown:
            problems.append(f"{where}: evaluates names {unknown}; use only {', '.join(EVALUATES)}")
    return problems


def proposes_cipher(papers: pd.DataFrame) -> pd.Series:
    """Which papers propose a cipher: those of kind "cipher" (an attack, a steganography paper or an adversarial
    defence filed under a method topic proposes none)."""
    return papers["family"].isin(METHOD_TOPICS) & (papers["kind"] == "cipher")


def evaluations(text: str) -> list[str]:
    """The ";"-separated entries of a papers.csv ``evaluates`` cell."""
    return [part.strip() for part in str(text).split(";") if part.strip()]


# ------------------------------------------------------------------ how the survey was made

def load_searches(path: str | Path = SEARCHES) -> pd.DataFrame:
    """Every query of the survey: id, date, corpus, query text and how many results it returned."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["results"] = pd.to_numeric(frame["results"].replace("", None), errors="raise")
    return frame


def load_screening(path: str | Path = SCREENING) -> pd.DataFrame:
    """Every distinct record the searches returned and we looked at, with the decision and its reason."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def search_problems(searches: pd.DataFrame | None = None, screening: pd.DataFrame | None = None,
                    papers: pd.DataFrame | None = None) -> list[str]:
    """Every problem in the search log and the screening table, and between them and papers.csv."""
    searches = load_searches() if searches is None else searches
    screening = load_screening() if screening is None else screening
    papers = load_papers() if papers is None else papers
    problems = []
    for name, frame, columns in (("searches.csv", searches, SEARCH_COLUMNS), ("screening.csv", screening,
                                                                               SCREENING_COLUMNS)):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            return [f"{name}: missing columns {missing}"]
    if searches["query_id"].duplicated().any():
        problems.append(f"searches.csv: duplicate query ids {sorted(searches.loc[searches['query_id'].duplicated(), 'query_id'])}")
    for _, row in screening.iterrows():
        where = f"screening.csv {row['title'][:60]!r}"
        if row["query_id"] not in set(searches["query_id"]):
            problems.append(f"{where}: query {row['query_id']!r} is not in searches.csv")
        if row["decision"] == "included":
            if row["reason"] or not row["citation_key"]:
                problems.append(f"{where}: an included record has a citation key and no exclusion reason")
        elif row["decision"] == "excluded":
            if row["reason"] not in EXCLUSION_REASONS:
                problems.append(f"{where}: reason must be one of {', '.join(EXCLUSION_REASONS)}; got {row['reason']!r}")
        else:
            problems.append(f"{where}: decision must be 'included' or 'excluded'; got {row['decision']!r}")
    included = screening.loc[screening["decision"] == "included", "citation_key"]
    for key in sorted(set(included) - set(papers["citation_key"])):
        problems.append(f"screening.csv: {key} is included but has no row in papers.csv")
    for key in sorted(set(papers["citation_key"]) - set(included)):
        problems.append(f"papers.csv: {key} was never screened (no included row in screening.csv)")
    for key in sorted(set(included[included.duplicated()])):
        problems.append(f"screening.csv: {key} is included twice; screen a record once")
    return problems


def flow_counts(searches: pd.DataFrame | None = None, screening: pd.DataFrame | None = None,
                papers: pd.DataFrame | None = None) -> dict:
    """The counts of the survey's flow diagram: results returned, distinct records screened, excluded by reason,
    included by topic. Results are counted as the tools returned them (one record can come back from many
    queries); a record is screened once, under the first query that found it."""
    searches = load_searches() if searches is None else searches
    screening = load_screening() if screening is None else screening
    papers = load_papers() if papers is None else papers
    excluded = screening[screening["decision"] == "excluded"]
    topics = papers["family"].value_counts()
    return {"queries": int(searches["results"].notna().sum()),
            "results": int(searches["results"].fillna(0).sum()),
            "earlier_records": int(screening["query_id"].isin(searches.loc[searches["results"].isna(), "query_id"]).sum()),
            "screened": len(screening),
            "excluded": len(excluded),
            # results that became no screened record: repeats of a record an earlier query returned, and results
            # set aside at first sight (the log counts results per query, not why each one was set aside)
            "removed_before_screening": int(searches["results"].fillna(0).sum())
            - (len(screening) - int(screening["query_id"].isin(searches.loc[searches["results"].isna(), "query_id"]).sum())),
            "excluded_by_reason": {r: int((excluded["reason"] == r).sum()) for r in EXCLUSION_REASONS
                                   if (excluded["reason"] == r).any()},
            "included": len(papers),
            "included_by_topic": {t: int(topics[t]) for t in TOPICS if t in topics},
            "dates": sorted(set(searches["date"]))}


def topic_title(topic: str) -> str:
    """The reader's name of a topic of papers.csv: the family's title, or the extra topic's."""
    return EXTRA_TOPICS[topic] if topic in EXTRA_TOPICS and topic not in FAMILIES else families.get(topic).title


def read_from_counts(papers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Topic × where the papers were read (full text, table, abstract, record), with totals."""
    papers = load_papers() if papers is None else papers
    grid = pd.crosstab(papers["family"], papers["status"]).reindex(
        index=[t for t in TOPICS if t in set(papers["family"])], columns=list(READ_FROM), fill_value=0)
    grid.loc["all"] = grid.sum()
    grid["all"] = grid.sum(axis=1)
    return grid


def taxonomy(papers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every paper placed by topic and where its secret lives: one row per (topic, secret) cell with the
    papers' short names and decryption kinds, in the order of :data:`TOPICS` and :data:`SECRETS`."""
    papers = load_papers() if papers is None else papers
    rows = []
    for topic in [t for t in TOPICS if t in set(papers["family"])]:
        for secret in SECRETS:
            cell = papers[(papers["family"] == topic) & (papers["secret"] == secret)]
            if len(cell):
                rows.append({"topic": topic, "secret": secret, "papers": list(cell["short_name"]),
                             "lossless": list(cell["lossless"]), "ids": list(cell["id"])})
    return pd.DataFrame(rows, columns=["topic", "secret", "papers", "lossless", "ids"])


def _names(cell: pd.DataFrame, medical: bool = True) -> str:
    """The papers of a taxonomy cell, "; "-separated, an asterisk on each without medical images."""
    return "; ".join(name.replace(" (not medical)", "") + ("" if not medical or is_medical == "yes" else "*")
                     for name, is_medical in zip(cell["short_name"], cell["medical"]))


def taxonomy_table(papers: pd.DataFrame | None = None, ciphers: bool = True) -> pd.DataFrame:
    """The taxonomy as a table to read, one row per topic and place of the secret (``ciphers``) or, for the papers
    that propose no cipher, per topic and what they contribute (:data:`KINDS`): how many papers, how the
    ciphers decrypt, and the papers' names (an asterisk on each without medical images)."""
    papers = load_papers() if papers is None else papers
    mine = papers[proposes_cipher(papers) == ciphers]
    column = "secret" if ciphers else "kind"
    rows = []
    for topic in [t for t in TOPICS if t in set(mine["family"])]:
        for value in (SECRETS if ciphers else tuple(KINDS)):
            cell = mine[(mine["family"] == topic) & (mine[column] == value)]
            if not len(cell):
                continue
            row = {"Topic": topic_title(topic), TAXONOMY_COLUMNS[column]: value if ciphers else KINDS[value],
                   "Papers": len(cell)}
            if ciphers:
                kinds = cell["lossless"].value_counts()
                row["Decryption"] = ", ".join(f"{k} {kinds[k]}" for k in DECRYPTION_KINDS if k in kinds)
            row["Names"] = _names(cell)
            rows.append(row)
    return pd.DataFrame(rows)


#: The column headers of :func:`taxonomy_table`.
TAXONOMY_COLUMNS = {"secret": "Where the secret lives", "kind": "What they are"}


def unassessed(screening: pd.DataFrame | None = None) -> pd.DataFrame:
    """The screened records left "not-assessed": title, year as the record shows it, and where it was found."""
    screening = load_screening() if screening is None else screening
    rows = screening[(screening["decision"] == "excluded") & (screening["reason"] == "not-assessed")]
    return pd.DataFrame({"Title": rows["title"].to_numpy(), "Year": rows["year"].replace("", None).to_numpy(),
                         "Found at": rows["url"].to_numpy()})


def evaluation_grid(papers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Method topic × what is evaluated: how many of the topic's cipher papers evaluate it (from what we read)."""
    papers = load_papers() if papers is None else papers
    method = papers[proposes_cipher(papers)]
    topics = [t for t in METHOD_TOPICS if t in set(method["family"])]
    grid = pd.DataFrame(0, index=topics, columns=list(EVALUATES))
    for _, row in method.iterrows():
        for item in evaluations(row["evaluates"]):
            grid.loc[row["family"], item] += 1
    grid.insert(0, "papers", method["family"].value_counts().reindex(topics).astype(int))
    return grid


# ------------------------------------------------------------------ every bibliography entry cited

CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def cited_keys(root: Path = REPO_ROOT) -> set[str]:
    """Every key that a ``{cite}`` role of a chapter source or a book page cites."""
    keys = set()
    for path in [*(root / "notebooks").glob("*.py"), *(root / "book").glob("*.md")]:
        for match in CITE_ROLE.finditer(path.read_text()):
            keys.update(k.strip() for k in match.group(1).split(","))
    return keys


def citation_problems(root: Path = REPO_ROOT, bib: dict[str, str] | None = None) -> list[str]:
    """Entries of the bibliography that no page cites, and cited keys it lacks (the build also fails on those)."""
    bib = bib_entries(root / "book" / "references.bib") if bib is None else bib
    cited = cited_keys(root)
    return ([f"references.bib: {key} is cited nowhere; cite it or remove it" for key in sorted(set(bib) - cited)]
            + [f"{key} is cited but not in references.bib" for key in sorted(cited - set(bib))])


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
    styler = (shown.style.format(escape="html", subset=text_columns, na_rep=formatting.MISSING)
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
    index = pd.Index(papers["short_name"].to_numpy(), name=REVIEW_INDEX)
    if family in METHOD_TOPICS:
        shown = LiteratureTable({REVIEW_COLUMNS[c]: papers[c].to_numpy() for c in ("year", "datasets", "key",
                                                                                    "decryption")}, index=index)
        shown[REVIEW_COLUMNS["reported"]] = [reported_text(values, paper) for _, paper in papers.iterrows()]
    else:  # a paper that proposes no cipher: what it does instead of a key and a decryption
        shown = LiteratureTable({REVIEW_COLUMNS["year"]: papers["year"].to_numpy(),
                                 ABOUT_COLUMNS.get(family, "What it shows"): papers["other_reported"].to_numpy()},
                                index=index)
    shown[REVIEW_COLUMNS["status"]] = papers["status"].to_numpy()
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
    if formatting.is_missing(value):
        return formatting.MISSING
    value = float(value)
    if math.isinf(value):
        return formatting.infinity(value)
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
    papers = papers[proposes_cipher(papers)]  # surveys, attacks and context report no cipher's metrics
    values = load() if values is None else values
    values = values[values["paper"].isin(set(papers["id"]))]
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
