"""The results store of ``medcrypt sweep``: a Parquet dataset, one file per finished cell.

A cell is one ``medcrypt evaluate`` run: a cipher on a dataset at a size with a seed and a
profile. Its row holds those keys, every verdict and figure of its report, the package
versions, the git commit, the device and the wall time (:func:`medcrypt.sweep.cell_row`
builds it). One file per cell, named by the hash of its keys, is what makes the store lose
nothing and repeat nothing:

* a file is written under a temporary name and renamed into place, so a killed writer
  leaves no half-written cell (only a temporary file, which readers ignore);
* a cell's file name is a function of its keys, so recording a cell twice replaces one file
  and can never add a second row;
* a finished cell is skipped by a rerun (:meth:`ResultsStore.finished`), so a sweep resumes;
  a cell recorded as failed is run again, and its success replaces the failure.

The folder is a plain Parquet dataset: ``pandas.read_parquet(folder)`` or
``pyarrow.dataset.dataset(folder)`` read it without this module. :meth:`ResultsStore.read`
reads it file by file so that a corrupt or truncated file is named in the error.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any

import pandas as pd

#: The columns that name a cell; together they decide its file.
KEYS = ("cipher", "dataset", "size", "seed", "profile", "images")
#: A cell's outcome: "ok" (the protocol ran; the verdicts say how the cipher fared) or "failed" (it raised).
STATUSES = ("ok", "failed")
SUFFIX = ".parquet"
#: Columns past the keys, by type (the ``verdict: <column>`` columns are added from :mod:`medcrypt.verdicts`).
#: One fixed schema for every file, so that ``pandas.read_parquet(folder)`` reads a failed cell beside a finished one.
TEXT = ("cell_id", "cipher", "dataset", "profile", "status", "error", "cipher_name", "cipher_class", "family",
        "weights", "broken_by", "reference_broken_by", "verdicts_json", "metrics_json", "report_json",
        "medcrypt_version", "versions_json", "device", "git_commit", "host", "worker", "started_utc", "finished_utc")
INTEGERS = ("size", "seed", "images", "n_images", "claimed_key_bits", "effective_key_bits")
FLOATS = ("ratio_to_ceiling", "encrypt_mb_per_s", "ceiling_mb_per_s", "evaluate_s", "wall_s")
BOOLEANS = ("passed_all",)
#: Files being written carry this prefix until they are renamed; readers skip them.
TEMPORARY_PREFIX = ".writing-"


class StoreError(RuntimeError):
    """The store cannot be read or written; the message names the file and what to do."""


def verdict_columns() -> list[str]:
    """The store's column for each verdict column of the report card: ``verdict: IND-CPA`` holds pass, FAIL or n/a."""
    from .verdicts import COLUMNS, STATISTICS

    return [f"verdict: {c}" for c in (*COLUMNS, STATISTICS)]


@functools.lru_cache(maxsize=1)
def schema():
    """The one Parquet schema of a cell's file (pyarrow is imported only when the store is used; built once,
    not once per file read or written)."""
    import pyarrow as pa

    types = {**{c: pa.string() for c in (*TEXT, *verdict_columns())}, **{c: pa.int64() for c in INTEGERS},
             **{c: pa.float64() for c in FLOATS}, **{c: pa.bool_() for c in BOOLEANS}}
    order = ["cell_id", *KEYS, "status", "error"]
    return pa.schema([(c, types[c]) for c in order + sorted(set(types) - set(order))])


def normal_keys(keys: dict[str, Any]) -> dict[str, Any]:
    """The keys of a cell in one form: text for names, ``int`` for size, seed and image count (None: the
    profile's), so that 28, 28.0 and ``numpy.int64(28)`` name one cell, not three."""
    missing = [k for k in KEYS if k not in keys]
    if missing:
        raise ValueError(f"a cell needs every key of {KEYS}; missing {missing}")
    images = keys["images"]
    if images is not None and images == images:  # NaN (a missing count read back by pandas) is None
        images = int(images)
    else:
        images = None
    return {"cipher": str(keys["cipher"]), "dataset": str(keys["dataset"]), "size": int(keys["size"]),
            "seed": int(keys["seed"]), "profile": str(keys["profile"]), "images": images}


