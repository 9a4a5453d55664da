"""Chapter 9's aggregation: every chapter's results JSON into one leaderboard, beside the literature.

It tolerates missing chapters: :func:`load_chapters` reports which expected chapters have
no results file, and every function works on whatever is there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import families, results, verdicts
from ..ciphers.base import behind_codec, is_learned
from . import literature, reproduction
from .. import formatting

#: The chapter whose results are the attack verdicts: the cryptanalysis family's.
ATTACK_CHAPTER = families.get("cryptanalysis").chapter
#: The chapters whose results the comparison uses, in book order: chapter 1's metrics and every family's chapter
#: (read from the family table, so a new family's chapter is expected with no edit here).
EXPECTED = ("01_metrics", *sorted(f.chapter for f in families.FAMILIES if f.chapter))
#: Leaderboard columns, results key -> (label, decimals): a selection of the one table
#: :data:`medcrypt.results.METRIC_COLUMNS`, so a column reads the same here as in its chapter.
BOARD_COLUMNS = {key: results.METRIC_COLUMNS[key] for key in (
    "entropy_per_image", "chi2_p_pooled", "corr_h_pooled", "npcr", "uaci", "key_npcr", "nist_passed", "nist_run",
    "decrypt_psnr", "decrypt_ssim", "bit_exact_rate", "wrong_key_psnr", "encrypt_mb_per_s")}
CHI2, NIST_PASSED, NIST_RUN, PSNR, MB_S = (results.label(key) for key in (
    "chi2_p_pooled", "nist_passed", "nist_run", "decrypt_psnr", "encrypt_mb_per_s"))
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
        # The leaderboard compares 8-bit MedMNIST measurements; chapter 10's 16-bit rows stay in chapter 10.
        rows = [r for r in payload["rows"] if "entropy_per_image" in r and r.get("levels", 256) == 256]
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
    leaderboard keeps one of them. Fractions are shown in percent. A cipher without a key has no
    key-sensitivity or wrong-key value (:func:`medcrypt.results.without_key_tests`): they show as "–".
    """
    if frame.empty:
        return pd.DataFrame()
    chosen = (frame.sort_values(["dataset", "cipher", "n_images", "chapter"])
              .groupby(["dataset", "cipher"], as_index=False).tail(1))
    chosen = pd.DataFrame(results.without_key_tests(chosen.to_dict("records")), index=chosen.index)
    out = chosen[[c for c in ("dataset", "cipher", "family", "chapter", "n_images", "size") if c in chosen]].copy()
    for key, (label, _) in BOARD_COLUMNS.items():
        if key in chosen:
            out[label] = pd.to_numeric(chosen[key], errors="coerce") * (100 if key in results.PERCENT_COLUMNS else 1)
    return out.set_index(["dataset", "cipher"]).sort_index()


def attack_summary(payloads: dict[str, dict]) -> pd.DataFrame | None:
    """The attack chapter's pass/fail summary, or None when that chapter has not run."""
    payload = payloads.get(ATTACK_CHAPTER)
    if payload is None:
        return None
    return pd.DataFrame(payload["metadata"]["summary"]).set_index("cipher")


def attack_cells(payloads: dict[str, dict]) -> dict[str, dict[str, verdicts.Verdict]] | None:
    """Chapter 8's verdicts as objects (cipher -> column -> :class:`~medcrypt.verdicts.Verdict`), read from
    its rows, never from the summary's text; None when that chapter has not run."""
    payload = payloads.get(ATTACK_CHAPTER)
    return None if payload is None else verdicts.cells_from_rows(payload["rows"])


def attack_rows(payloads: dict[str, dict]) -> pd.DataFrame:
    """Chapter 8's per-cipher results (learned?, effective key bits, IND-CPA advantage, passed_all), or empty."""
    payload = payloads.get(ATTACK_CHAPTER)
    if payload is None:
        return pd.DataFrame(columns=["family", "learned", "key_bits", "effective_key_bits", "ind_cpa_advantage",
                                     "passed_all", "attacks_passed", "weights"])
    frame = pd.DataFrame(payload["rows"]).set_index("cipher")
    # n/a cells (no attack of that column applied) are not passes
    frame["attacks_passed"] = [sum(v["passed"] is True for v in row.values()) for row in frame["verdicts"]]
    if "weights" not in frame:
        frame["weights"] = ""
    return frame[["family", "learned", "key_bits", "effective_key_bits", "ind_cpa_advantage", "passed_all",
                  "attacks_passed", "weights"]]


