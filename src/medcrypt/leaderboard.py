"""The leaderboard: the results store of ``medcrypt sweep`` as one row per cipher × dataset × size.

A row gathers a cell's seeds (same cipher, dataset, size, profile and image count). Its
verdict columns keep the worst seed: a column that any seed FAILs is FAIL ("FAIL in 1 of
3 seeds"), since a verdict comes from the strongest attack that was seen to win; a column
that no attack applied to is n/a, which is never a pass. The row's result says what was
shown, never more: "no adversary in the battery won" only when every column of every seed
passed. Each row carries the command that reruns exactly its cells (:func:`medcrypt.sweep.command`),
the medcrypt version and git commit that produced it, and the date.

The book's page (chapter 12) and any reader build the same table with :func:`table`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from .store import ResultsStore, StoreError, verdict_columns
from .sweep import Cell, command

#: The book's store, committed under data/ (and installed with the package, for Colab).
CHECKOUT_STORE = "data/leaderboard"
#: The columns of one leaderboard row that name it.
ROW_KEYS = ("cipher", "dataset", "size", "profile", "images")
WON = "no adversary in the battery won"
NOT_JUDGED = "no FAIL, but not judged on"
SMOKE = "no FAIL at smoke sizes"
#: The columns of :func:`table`, also those of an empty one.
TABLE_COLUMNS = ["cipher", "dataset", "size", "profile", "images", "seeds", "result",
                 *[c.removeprefix("verdict: ") for c in verdict_columns()], "share of the ceiling (%)",
                 "effective key bits", "seconds per cell", "version", "commit", "date", "reproduce"]


def default_store() -> Path:
    """The book's leaderboard store: ``data/leaderboard`` in a checkout, else the copy installed with the package."""
    from .paths import REPO_ROOT

    checkout = REPO_ROOT / CHECKOUT_STORE
    return checkout if checkout.is_dir() else Path(__file__).resolve().parent / "_data" / "leaderboard"


def read(store: str | Path) -> pd.DataFrame:
    """Every cell of the store at ``store`` (:meth:`medcrypt.store.ResultsStore.read`).

    A path that is not a folder raises :class:`~medcrypt.store.StoreError`: a reader who names a store
    means one that exists (a sweep creates its store; a typo should not read as an empty leaderboard).
    """
    if not Path(store).is_dir():
        raise StoreError(f"no results store at {store}: give the folder that medcrypt sweep --store wrote")
    return ResultsStore(store).read()


def combine(states: list[str], did_not_run: int = 0) -> str:
    """One verdict column over a row's seeds: FAIL if any seed FAILs, pass only if every seed that ran passed."""
    total = len(states) + did_not_run
    fails, passes = states.count("FAIL"), states.count("pass")
    if fails:
        return "FAIL" if fails == total else f"FAIL in {fails} of {total} seeds"
    if not states:
        return "did not run"
    if passes == total:
        return "pass"
    if passes == 0 and did_not_run == 0:
        return "n/a"
    parts = [f"pass in {passes}" if passes else "", f"n/a in {len(states) - passes}" if len(states) > passes else "",
             f"did not run in {did_not_run}" if did_not_run else ""]
    return ", ".join(p for p in parts if p) + f" of {total} seeds"


def states(ran: pd.DataFrame, column: str) -> list[str]:
    """The finished cells' states in one verdict column; a state that was not recorded (a missing value, or a
    store without the column) is n/a: not judged, never a pass."""
    if column not in ran:
        return ["n/a"] * len(ran)
    return [v if isinstance(v, str) else "n/a" for v in ran[column]]


def result(cells: pd.DataFrame) -> str:
    """What a row's cells showed, in the book's words: the columns that some seed FAILs, else what is missing."""
    ran = cells[cells["status"] == "ok"]
    failing = [c.removeprefix("verdict: ") for c in verdict_columns() if "FAIL" in states(ran, c)]
    if failing:
        return "FAIL: broken by " + "; ".join(failing)
    if ran.empty:
        return f"did not run ({len(cells)} of {len(cells)} cells raised: see the error in the store)"
    if len(ran) < len(cells):
        return f"incomplete: {len(cells) - len(ran)} of {len(cells)} cells raised; no FAIL in the others"
    if (cells["profile"] == "smoke").any():
        return f"{SMOKE}: no verdict (the smoke profile checks plumbing; rerun with --profile ci or full)"
    not_judged = [c.removeprefix("verdict: ") for c in verdict_columns() if set(states(ran, c)) != {"pass"}]
    if not_judged:
        return f"{NOT_JUDGED} " + "; ".join(not_judged) + " (n/a is not a pass)"
    return f"{WON} ({len(ran)} seed{'s' if len(ran) != 1 else ''})"


def _cells(group: pd.DataFrame) -> list[Cell]:
    return [Cell(r.cipher, r.dataset, int(r.size), int(r.seed), r.profile,
                 None if pd.isna(r.images) else int(r.images)) for r in group.itertuples()]