def cell_id(keys: dict[str, Any]) -> str:
    """A short stable name for a cell: the SHA-256 of its keys (:func:`normal_keys`) as canonical JSON, 16 hex
    digits."""
    canonical = json.dumps(normal_keys(keys), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


class ResultsStore:
    """A folder of Parquet files, one per recorded cell (see the module's docstring)."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def path(self, keys: dict[str, Any]) -> Path:
        return self.folder / f"cell-{cell_id(keys)}{SUFFIX}"

    def files(self) -> list[Path]:
        """The recorded cells' files, sorted (temporary files of an interrupted write are not among them)."""
        if not self.folder.exists():
            return []
        return sorted(p for p in self.folder.glob(f"*{SUFFIX}") if not p.name.startswith(TEMPORARY_PREFIX))

    def append(self, row: dict[str, Any]) -> Path:
        """Record one cell (a finished or a failed one), atomically; returns its file.

        The row must carry every key of :data:`KEYS` and a ``status`` of :data:`STATUSES`.
        A finished cell is never overwritten by a failure of the same cell.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        if row.get("status") not in STATUSES:
            raise ValueError(f"a cell's status must be one of {STATUSES}; got {row.get('status')!r}")
        layout = schema()
        unknown = sorted(set(row) - set(layout.names))
        if unknown:
            raise ValueError(f"the store has no column for {unknown}; add it to medcrypt.store's schema")
        target = self.path(row)
        if row["status"] == "failed" and self._finished_file(target):
            return target
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f"{TEMPORARY_PREFIX}{uuid.uuid4().hex}{SUFFIX}"
        table = pa.Table.from_pylist([{**row, **normal_keys(row), "cell_id": cell_id(row)}], schema=layout)
        try:  # page checksums: a flipped byte in a page is caught when the file is read back
            pq.write_table(table, temporary, compression="zstd", write_page_checksum=True)
            with open(temporary, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
        return target

    def _finished_file(self, path: Path) -> bool:
        return path.exists() and self._read_file(path)["status"].eq("ok").all()

    def _read_file(self, path: Path) -> pd.DataFrame:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(path, page_checksum_verification=True)
            a_cell = {"cell_id", "status"} <= set(table.schema.names)  # a foreign file is named below instead
            if a_cell and not table.schema.equals(schema(), check_metadata=False):
                raise ValueError("its schema (the footer, which no page checksum covers) differs from the store's")
            frame = table.to_pandas(ignore_metadata=True)
        except Exception as exc:  # Arrow's errors, a bad page checksum, undecodable text: all one answer
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise StoreError(f"{path} is not a readable Parquet file ({type(exc).__name__}: {reason}); it is corrupt "
                             "or was cut short. Delete it and rerun the sweep: that cell is run again") from exc
        missing = [k for k in ("cell_id", "status", *KEYS) if k not in frame.columns]
        if len(frame) != 1 or missing:
            raise StoreError(f"{path} is not a cell of a medcrypt results store ({len(frame)} rows, missing columns "
                             f"{missing}); move it out of {self.folder}")
        expected = self.path(frame.iloc[0].to_dict())
        if frame.iloc[0]["cell_id"] != cell_id(frame.iloc[0].to_dict()) or path.name != expected.name:
            raise StoreError(f"{path} holds the cell {expected.name} under another name (a copy, or a renamed file); "
                             f"keep one file per cell: delete {path.name} if {expected.name} is there, else rename it")
        return frame

    def read(self) -> pd.DataFrame:
        """Every recorded cell, one row each (an empty frame for an empty or missing folder).

        Raises :class:`StoreError` naming the first file that cannot be read.
        """
        frames = [self._read_file(path) for path in self.files()]
        if not frames:
            return pd.DataFrame(columns=["cell_id", "status", *KEYS])
        return pd.concat(frames, ignore_index=True)

    def finished(self) -> set[str]:
        """The ids of the cells recorded as finished: a rerun skips exactly these."""
        frame = self.read()
        return set(frame.loc[frame["status"] == "ok", "cell_id"])

    def failed(self) -> pd.DataFrame:
        frame = self.read()
        return frame[frame["status"] == "failed"]

