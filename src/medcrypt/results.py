"""The results store: each chapter writes ``<results_dir>/NN_name.json``; chapter 9 reads them all.

A file holds ``{"metadata": {...}, "rows": [...]}``. The metadata records what is needed
to reproduce or question a number: package versions, device, seed, profile, wall time,
and, for chapters that train learned ciphers, ``"checkpoints"``: the file (relative to
``weights_dir``) each registered cipher they evaluated was loaded from or saved to.
"""

from __future__ import annotations

import json
import math
import numbers
import platform
import subprocess
import sys
import time
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from . import formatting, metrics
from .metrics import device_name

TRACKED_PACKAGES = ("medcrypt", "numpy", "scipy", "scikit-image", "cryptography", "nistrng", "torch",
                    "torchvision", "medmnist", "pandas", "pydicom", "dicom-anonymizer")


def plain(value, *, strict: bool = False):
    """``value`` with every NumPy scalar or array turned into plain Python numbers and lists.

    The one converter for every use: ``{glue:text}`` cannot format a NumPy 2 scalar (its repr is
    ``np.float64(...)``) and :mod:`json` cannot write one. Dict keys become strings, tuples
    stay tuples (JSON writes them as lists), anything else is returned unchanged. ``strict``
    gives values that strict JSON (``allow_nan=False``) can write, for a file read by other
    tools: NaN becomes ``None`` and an infinity the string ``"inf"`` or ``"-inf"``.
    """
    if isinstance(value, dict):
        return {str(k): plain(v, strict=strict) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v, strict=strict) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v, strict=strict) for v in value)
    if isinstance(value, np.ndarray):
        return plain(value.tolist(), strict=strict)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        return value
    value = int(value) if isinstance(value, numbers.Integral) else float(value)
    if strict and isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def versions() -> dict[str, str | None]:
    """Installed versions of the packages that can change a number in the book."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in TRACKED_PACKAGES:
        try:
            out[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_commit(root: Path | None = None) -> str:
    """The short commit hash of the checkout at ``root`` (the package's repository by default), with
    ``-dirty`` when tracked files differ from it (a result from edited code cannot be rerun from the hash),
    or "no git checkout" for an installed copy or a folder without ``.git``."""
    from .paths import REPO_ROOT

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(root or REPO_ROOT), *args], capture_output=True, text=True, timeout=30)

    try:
        head, status = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "no git checkout"
    if head.returncode != 0 or not head.stdout.strip():
        return "no git checkout"
    return head.stdout.strip() + ("-dirty" if status.stdout.strip() else "")


def run_metadata(*, chapter: str, profile: str, seed: int, wall_time_s: float, **extra: Any) -> dict[str, Any]:
    return {
        "chapter": chapter,
        "profile": profile,
        "seed": seed,
        "wall_time_s": wall_time_s,
        "device": device_name(),
        "platform": platform.platform(),
        "versions": versions(),
        "argv": sys.argv[:1],
        **extra,
    }


def write_results(results_dir: str | Path, chapter: str, rows: Iterable[dict], metadata: dict) -> Path:
    """Write one chapter's rows and metadata to ``results_dir/chapter.json`` and return the path.

    The run's profile is stamped here, once, on every row (``metadata["profile"]``), so that
    the metric code never carries it: a row is what was measured, the file says which run.
    """
    if not metadata.get("profile"):
        raise ValueError("metadata has no 'profile'; build it with results.run_metadata(profile=...)")
    folder = Path(results_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{chapter}.json"
    payload = {"metadata": plain(metadata), "rows": [{**plain(dict(r)), "profile": metadata["profile"]} for r in rows]}
    # allow_nan keeps inf (lossless PSNR) and NaN; Python and pandas read them back.
    path.write_text(json.dumps(payload, indent=2, allow_nan=True))
    return path


def save_chapter(results_dir: str | Path, chapter: str, rows: Iterable[dict], *, profile: str, seed: int,
                 started: float, **extra: Any) -> Path:
    """The ending of every chapter: its rows and run metadata (wall time since ``started``) written to one file.

    ``started`` is the ``time.perf_counter()`` reading taken when the chapter began; ``extra``
    goes into the metadata as it is (checkpoints, losses, attack timings ...).
    """
    metadata = run_metadata(chapter=chapter, profile=profile, seed=seed,
                            wall_time_s=time.perf_counter() - started, **extra)
    return write_results(results_dir, chapter, rows, metadata)


def evaluate_all(contenders: dict[str, tuple[Any, Any]], tests: dict[str, np.ndarray], *,
                 training_time_s: dict[str, float] | None = None, **evaluate_options: Any) -> list[dict]:
    """Every cipher of ``contenders`` (display label -> (cipher, key)) on every test set, one row each.

    Rows come dataset by dataset, in the order of ``tests`` and then of ``contenders``. A row's
    ``cipher`` is its display label ("inn-coupling (trained)"); ``registry_name`` is the name its
    class is registered under (an instance may rename itself, as "ae-latent-gcm-32" does), which
    is what :func:`medcrypt.ciphers.get` and the checkpoints know.
    ``training_time_s`` maps labels to training seconds; ``evaluate_options`` (seed, alpha,
    nist_bits) go to :func:`medcrypt.metrics.evaluate`.
    """
    if "profile" in evaluate_options:
        raise ValueError("do not pass profile= to evaluate_all; results.write_results stamps it on every row")
    if not contenders or not tests:
        raise ValueError("evaluate_all needs at least one cipher in contenders and one test set in tests")
    training_time_s = training_time_s or {}
    unknown = set(training_time_s) - set(contenders)
    if unknown:
        raise ValueError(f"training_time_s names {sorted(unknown)}, which are not labels of contenders")
    rows = []
    for dataset, images in tests.items():
        for label, (cipher, key) in contenders.items():
            row = metrics.evaluate(cipher, images, key, dataset=dataset,
                                   training_time_s=training_time_s.get(label), **evaluate_options)
            rows.append({**row, "cipher": label, "registry_name": getattr(type(cipher), "name", cipher.name)})
    return rows


def recorded_checkpoints(results_dir: str | Path) -> dict[str, list[tuple[str, str]]]:
    """Every chapter's recorded checkpoints in ``results_dir``: cipher name -> [(chapter, file name), ...].

    A later chapter (the attacks of chapter 8) loads exactly the models the chapters of the
    same run evaluated, rather than guessing from the weights folder, which other runs may
    have written to. Chapters are listed in chapter order; a folder without results gives {}.
    """
    recorded: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(Path(results_dir).glob("*.json")):
        checkpoints = json.loads(path.read_text()).get("metadata", {}).get("checkpoints", {})
        for name, file in checkpoints.items():
            recorded.setdefault(name, []).append((path.stem, str(file)))
    return recorded


#: The one table of metric columns, results key -> (label, decimals): the chapters' tables and chapter 9's
#: leaderboard take their labels from here, so a column reads the same on every page.
METRIC_COLUMNS = {
    "entropy_per_image": ("Entropy / image (bits)", 4),
    "entropy_pooled": ("Entropy pooled (bits)", 4),
    "chi2_p_pooled": ("χ² p pooled", 3),
    "corr_h_pooled": ("Corr. H", 4),
    "corr_v_pooled": ("Corr. V", 4),
    "corr_d_pooled": ("Corr. D", 4),
    "npcr": ("NPCR %", 2),
    "uaci": ("UACI %", 2),
    "key_npcr": ("Key NPCR %", 2),
    "decrypt_psnr": ("PSNR (dB)", 2),
    "decrypt_ssim": ("SSIM", 3),
    "bit_exact_rate": ("Bit-exact %", 1),
    "wrong_key_psnr": ("Wrong-key PSNR (dB)", 2),
    "nist_passed": ("NIST passed", 0),
    "nist_run": ("NIST rows run", 0),
    "encrypt_mb_per_s": ("Encrypt MB/s", 1),
}
#: The columns of a chapter's summary table (SSIM and the NIST denominator are added where they matter).
SUMMARY_COLUMNS = {key: spec for key, spec in METRIC_COLUMNS.items() if key not in ("decrypt_ssim", "nist_run")}
#: Fractions in [0, 1], shown in percent.
PERCENT_COLUMNS = {"npcr", "uaci", "key_npcr", "bit_exact_rate"}


def label(key: str) -> str:
    """The column label of the results key ``key`` (:data:`METRIC_COLUMNS`)."""
    if key not in METRIC_COLUMNS:
        raise ValueError(f"no metric column {key!r}; the columns are: {', '.join(METRIC_COLUMNS)}")
    return METRIC_COLUMNS[key][0]


def summary_table(rows: Iterable[dict] | pd.DataFrame, columns: dict = SUMMARY_COLUMNS) -> pd.DataFrame:
    """A display table, one row per cipher: fractions shown in percent, values rounded."""
    frame = pd.DataFrame(rows).set_index("cipher")
    out = pd.DataFrame(index=frame.index)
    for key, (label, digits) in columns.items():
        if key not in frame:
            continue
        values = frame[key].astype(float) * (100 if key in PERCENT_COLUMNS else 1)
        out[label] = values.round(digits).astype("Int64") if digits == 0 else values.round(digits)
    if "wrong_key_rejected" in frame and frame["wrong_key_rejected"].fillna(False).astype(bool).any():
        out["Wrong key rejected"] = frame["wrong_key_rejected"].fillna(False).astype(bool)
    out.index.name = "cipher"
    return out


def styled(table: pd.DataFrame, columns: dict = SUMMARY_COLUMNS):
    """The summary table for display: each column at its precision, ∞ for lossless PSNR, – for no value.

    A missing value means the metric does not apply (no wrong-key PSNR when AES-GCM
    rejects the key; no vertical neighbours in a 1-row latent code), never a failure.
    """
    digits = {label: d for label, d in columns.values()}

    def formatter(d):
        return lambda value: formatting.number(value, d) if isinstance(value, float) else formatting.text(value)

    return table.style.format({c: formatter(digits.get(c, 4)) for c in table.columns
                               if table[c].dtype.kind in "fiu" or str(table[c].dtype) == "Int64"})


def readable(table: pd.DataFrame, missing: str = formatting.MISSING, digits: int = 4) -> pd.DataFrame:
    """``table`` as text a reader can take in: yes/no for booleans, ∞ for infinite values, ``missing`` for
    NaN and None, whole numbers without a decimal point, other numbers to ``digits`` significant digits."""

    return table.apply(lambda column: column.map(lambda v: formatting.text(v, digits, missing))).astype(object)


PROFILE_MEANING = {"ci": "small subsets, so that CI runs the whole book in minutes on two CPU cores",
                   "full": "the book-quality run"}


def run_banner(profile: str, seconds: float, date: str, machine: str, metadata: dict | None = None,
               training: tuple[str, int, int, int] | None = None) -> str:
    """The note under a chapter's title that says which run produced every number on the page.

    ``metadata`` is the chapter's results metadata when it wrote one: its training device
    (``device_training``) and package versions are named, so "on a CPU" is never typed;
    PyTorch is named only for a chapter that trains or loads networks. ``training`` is
    (dataset, images used, images in the local copy of its training split, images in the
    official split), so that a subset copy is said on every page that trained on it.
    """
    if profile not in PROFILE_MEANING:
        raise ValueError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILE_MEANING)}")
    metadata = metadata or {}
    trained = metadata.get("device_training")
    where = f"on {machine}" + (f", training on {'the GPU' if trained.startswith('cuda') else 'the CPU'}"
                               if isinstance(trained, str) else "")
    versions = metadata.get("versions") or {}
    networks = "device_training" in metadata or "checkpoints" in metadata
    pinned = ", ".join(f"{label} {versions[key]}" for key, label in
                       (("torch", "PyTorch"), ("numpy", "NumPy"), ("pandas", "pandas"))
                       if versions.get(key) and (key != "torch" or networks))
    note = ""
    if training is not None:
        dataset, used, found, official = training
        split = f"the training split of {dataset}" + (f" ({official:,} images)" if found == official else
                                                      f" as this machine holds it ({found:,} of the official "
                                                      f"{official:,} images: a subset copy)")
        note = f" It trained on {'all ' if used == found else ''}{used:,} images of {split}."
    return ("```{admonition} The run behind this page\n:class: note\n"
            f"Every number, table and figure below comes from the `{profile}` profile ({PROFILE_MEANING[profile]}), "
            f"executed on {date} in {seconds:.0f} s {where}" + (f" with {pinned}" if pinned else "") + "." + note +
            "\n```")


#: Row entries that measure what the key does; they have no meaning for a cipher without a key.
KEY_METRICS = ("key_npcr", "key_uaci", "key_npcr_pass_rate", "key_uaci_pass_rate", "wrong_key_psnr",
               "wrong_key_ssim", "wrong_key_rejected")


def without_key_tests(rows: Iterable[dict]) -> list[dict]:
    """Copies of ``rows`` in which a cipher without a key (``key_bits`` 0) has no key-sensitivity or wrong-key value.

    Flipping a key bit of a keyless cipher changes nothing, so its measured key NPCR is 0 and its
    "wrong-key" decryption is its ordinary one; a table would print those as results. With the
    values set to None, :func:`styled` shows "–", the mark for a test that does not apply.
    Rows of keyed ciphers, and rows that do not record ``key_bits``, are returned unchanged.
    """
    out = []
    for row in rows:
        row = dict(row)
        bits = row.get("key_bits")
        if not formatting.is_missing(bits) and int(bits) == 0:
            row.update({metric: None for metric in KEY_METRICS if metric in row})
        out.append(row)
    return out