def known_images_needed(payloads: dict[str, dict]) -> dict[str, int]:
    """cipher -> known images the algebraic attack of chapter 8 needed, for the ciphers it broke."""
    rows = payloads.get(ATTACK_CHAPTER, {}).get("rows", [])
    out = {}
    for row in rows:
        needed = (row.get("algebraic") or {}).get("known_images")
        if not formatting.is_missing(needed):
            out[row["cipher"]] = int(needed)
    return out


def per_cipher(payloads: dict[str, dict], field: str) -> dict[str, list[dict]]:
    """What the chapters saved under ``metadata[field]`` for each cipher (cipher -> records), in chapter order."""
    return {name: records for _, payload in sorted(payloads.items())
            for name, records in payload["metadata"].get(field, {}).items()}


def reproduction_cards(payloads: dict[str, dict]) -> dict[str, list[dict]]:
    """The reproduction cards the family chapters saved (cipher -> card records)."""
    return per_cipher(payloads, "reproduction_cards")


def beside_literature(values: pd.DataFrame, papers: pd.DataFrame, frame: pd.DataFrame,
                      dataset: str = "pneumoniamnist", cards: dict[str, list[dict]] | None = None) -> pd.DataFrame:
    """Each verified literature value of a standard metric beside our measurements of the same family.

    For every such value: the paper, its dataset and image size, the reported value, and
    the range (min to max) of what we measured for our ciphers of the same family on
    ``dataset`` at 28×28, plus AES-CTR's value as the reference. Values are in the
    paper's units (entropy in bits, NPCR and UACI in percent). "reproduced" says what the
    reproduction cards of the ciphers that re-implement the paper concluded
    (:func:`medcrypt.book.reproduction.statuses`; ``cards`` from :func:`reproduction_cards`).
    """
    reported = values[values["metric"].isin(MEASURED_FOR) & values["value"].notna()]
    said = reproduction.statuses(cards or {}, reported)
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
                     "variant": row.get("variant", "") or "",
                     "metric": literature.METRIC_LABELS[row["metric"]],
                     "their dataset": row["dataset"] or "not stated", "their size": row["image_size"] or "not stated",
                     "reported": row["value"], "reproduced": said[row["id"]],
                     "ours (same family), min": mine.min() if len(mine) else np.nan,
                     "ours (same family), max": mine.max() if len(mine) else np.nan,
                     "AES-CTR (ours)": aes_value})
    return pd.DataFrame(rows)


def registered_name(display: str) -> str:
    """The registry name behind a results row's display name: 'ae-latent-gcm-32' -> 'ae-latent-gcm',
    'inn-coupling (trained)' -> 'inn-coupling'. Other parenthesised variants (random init) keep their name."""
    name = re.sub(r" \(trained\)$", "", display)
    return re.sub(r"-\d+$", "", name)