def _joined(values: pd.Series) -> str:
    found = sorted({str(v) for v in values.dropna()})
    return ", ".join(found) if found else "unknown"


def table(frame: pd.DataFrame, store: str = "rerun") -> pd.DataFrame:
    """One row per cipher × dataset × size (× profile and image count) from the store's cells ``frame``.

    Columns: the cipher's name, dataset, size, profile, seeds, the result, one column per
    verdict, the median share of the ceiling (%), the smallest effective key bits, the
    median seconds per cell, version, commit, date and the command that reruns the row
    into the store folder ``store``.
    """
    if frame.empty:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    frame = frame.copy()
    frame["images"] = frame["images"].astype("Int64")
    rows = []
    for _, group in frame.groupby(list(ROW_KEYS), dropna=False, sort=False):
        ran = group[group["status"] == "ok"]
        first = group.iloc[0]
        row = {"cipher": _joined(ran["cipher_name"]) if not ran.empty else first["cipher"], "spec": first["cipher"],
               "dataset": first["dataset"], "size": int(first["size"]), "profile": first["profile"],
               "images": first["images"], "seeds": ", ".join(str(s) for s in sorted(group["seed"])),
               "result": result(group)}
        for column in verdict_columns():
            row[column.removeprefix("verdict: ")] = combine(states(ran, column), len(group) - len(ran))
        share = ran["ratio_to_ceiling"].dropna() if "ratio_to_ceiling" in ran else pd.Series(dtype=float)
        row["share of the ceiling (%)"] = 100 * float(np.median(share)) if len(share) else np.nan
        bits = ran["effective_key_bits"].dropna() if "effective_key_bits" in ran else pd.Series(dtype=float)
        row["effective key bits"] = int(bits.min()) if len(bits) else pd.NA
        row["seconds per cell"] = float(np.median(ran["wall_s"].dropna())) if len(ran) else np.nan
        row["version"] = _joined(group["medcrypt_version"])
        row["commit"] = _joined(group["git_commit"]) if "git_commit" in group else "unknown"
        row["date"] = _joined(group["finished_utc"].dropna().str[:10]) if "finished_utc" in group else "unknown"
        row["reproduce"] = command(_cells(group), store)
        row["won"] = row["result"].startswith(WON)
        row["fails"] = sum(str(row.get(c.removeprefix("verdict: "), "")).startswith("FAIL") for c in verdict_columns())
        rows.append(row)
    out = pd.DataFrame(rows)
    specs = out.groupby("cipher")["spec"].nunique()
    clash = out["cipher"].isin(specs[specs > 1].index)  # two classes under one name: say which is which
    out.loc[clash, "cipher"] = [f"{name} ({spec})" for name, spec in zip(out.loc[clash, "cipher"], out.loc[clash, "spec"])]
    out = out.sort_values(["dataset", "size", "won", "fails", "cipher"], ascending=[True, True, False, True, True])
    return out[TABLE_COLUMNS].reset_index(drop=True)


def cell_times(frame: pd.DataFrame) -> pd.DataFrame:
    """Seconds per finished cell for each cipher (median, min and max over its cells) and where they ran."""
    if frame.empty or "wall_s" not in frame:
        return pd.DataFrame(columns=["cells", "median (s)", "min (s)", "max (s)", "device"]).rename_axis("cipher")
    ran = frame[frame["status"] == "ok"]
    grouped = ran.groupby("cipher_name")
    return pd.DataFrame({"cells": grouped.size(), "median (s)": grouped["wall_s"].median(),
                         "min (s)": grouped["wall_s"].min(), "max (s)": grouped["wall_s"].max(),
                         "device": grouped["device"].agg(lambda v: ", ".join(sorted(set(v.dropna()))) or "unknown")}
                        ).rename_axis("cipher").sort_values("median (s)")


def grid_estimate(at_28: pd.Series, at_64: pd.Series, *, datasets: int, sizes=(28, 64, 128, 224), seeds: int = 3,
                  learned: Iterable[str] = ()) -> pd.DataFrame:
    """The cost of a full grid, per cipher: cells and hours, from seconds per cell measured at 28×28 and 64×64.

    A cell's time at another size is the straight line through the two measurements in the
    pixel count (most of a cell scales with pixels: the attacks' images, the networks' inputs,
    the NIST bits); 128 and 224 are therefore extrapolated, and said to be. ``learned`` names the
    ciphers whose cells reserve a GPU: their hours are also GPU hours, an upper bound, since
    a cell holds its GPU while the CPU-bound attacks run.
    """
    learned = set(learned)
    slope = (at_64 - at_28) / ((64 / 28) ** 2 - 1)
    rows = {}
    for cipher in at_28.index.intersection(at_64.index):
        seconds = sum(max(at_28[cipher] + slope[cipher] * ((size / 28) ** 2 - 1), 0.0) for size in sizes)
        hours = seconds * datasets * seeds / 3600
        rows[cipher] = {"cells": datasets * len(sizes) * seeds, "CPU hours": hours,
                        "GPU hours": hours if cipher in learned else 0.0}
    return pd.DataFrame(rows).T.rename_axis("cipher")