def security_fidelity(board: pd.DataFrame, attacks: pd.DataFrame, dataset: str = "pneumoniamnist",
                      exclude: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """Per cipher on ``dataset``: chapter 8's verdict (attacks survived of all) against fidelity and speed.

    Security is the verdict, not a statistic: how many of the summary's attacks the cipher
    survived, whether it survived all, and its IND-CPA advantage. Lossless ciphers have
    infinite PSNR; ``psnr_capped`` puts them at 60 dB so they can be drawn. Ciphers that
    chapter 8 did not attack are left out, and so are the rows in ``exclude`` (those whose
    model is not the one chapter 8 attacked, :func:`measured_and_attacked`).
    """
    columns = ["cipher", "family", "attacks_passed", "passed_all", "ind_cpa_advantage", "psnr_capped", "lossless",
               "mb_s"]
    if board.empty or attacks.empty or dataset not in board.index.get_level_values(0):
        return pd.DataFrame(columns=columns)
    part = board.loc[dataset].reset_index()
    part = part[~part["cipher"].isin(list(exclude))]
    registered = part["cipher"].map(registered_name)
    part, registered = part[registered.isin(attacks.index)], registered[registered.isin(attacks.index)]
    psnr = part[PSNR].astype(float)
    verdict = attacks.loc[registered]
    return pd.DataFrame({"cipher": part["cipher"].to_numpy(), "family": part["family"].to_numpy(),
                         "attacks_passed": verdict["attacks_passed"].to_numpy(),
                         "passed_all": verdict["passed_all"].astype(bool).to_numpy(),
                         "ind_cpa_advantage": verdict["ind_cpa_advantage"].to_numpy(),
                         "psnr_capped": psnr.clip(upper=60).to_numpy(), "lossless": np.isinf(psnr).to_numpy(),
                         "mb_s": part.get(MB_S).to_numpy()})[columns]


def with_bench_speeds(points: pd.DataFrame, rates: dict[str, dict]) -> pd.DataFrame:
    """``points`` with ``mb_s`` taken from one bench run (``medcrypt.bench``: registered name -> rates), so that
    every speed drawn was measured in one run on one batch; the chapters' own speeds, each on its own batch
    size, do not compare. A cipher the bench did not time gets NaN and is not drawn on that axis."""
    out = points.copy()
    out["mb_s"] = [float(rates.get(registered_name(c), {}).get("encrypt_mb_per_s", np.nan)) for c in out["cipher"]]
    return out


# ------------------------------------------------------------------ what readers see (chapters 8 and 9)

#: Chapter 9 shows each family's papers under the title of the chapter that covers it (:mod:`medcrypt.families`).
FAMILY_CHAPTERS = families.chapters()
#: Titles for when the chapter sources are not at hand (a package installed without the notebooks).
FALLBACK_TITLES = {families.get(family).chapter: families.get(family).title for family in FAMILY_CHAPTERS}
NOTEBOOKS = literature.REPO_ROOT / "notebooks"
#: Decimals a reader sees per leaderboard column and per literature column (by label); the learned ciphers
#: are slow, so speeds get two decimals here.
DIGITS = {**{label: digits for label, digits in BOARD_COLUMNS.values()}, MB_S: 2,
          **{literature.METRIC_LABELS[metric]: BOARD_COLUMNS[key][1] for metric, key in MEASURED_FOR.items()}}
FAIL_STYLE = "color: #b00020; font-weight: bold"


def chapter_number(stem: str) -> str:
    """'04_autoencoder' -> '4', the number a reader knows the chapter by (other text is returned unchanged)."""
    match = re.match(r"^(\d+)_", str(stem))
    return str(int(match.group(1))) if match else str(stem)


def chapter_title(stem: str, notebooks: str | Path = NOTEBOOKS) -> str:
    """A chapter's title as its page shows it, without its number, read from the chapter's source."""
    path = Path(notebooks) / f"{stem}.py"
    if path.exists():
        for line in path.read_text().splitlines():
            match = re.match(r"^# # (?:\d+\.\s*)?(.+?)\s*$", line)
            if match:
                return match.group(1)
    return FALLBACK_TITLES.get(stem, stem)


def family_titles(notebooks: str | Path = NOTEBOOKS) -> dict[str, str]:
    """family -> 'Title of its chapter (chapter N)'."""
    return {family: f"{chapter_title(stem, notebooks)} (chapter {chapter_number(stem)})"
            for family, stem in FAMILY_CHAPTERS.items()}


def learned_ciphers(names) -> list[str]:
    """The *learned* ciphers among ``names`` (:func:`medcrypt.ciphers.base.is_learned`, the one definition)."""
    return [name for name in names if is_learned(name)]


def codec_hybrids(names) -> list[str]:
    """The ciphers among ``names`` that encrypt a trained codec's output with a standard cipher: codec +
    AES-GCM, counted apart from the learned ciphers (:func:`medcrypt.ciphers.base.behind_codec`)."""
    return [name for name in names if behind_codec(name)]


def weights_text(source: str) -> str:
    """Chapter 8's record of where a cipher's weights came from, as a reader reads it (chapter by number)."""
    match = re.match(r"^chapter (\d+)_\w+'s checkpoint (\S+)$", str(source))
    if match:
        return f"chapter {int(match.group(1))} ({match.group(2)})"
    return str(source)


def source_link(key: str, bib: dict[str, str]) -> str:
    """A citation as the reader sees it: :func:`medcrypt.book.literature.cited_link`, the chapters' one style."""
    return literature.cited_link(key, bib)


#: Parts of a data cell that the data itself marks as working notes ("…; not used").
WORKING_NOTE = re.compile(r"\bnot used\b|\bprobably lost\b", re.I)


def without_working_notes(text: str) -> str:
    """``text`` without the "; "-separated parts that the data marks as not used (notes for the authors)."""
    parts = [p for p in str(text).split("; ") if not WORKING_NOTE.search(p)]
    return "; ".join(parts)


def literature_tables(bib: dict[str, str], notebooks: str | Path = NOTEBOOKS) -> list:
    """One table per family for chapter 9.1, titled by its chapter: citations, never keys; no working notes."""
    tables = []
    for family, title in family_titles(notebooks).items():
        table = literature.review_table(family, caption=title, bib=bib)
        for column in table.columns:
            if table[column].dtype == object and column.lower() != "source":
                table[column] = table[column].map(without_working_notes)
        tables.append(literature.wrapped(table, caption=title, bib=bib))
    return tables


def leaderboard_display(board: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """The leaderboard of one dataset as text: chapter numbers, 'k of n' NIST tests, one style per column."""
    part = board.loc[dataset]
    shown = pd.DataFrame(index=part.index)
    for column in part.columns:
        if column in ("n_images", "size", NIST_RUN, "cipher bytes", MB_S):  # speeds: only 9.5's one-run bench compares
            continue
        values = part[column]
        if column == "chapter":
            shown[column] = values.map(chapter_number)
        elif column == "family":
            shown[column] = values
        elif column == CHI2:
            shown[column] = values.map(formatting.p_value)
        elif column == NIST_PASSED:
            totals = part[NIST_RUN] if NIST_RUN in part else pd.Series(np.nan, index=part.index)
            shown[column] = [(formatting.MISSING if formatting.is_missing(k) else f"{int(k)}" if formatting.is_missing(n) else f"{int(k)} of {int(n)}")
                             for k, n in zip(values, totals)]
        else:
            shown[column] = values.map(lambda v, d=DIGITS.get(column, 4): formatting.number(v, d))
    return shown


def leaderboard_tables(board: pd.DataFrame) -> list:
    """One styled leaderboard per dataset for chapter 9.3, captioned with its dataset and image size."""
    tables = []
    for dataset in sorted(board.index.get_level_values(0).unique()) if not board.empty else []:
        sizes = sorted({int(s) for s in board.loc[dataset].get("size", pd.Series(dtype=float)).dropna()})
        side = f", {' and '.join(f'{s}×{s}' for s in sizes)}" if sizes else ""
        tables.append(leaderboard_display(board, dataset).style.set_caption(
            f"<b>Measured on {dataset} (test split{side})</b>"))
    return tables


def side_display(side: pd.DataFrame, bib: dict[str, str]) -> pd.DataFrame:
    """Chapter 9.4's table as text: the paper with its variant, an author-year citation, values by metric."""
    if side.empty:
        return pd.DataFrame(columns=["paper", "source", "metric"]).set_index("paper")
    rows = []
    for _, row in side.iterrows():
        digits = DIGITS.get(row["metric"], 4)
        variant = row.get("variant", "")
        rows.append({"paper": row["paper"] + (f": {variant}" if variant else ""),
                     "source": source_link(row["citation_key"], bib), "metric": row["metric"],
                     "their dataset": row["their dataset"], "their size": row["their size"],
                     "reported": f"{row['reported']:g}", "reproduced": row["reproduced"],
                     **{column: formatting.number(row[column], digits) for column in
                        ("ours (same family), min", "ours (same family), max", "AES-CTR (ours)")}})
    return pd.DataFrame(rows).set_index("paper")


def side_table(side: pd.DataFrame, bib: dict[str, str]):
    """:func:`side_display` styled for the page (the citation links stay links)."""
    shown = side_display(side, bib).reset_index()  # a paper reports several metrics: the index repeats
    return shown.style.hide(axis="index").set_properties(**{"text-align": "left"})


def styled_verdicts(summary: pd.DataFrame, cells: dict[str, dict[str, verdicts.Verdict]]):
    """Chapter 8's pass/FAIL table (also shown in chapter 9), every cell in full, red where ``cells`` (the
    verdicts behind the text) hold a FAIL."""
    columns = [c for c in verdicts.COLUMNS if c in summary.columns]

    def colours(column: pd.Series) -> list[str]:
        return [FAIL_STYLE if name in cells and column.name in cells[name] and cells[name][column.name].passed is False
                else "" for name in column.index]

    return summary.style.apply(colours, subset=columns)


def checkpoint_file(weights: str) -> str | None:
    """The checkpoint file named in chapter 8's record of a cipher's weights, or None (no training, trained now)."""
    match = re.search(r"checkpoint (\S+\.pt)\b", str(weights))
    return match.group(1) if match else None


def measured_and_attacked(payloads: dict[str, dict], board: pd.DataFrame, attacks: pd.DataFrame,
                          dataset: str) -> dict:
    """How the leaderboard's rows on ``dataset`` correspond to chapter 8's ciphers.

    Returns ``rows`` (leaderboard rows), ``not_attacked`` (rows no registered cipher stands
    for), ``renamed`` (row -> chapter 8's name, where they differ), ``different`` (rows whose
    chapter recorded another checkpoint than the one chapter 8 attacked) and ``unmeasured``
    (attacked ciphers without a row).
    """
    if board.empty or dataset not in board.index.get_level_values(0):
        part = pd.DataFrame(columns=["chapter"])
    else:
        part = board.loc[dataset]
    attacked = set(attacks.index) if attacks is not None and not attacks.empty else set()
    out = {"rows": len(part), "not_attacked": [], "renamed": {}, "different": [], "unmeasured": []}
    seen = set()
    for row, chapter in zip(part.index, part["chapter"]):
        name = registered_name(row)
        if name not in attacked:
            out["not_attacked"].append(row)
            continue
        seen.add(name)
        if name != row:
            out["renamed"][row] = name
        recorded = payloads.get(chapter, {}).get("metadata", {}).get("checkpoints", {}).get(name)
        used = checkpoint_file(attacks.loc[name, "weights"]) if "weights" in attacks.columns else None
        if recorded is not None and recorded != used:
            out["different"].append(row)
    out["unmeasured"] = sorted(attacked - seen)
    return out


def looks_random(board: pd.DataFrame, dataset: str, alpha: float) -> list[str]:
    """Rows on ``dataset`` that pass chapter 1's histogram test (pooled χ² p ≥ ``alpha``) and every NIST test run."""
    if board.empty or dataset not in board.index.get_level_values(0):
        return []
    part = board.loc[dataset]
    if not {CHI2, NIST_PASSED, NIST_RUN} <= set(part.columns):
        return []
    ok = (part[CHI2] >= alpha) & (part[NIST_PASSED] == part[NIST_RUN]) & (part[NIST_RUN] > 0)
    return list(part.index[ok.fillna(False).astype(bool)])


def training_summary(payloads: dict[str, dict]) -> tuple[list[str], float | None]:
    """The training devices the chapters recorded, and the longest training time of any measured cipher (s)."""
    devices = sorted({str(p["metadata"]["device_training"]) for p in payloads.values()
                      if p.get("metadata", {}).get("device_training")})
    times = [float(r["training_time_s"]) for p in payloads.values() for r in p.get("rows", [])
             if isinstance(r.get("training_time_s"), (int, float)) and np.isfinite(r["training_time_s"])]
    return devices, (max(times) if times else None)


def best_compression_model(payloads: dict[str, dict]) -> tuple[str | None, float | None]:
    """The model of chapter 4's compression curve with the highest decryption PSNR, and that PSNR."""
    curve = payloads.get("04_autoencoder", {}).get("metadata", {}).get("compression_curve") or []
    scored = [(row.get("model"), float(row["PSNR (dB)"])) for row in curve
              if isinstance(row.get("PSNR (dB)"), (int, float)) and np.isfinite(row["PSNR (dB)"])]
    return max(scored, key=lambda item: item[1]) if scored else (None, None)


def reader_table(table: pd.DataFrame, columns: dict[str, tuple[str, str | int]], missing: str = formatting.MISSING,
                 index_name: str | None = None) -> pd.DataFrame:
    """``table``'s ``columns`` (key -> (header, kind of :func:`cell_text`)) as text with word headers."""
    out = pd.DataFrame({header: table[key].map(lambda v, k=kind: formatting.cell(v, k, missing))
                        for key, (header, kind) in columns.items() if key in table.columns}, index=table.index)
    if index_name is not None:
        out.index.name = index_name
    return out


#: Chapter 8's tables: results keys -> (header, kind).
ROSTER_COLUMNS = {"family": ("family", "text"), "claimed key bits": ("claimed key bits", "count"),
                  "lossless": ("lossless", "text"), "weights": ("weights", "text")}
ALGEBRAIC_COLUMNS = {"structure": ("structure found", "text"), "known_images": ("known images needed", "count"),
                     "bit_exact_rate": ("test images decrypted exactly (%)", "percent"),
                     "gain_db": ("PSNR gain (dB)", "db")}
# a count last: a percentage there would run into the next row's "key-stream" as "0.00 key"
CHOSEN_COLUMNS = {"gain_db": ("PSNR gain (dB)", "db"), "recovered": ("recovered exactly (%)", "percent"),
                  "chosen_images": ("chosen images", "count")}
INTEGRITY_COLUMNS = {"trials": ("forgeries", "count"), "rejected": ("rejected", "count"),
                     "refused": ("refused as malformed", "count"), "accepted": ("accepted", "count"),
                     "one_pixel": ("accepted, one pixel changed", "count")}
AUDIT_COLUMNS = {"claimed_bits": ("claimed bits", "count"), "audited_bits": ("flipped bits", "count"),
                 "effective_bits": ("flips that matter", "count"),
                 "separable_bits": ("bits searchable apart", "count"),
                 "strength_bits": ("search cost by the flips (bits)", 0),
                 "bits_decrypting_closer_than_noise": ("flips that still decrypt closer than noise", "count"),
                 "bits_not_changing_encryption": ("flips that change the cipher images less than a random key", "count")}
SEARCH_COLUMNS = {"search_n_keys": ("random keys tried", "count"),
                 "search_hits": ("random keys equivalent to the key", "count"),
                 "search_collisions": ("random keys equal to each other", "count"),
                 "search_lower_bound_bits": ("key space at least (bits)", 0),
                 "schedule_bits": ("key schedule's bound (bits)", 0),
                 "state_guessing_bits": ("state guessing (bits)", 0)}
SENSITIVITY_COLUMNS = {f"{part}_{key}": ((title, header), "percent")
                       for part, title in (("plaintext", "one pixel"), ("key", "one key bit"))
                       for key, header in (("npcr", "NPCR (%)"), ("uaci", "UACI (%)"),
                                           ("npcr_pass_rate", "images passing NPCR (%)"),
                                           ("uaci_pass_rate", "images passing UACI (%)"))}


def roster_display(roster: pd.DataFrame) -> pd.DataFrame:
    """Chapter 8.1's roster: yes/no, key bits as integers, the source of the weights by chapter number."""
    shown = roster.assign(lossless=roster["lossless"].map(lambda v: "yes" if v else "no"),
                          weights=roster["weights"].map(weights_text))
    return reader_table(shown, ROSTER_COLUMNS)


def algebraic_display(algebraic: pd.DataFrame) -> pd.DataFrame:
    """Chapter 8.3's algebraic table: 'does not fit' where the attack found no structure, – in the other cells."""
    out = reader_table(algebraic, ALGEBRAIC_COLUMNS)
    out["structure found"] = algebraic["structure"].map(lambda v: "does not fit" if formatting.is_missing(v) else str(v))
    return out


def chosen_display(chosen: pd.DataFrame) -> pd.DataFrame:
    """Chapter 8.4's table, one row per cipher and attack: 'n/a' where the attack does not apply."""
    out = reader_table(chosen, CHOSEN_COLUMNS, missing="n/a")
    out.insert(0, "applies", ["yes" if a else "no (n/a)" for a in chosen["applies"]])
    return out


def integrity_display(integrity: pd.DataFrame) -> pd.DataFrame:
    """Chapter 8's bit-flip table with word headers."""
    return reader_table(integrity, INTEGRITY_COLUMNS)


def audit_display(audit: pd.DataFrame) -> pd.DataFrame:
    """Chapter 8.6's one-bit-flip audit with word headers."""
    return reader_table(audit, AUDIT_COLUMNS)


def key_search_display(audit: pd.DataFrame, cells: dict | None = None) -> pd.DataFrame:
    """Chapter 8.6's searches and bounds (random keys, key schedule, chaotic state), with the verdict when given."""
    out = reader_table(audit, SEARCH_COLUMNS, missing="n/a")
    if cells is not None:
        out["verdict"] = [str(cells[name]) for name in out.index]
    return out


def sensitivity_display(sens: pd.DataFrame) -> pd.DataFrame:
    """Chapter 8.7's table in percent, grouped under 'one pixel' and 'one key bit'; 'no key' where none applies."""
    out = reader_table(sens, SENSITIVITY_COLUMNS, missing="no key")
    out.columns = pd.MultiIndex.from_tuples(out.columns)
    return out


def calibration_display(rates: pd.DataFrame) -> pd.DataFrame:
    """Chapter 8.8's false-alarm rates in percent (one decimal); the number of runs as an integer."""
    out = pd.DataFrame(index=rates.index)
    for column in rates.columns:
        if column in ("runs", "runs per cipher"):
            out[column] = rates[column].map(lambda v: formatting.cell(v, "count"))
        else:
            out[f"{column} (%)"] = rates[column].map(lambda v: formatting.cell(100 * float(v) if not formatting.is_missing(v) else v, 1,
                                                                          missing="– (not in the summary)"))
    return out


def averages_inside_band(sens: pd.DataFrame, n_pixels: int, level: float,
                         alpha: float | None = None) -> list[tuple[str, str, float, float]]:
    """Ciphers that fail the one-pixel test although their mean NPCR and UACI lie in one image's acceptance band.

    Returns (cipher, the failing test, share of its images that pass it, an ideal cipher's
    share) for each, so that the prose can say what fails: the pass rate, not the average.
    """
    from .. import metrics

    alpha = metrics.ALPHA if alpha is None else alpha
    low, high = metrics.uaci_critical(n_pixels, alpha)
    nulls = {"NPCR": metrics.npcr_null_pass_rate(n_pixels, alpha), "UACI": metrics.uaci_null_pass_rate(n_pixels, alpha)}
    cases = []
    for name, row in sens.iterrows():
        inside = row["plaintext_npcr"] >= metrics.npcr_critical(n_pixels, alpha) and low <= row["plaintext_uaci"] <= high
        if not inside:
            continue
        for test in ("NPCR", "UACI"):
            if row[f"plaintext_{test.lower()}_p"] < level:
                cases.append((name, test, float(row[f"plaintext_{test.lower()}_pass_rate"]), nulls[test]))
    return cases


def key_attempts(payloads: dict[str, dict]) -> dict[str, list[dict]]:
    """The training attempts the family chapters recorded (cipher -> ``Attempt.to_dict()`` records)."""
    return per_cipher(payloads, "key_attempts")


def _change(before: str, now: verdicts.Verdict) -> str:
    """'FAIL → pass', 'pass → FAIL', 'no', or 'n/a' when chapter 8's key audit does not apply."""
    if not now.applies:
        return "n/a"
    return "no" if now.state == before else f"{before} → {now.state}"


def training_changes(attempts: dict[str, list[dict]], sources: dict[str, str],
                     cells: dict[str, dict[str, verdicts.Verdict]]) -> pd.DataFrame:
    """For each cipher trained in attempts: which attempt chapter 8 attacked, and what that changed.

    ``sources`` maps a cipher to where its weights came from (:func:`medcrypt.zoo.ready`'s
    sentence, which names the checkpoint file); ``cells`` are chapter 8's verdicts. The key
    audit "as first built" is the chapter's audit of the first attempt; "now" is chapter 8's
    own verdict on the checkpoint it attacked. The last column lists the other attacks that
    won against that checkpoint, so a key audit that turned to a pass is read beside them.
    """
    rows = []
    for name, records in attempts.items():
        if name not in cells or not records:
            continue
        attacked = next((r for r in records if r["checkpoint"] in sources.get(name, "")), None)
        first, now = records[0], cells[name]["key audit"]
        before = "pass" if first["passed"] else "FAIL"
        rows.append({"cipher": name, "attempt attacked": attacked["label"] if attacked else "not one of the attempts",
                     "key audit as first built": f"{before} ({first['audit']['effective_bits']} of "
                                                 f"{first['audit']['claimed_bits']} bits)",
                     "key audit now": f"{now.state} ({now.figure})",
                     "changed": _change(before, now),
                     "attacks that still win": ", ".join(c for c in verdicts.COLUMNS
                                                         if c != "key audit" and cells[name][c].passed is False)
                                               or "none"})
    columns = ["cipher", "attempt attacked", "key audit as first built", "key audit now", "changed",
               "attacks that still win"]
    return pd.DataFrame(rows, columns=columns).set_index("cipher")


def conclusions(payloads: dict[str, dict], board: pd.DataFrame, points: pd.DataFrame, attacks: pd.DataFrame,
                cells: dict[str, dict[str, verdicts.Verdict]] | None, dataset: str,
                alpha: float) -> dict[str, object]:
    """Chapter 9.7's glued values (name -> value): the learned ciphers' verdicts, what the statistics missed,
    Kerckhoffs, exactness, training and the attacks' image counts, all from the chapters' results.

    A cipher passes only if it passes every column and fails if some column FAILs it (an n/a cell is neither).
    """
    from . import prose

    passed = verdicts.passed_every_attack(cells).to_dict()
    failed = verdicts.failed_some_attack(cells).to_dict()
    learned = learned_ciphers(list(attacks.index))
    random_looking = [registered_name(n) for n in looks_random(board, dataset, alpha)]
    keyless = [n for n in learned if attacks.loc[n, "key_bits"] == 0]
    ignored = [n for n in learned if attacks.loc[n, "key_bits"] > 0 and attacks.loc[n, "effective_key_bits"] == 0]
    lossy = points[~points["lossless"]] if not points.empty else points
    best = lossy.loc[lossy["psnr_capped"].idxmax()] if len(lossy) else None
    exact = [] if points.empty else [n for n in points[points["lossless"]]["cipher"] if registered_name(n) in learned]
    seeds = payloads.get(ATTACK_CHAPTER, {}).get("metadata", {}).get("seeds") or []
    chosen = [payloads.get(c, {}).get("metadata", {}).get("attack", {}).get("chosen_images")
              for c in ("02_baselines", "06_feedforward")]
    known = {name: k for name, k in known_images_needed(payloads).items() if name.startswith("chaos-")}
    return {
        "learned_attacked": len(learned),
        "learned_included": prose.learned_included(learned),
        "learned_passing": prose.names([n for n in learned if passed.get(n)]),
        "learned_failing": sum(bool(failed.get(n, False)) for n in learned),
        "statistics_sentence": prose.statistics_sentence([n for n in random_looking if failed.get(n, False)],
                                                         len(random_looking)),
        "kerckhoffs_sentence": prose.kerckhoffs_sentence(keyless, ignored),
        "best_lossy_sentence": prose.best_lossy_sentence(None if best is None else best["cipher"],
                                                         None if best is None else float(best["psnr_capped"]),
                                                         *best_compression_model(payloads)),
        "exactness_sentence": prose.exactness_sentence(exact),
        "training_clause": prose.training_clause(*training_summary(payloads)),
        "seeds_phrase": prose.seeds_phrase(len(seeds)) if seeds else "have not run",
        "chosen_clause": prose.chosen_images_clause(*chosen),
        "known_clause": prose.known_images_clause(known),
    }