def estimate_from_stores(cells: pd.DataFrame, timing: pd.DataFrame, *, datasets: int | None = None,
                         seeds: int = 3) -> pd.DataFrame:
    """:func:`grid_estimate` from the leaderboard's cells (28×28) and a timing sweep at 64×64 (median seconds per
    cipher, as the sweep named it), over every 2D MedMNIST dataset by default; learned ciphers are those that train
    (:func:`medcrypt.sweep.learned`; one that is not installed here counts as CPU-only)."""
    from .data import flags_2d
    from .sweep import learned

    if cells.empty or timing.empty:
        return pd.DataFrame(columns=["cells", "CPU hours", "GPU hours"])

    def median_at(frame: pd.DataFrame, size: int) -> pd.Series:
        ran = frame[(frame["status"] == "ok") & (frame["size"] == size)]
        return ran.groupby("cipher")["wall_s"].median()

    def trains(spec: str) -> bool:
        try:
            return learned(spec)
        except (KeyError, ImportError, ValueError):
            return False

    at_28, at_64 = median_at(cells, 28), median_at(timing, 64)
    return grid_estimate(at_28, at_64, datasets=datasets or len(flags_2d()), seeds=seeds,
                         learned=[spec for spec in at_28.index if trains(spec)])


def estimate_sentence(estimate: pd.DataFrame) -> str:
    """The full grid's size and cost in one sentence, from :func:`grid_estimate`."""
    if estimate.empty:
        return "No timing sweep at 64×64 is in the store, so the full grid's cost is not estimated here."
    cells, cpu, gpu = int(estimate["cells"].sum()), estimate["CPU hours"].sum(), estimate["GPU hours"].sum()
    return (f"{cells:,} cells for {len(estimate)} ciphers, about {cpu:,.0f} CPU core-hours at this page's "
            f"speeds, of which {gpu:,.0f} are held by the cells of the ciphers that train a network (hybrids' codecs "
            f"included), which reserve a GPU on a cluster that has one: an upper bound on their GPU hours, since a "
            f"GPU shortens only their training. Sizes 128 and "
            f"224 are extrapolated from the measurements at 28 and 64, on a straight line in the pixel count.")


# ------------------------------------------------------------------ as a page shows them

def shown(table: pd.DataFrame) -> pd.DataFrame:
    """The leaderboard as text columns for a page (the commands are shown apart: they are long)."""
    from .formatting import significant

    varying = [c for c in ("profile", "images") if table[c].nunique(dropna=False) > 1]  # else said once, in prose
    out = table.drop(columns=["reproduce", "seconds per cell", *{"profile", "images"} - set(varying)]).copy()
    if "images" in out:
        out["images"] = [str(int(v)) if not pd.isna(v) else "the profile's" for v in out["images"]]
    broken = out["result"].str.startswith("FAIL: broken by ")
    out.loc[broken, "result"] = [f"FAIL in {len(r.split('; '))} column{'s' if ';' in r else ''}"
                                 for r in out.loc[broken, "result"]]
    out["share of the ceiling (%)"] = [significant(v, 2) if not pd.isna(v) else "unknown"
                                       for v in out["share of the ceiling (%)"]]
    out["effective key bits"] = [str(v) if not pd.isna(v) else "unknown" for v in out["effective key bits"]]
    out["size"] = [f"{s}×{s}" for s in out["size"]]
    return out.set_index(["dataset", "size", "cipher", *varying])


def commands_markdown(table: pd.DataFrame) -> str:
    """Each row's reproduce command as a Markdown code block, one line per row, grouped by dataset."""
    if table.empty:
        return "The store holds no cells yet, so there is no command to rerun."
    lines = []
    for dataset, group in table.groupby("dataset", sort=False):
        lines += [f"# {dataset}", *group["reproduce"]]
    return "```bash\n" + "\n".join(lines) + "\n```"


def shown_times(times: pd.DataFrame) -> pd.DataFrame:
    """:func:`cell_times` with seconds to one decimal."""
    out = times.copy()
    for column in ("median (s)", "min (s)", "max (s)"):
        out[column] = [f"{v:.1f}" for v in out[column]]
    return out


def shown_estimate(estimate: pd.DataFrame) -> pd.DataFrame:
    """:func:`grid_estimate` with whole cells and hours to one decimal, and a total row."""
    if estimate.empty:
        return estimate
    total = pd.DataFrame([estimate.sum()], index=["all ciphers"])
    out = pd.concat([estimate, total])
    out["cells"] = [f"{int(v):,}" for v in out["cells"]]
    for column in ("CPU hours", "GPU hours"):
        out[column] = [f"{v:,.1f}" for v in out[column]]
    return out
