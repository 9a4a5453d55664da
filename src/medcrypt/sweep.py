"""``medcrypt sweep``: ``medcrypt evaluate`` over a grid of ciphers × datasets × sizes × seeds, scheduled by Ray.

Each cell of the grid is one :func:`medcrypt.evaluate.run` (the whole protocol, beside
AES-CTR). The cells are independent, so an existing distributed engine schedules them:
Ray, on a local instance by default (one worker per CPU core, or ``--workers``) or on an
existing cluster (``--address``; ``ray up`` or Ray on SLURM start one). A learned cipher's
cell asks Ray for a GPU when the cluster has one.

The driver alone writes the results store (:mod:`medcrypt.store`): a worker returns its
cell's row and the driver appends it, so a worker that dies cannot leave a half-written
or a duplicated cell. A cell whose evaluation raises is recorded as failed with its error;
a cell whose worker dies is retried by Ray (``--retries``) and, if it dies every time,
recorded as failed too. Cells already finished in the store are skipped, so an
interrupted sweep resumes where it stopped.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import itertools
import json
import os
import shlex
import socket
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Iterable

from . import store as results_store
from .store import ResultsStore

#: MedMNIST's image sizes.
SIZES = (28, 64, 128, 224)
#: The engine's pin, as requirements.txt has it (the error message for a missing Ray quotes it).
RAY_REQUIREMENT = "ray==2.60.0"
#: Ray tries a task this many times more when its worker process dies (a crash, the OOM killer, a lost node).
DEFAULT_RETRIES = 1


class SweepError(RuntimeError):
    """The sweep cannot start; the message says what to do."""


@dataclasses.dataclass(frozen=True)
class Cell:
    """One ``medcrypt evaluate`` run: the keys of its row in the store (``images`` None: the profile's count)."""

    cipher: str
    dataset: str
    size: int
    seed: int
    profile: str = "ci"
    images: int | None = None

    def keys(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @property
    def id(self) -> str:
        return results_store.cell_id(self.keys())

    def __str__(self) -> str:
        return f"{self.cipher} on {self.dataset} {self.size}×{self.size}, seed {self.seed}, {self.profile}"


def grid(ciphers: Iterable[str], datasets: Iterable[str], sizes: Iterable[int], seeds: Iterable[int],
         profile: str = "ci", images: int | None = None) -> list[Cell]:
    """Every combination, in a stable order, each once (a name given twice is one cipher)."""
    unique = [list(dict.fromkeys(values)) for values in (ciphers, datasets, sizes, seeds)]
    return [Cell(c, d, int(s), int(seed), profile, images) for c, d, s, seed in itertools.product(*unique)]


# ------------------------------------------------------------------ naming ciphers

def resolve(spec: str) -> type:
    """The class a user names: a registry name (the book's ciphers and installed plugins'), ``module:Class``
    or ``path/to/file.py:Class``. Raises :class:`~medcrypt.ciphers.plugins.PluginError` naming the choices."""
    from .ciphers import available, factory
    from .ciphers.plugins import PluginError, load_class

    if ":" in spec:
        return load_class(spec)
    try:
        return factory(spec)
    except KeyError:
        raise PluginError(f"no cipher named {spec!r}: give a registered name ({', '.join(available())}), "
                          "package.module:Class or path/to/file.py:Class") from None


def located(spec: str) -> str:
    """``spec`` with a file path made absolute, so that a worker with another working directory finds it."""
    module, sep, attribute = spec.rpartition(":")
    if sep and module.endswith(".py"):
        return f"{Path(module).resolve()}:{attribute}"
    return spec


def learned(spec: str) -> bool:
    """Whether the cipher trains a network (:func:`medcrypt.ciphers.base.trains`, hybrids' codecs included): its
    cell asks for a GPU where the cluster has one."""
    from .ciphers.base import trains

    return trains(resolve(spec))


def gpu_request(trains_a_network: bool, cluster_has_gpu: bool, per_cell: float = 1.0) -> float:
    """The GPUs a cell asks Ray for: ``per_cell`` for a cipher that trains, on a cluster with GPUs; else none
    (Ray then hides the GPUs from the cell, so a CPU-only cipher never holds one)."""
    return per_cell if trains_a_network and cluster_has_gpu else 0.0


# ------------------------------------------------------------------ one cell (runs in a worker)

def _utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def cell_row(cell: Cell, payload: dict) -> dict[str, Any]:
    """The store's row of a finished cell: its keys, the candidate's every verdict and figure, provenance."""
    from . import verdicts

    name = payload["cipher"]
    cells = payload["verdicts"][name]
    summary = {r["cipher"]: r for r in payload["tables"]["summary"]}[name]
    metrics_row = next(r for r in payload["tables"]["metrics"] if r["cipher"] == name)
    speed = next(r for r in payload["tables"]["throughput"] if r["cipher"] == name)
    reference = payload["verdicts"][payload["reference"]]
    columns = [c for c in (*verdicts.COLUMNS, verdicts.STATISTICS) if c in cells]
    return {
        **cell.keys(), "status": "ok", "error": None,
        "cipher_name": name, "cipher_class": payload["class"], "family": summary.get("family"),
        "n_images": payload["n_images"], "weights": payload["weights"],
        "passed_all": bool(payload["passed_all"][name]),
        "broken_by": "; ".join(c for c in columns if cells[c]["passed"] is False),
        **{f"verdict: {c}": cells[c]["state"] for c in columns},
        "claimed_key_bits": summary.get("claimed key bits"), "effective_key_bits": summary.get("effective key bits"),
        "ratio_to_ceiling": speed.get("ratio_to_ceiling"), "encrypt_mb_per_s": speed.get("encrypt_mb_per_s"),
        "ceiling_mb_per_s": payload["ceiling_mb_per_s"],
        "reference_broken_by": "; ".join(c for c, v in reference.items() if v["passed"] is False),
        "verdicts_json": json.dumps(cells), "metrics_json": json.dumps(metrics_row),
        "report_json": json.dumps(payload),
        "medcrypt_version": payload["versions"].get("medcrypt"), "versions_json": json.dumps(payload["versions"]),
        "device": payload["device"], "evaluate_s": payload["timings"]["total_s"],
    }


def failed_row(cell: Cell, error: str) -> dict[str, Any]:
    """The store's row of a cell that raised or whose worker died: its keys and the error, nothing invented."""
    from .metrics import device_name
    from .results import versions

    found = versions()
    return {**cell.keys(), "status": "failed", "error": error, "medcrypt_version": found.get("medcrypt"),
            "versions_json": json.dumps(found), "device": device_name()}


def run_cell(cell: Cell, spec: str | None = None, data_root: str | None = None) -> dict[str, Any]:
    """Evaluate one cell and return its row; an exception becomes a failed row (the sweep goes on).

    ``spec`` is where this process finds the cipher (:func:`located`); the row keeps the name the user gave.
    """
    from . import evaluate
    from .results import git_commit

    started, clock = _utc_now(), time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="medcrypt-sweep-") as out:
            payload = evaluate.run(resolve(spec or cell.cipher), out=out, dataset=cell.dataset, size=cell.size,
                                   images=cell.images, profile=cell.profile, data_root=data_root, seed=cell.seed)
        row = cell_row(cell, payload)
    except Exception as exc:  # recorded, never raised: one broken cell must not stop a grid of hundreds
        last = traceback.format_exc(limit=-3).strip().splitlines()
        row = failed_row(cell, f"{type(exc).__name__}: {exc} | {' / '.join(line.strip() for line in last[-4:])}")
    host = socket.gethostname()
    row.update({"git_commit": git_commit(), "host": host, "worker": f"{host}:{os.getpid()}",
                "started_utc": started, "finished_utc": _utc_now(), "wall_s": time.perf_counter() - clock})
    return row


# ------------------------------------------------------------------ the grid on Ray

@dataclasses.dataclass
class SweepSummary:
    """What one call of :func:`sweep` did: cells in the grid, skipped as already finished, run, failed."""

    cells: int
    skipped: int
    finished: int = 0
    failed: int = 0
    wall_s: float = 0.0
    store: str = ""

    def line(self) -> str:
        return (f"{self.cells} cells: {self.skipped} already in the store, {self.finished} finished, "
                f"{self.failed} failed, in {self.wall_s:.0f} s; store {self.store}")


def _ray():
    try:
        import ray
    except ImportError:
        raise SweepError(f"medcrypt sweep needs Ray: pip install '{RAY_REQUIREMENT}' (the README's `make` commands "
                         "install it with requirements.txt)") from None
    return ray


def _worker_died(cell: Cell, exc: BaseException) -> dict[str, Any]:
    """The row of a cell whose task never returned: its worker died every time Ray tried it (or the task was
    stopped from outside ``run_cell``, by ``sys.exit`` in a cipher for example). Where it ran is unknown."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    row = failed_row(cell, f"the worker running this cell died or its task was stopped ({type(exc).__name__}: "
                           f"{first}); Ray's retries were used up")
    row.update({"device": None, "git_commit": None, "host": None, "worker": None, "started_utc": None,
                "finished_utc": _utc_now(), "wall_s": None})
    return row


def sweep(cells: Iterable[Cell], store: str | Path, *, address: str | None = None, workers: int | None = None,
          retries: int = DEFAULT_RETRIES, data_root: str | None = None, gpus_per_learned_cell: float = 1.0,
          progress: bool = True) -> SweepSummary:
    """Run every cell not yet finished in ``store`` on Ray, appending each row as it arrives.

    Uses the Ray instance this process is already connected to, if any; otherwise starts a
    local one with ``workers`` CPUs (all cores by default), or connects to ``address``, and
    shuts down what it started.
    """
    from tqdm import tqdm

    clock = time.perf_counter()
    results = ResultsStore(store)
    results.folder.mkdir(parents=True, exist_ok=True)  # an unwritable store fails here, before any cell runs
    cells = list(dict.fromkeys(cells))
    finished = results.finished()
    todo = [c for c in cells if c.id not in finished]
    summary = SweepSummary(len(cells), len(cells) - len(todo), store=str(results.folder))
    if not todo:
        return summary
    specs = {c.cipher: located(c.cipher) for c in todo}
    wants_gpu = {c.cipher: learned(c.cipher) for c in todo}  # also fails early, on the driver, for a bad name
    ray = _ray()
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, num_cpus=workers if address is None else None, include_dashboard=False,
                 log_to_driver=False, runtime_env={"env_vars": {"TQDM_DISABLE": "1"}})
    try:
        has_gpu = ray.cluster_resources().get("GPU", 0) > 0
        task = ray.remote(run_cell)
        pending = {}
        for cell in todo:
            gpus = gpu_request(wants_gpu[cell.cipher], has_gpu, gpus_per_learned_cell)
            ref = task.options(num_cpus=1, num_gpus=gpus, max_retries=retries, retry_exceptions=False,
                               name=f"medcrypt-cell {cell.id}").remote(cell, specs[cell.cipher], data_root)
            pending[ref] = cell
        bar = tqdm(total=len(todo), desc="medcrypt sweep", unit="cell", disable=not progress)
        bar.set_postfix(done=0, failed=0, remaining=len(todo))
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            cell = pending.pop(ready[0])
            try:
                row = ray.get(ready[0])
            except ray.exceptions.RayError as exc:  # the worker died every time (run_cell itself never raises)
                row = _worker_died(cell, exc)
            results.append(row)
            if row["status"] == "ok":
                summary.finished += 1
            else:
                summary.failed += 1
            bar.set_postfix(done=summary.finished, failed=summary.failed, remaining=len(pending), refresh=False)
            bar.update()
        bar.close()
    finally:
        if started_here:
            ray.shutdown()
    summary.wall_s = time.perf_counter() - clock
    return summary


def measure_overhead(cells: list[Cell], *, data_root: str | None = None) -> dict[str, float]:
    """What Ray adds per cell: the same cells run one after another in this process (plain ``evaluate``), then
    through :func:`sweep` on a fresh local Ray instance with one worker (start-up included). Seconds; a benchmark
    for notes (``make bench-sweep``), never a test."""
    clock = time.perf_counter()
    for cell in cells:
        run_cell(cell, data_root=data_root)
    plain = time.perf_counter() - clock
    with tempfile.TemporaryDirectory(prefix="medcrypt-overhead-") as folder:
        clock = time.perf_counter()
        summary = sweep(cells, folder, workers=1, data_root=data_root, progress=False)
        on_ray = time.perf_counter() - clock
    if summary.failed:
        raise RuntimeError(f"{summary.failed} cells failed; the overhead is measured on cells that run")
    return {"cells": len(cells), "plain_s": plain, "ray_s": on_ray, "overhead_per_cell_s": (on_ray - plain) / len(cells)}


# ------------------------------------------------------------------ command line

def command(cell_or_cells: Cell | Iterable[Cell], store: str = "rerun") -> str:
    """The ``medcrypt sweep`` command line that runs exactly these cells (one cipher, dataset, size, profile;
    their seeds) into a fresh store: the leaderboard prints it beside each row."""
    cells = [cell_or_cells] if isinstance(cell_or_cells, Cell) else list(cell_or_cells)
    first = cells[0]
    same = {(c.cipher, c.dataset, c.size, c.profile, c.images) for c in cells}
    if len(same) != 1:
        raise ValueError(f"one command runs one cipher, dataset, size and profile; got {sorted(same, key=str)}")
    seeds = " ".join(str(s) for s in sorted({c.seed for c in cells}))
    images = f" --images {first.images}" if first.images is not None else ""
    quote = shlex.quote  # a file path or a store folder with a space stays one argument
    return (f"medcrypt sweep --cipher {quote(first.cipher)} --dataset {quote(first.dataset)} --size {first.size} "
            f"--seed {seeds} --profile {quote(first.profile)}{images} --store {quote(str(store))}")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="medcrypt sweep", description="Run medcrypt evaluate over ciphers × datasets × sizes × seeds on Ray, "
        "appending each finished cell to a Parquet results store (a rerun skips the cells already there).")
    p.add_argument("--cipher", nargs="+", default=[], help="registered names, package.module:Class or "
                   "path/to/file.py:Class")
    p.add_argument("--registered", action="store_true", help="every registered cipher: the book's and those of "
                   "installed plugins (entry-point group medcrypt.ciphers)")
    p.add_argument("--dataset", nargs="+", default=["pneumoniamnist"], help="2D MedMNIST flags")
    p.add_argument("--size", nargs="+", type=int, default=[28], choices=SIZES)
    p.add_argument("--seed", nargs="+", type=int, default=[1, 2, 3])
    p.add_argument("--profile", default="ci", choices=["ci", "full", "smoke"], help="chapter 8's sizes (default ci; "
                   "smoke checks the plumbing only, its passes mean nothing)")
    p.add_argument("--images", type=int, default=None, help="test images per cell (default: the profile's)")
    p.add_argument("--store", required=True, help="folder of the Parquet results store (created when missing)")
    p.add_argument("--address", default=None, help="an existing Ray cluster (for example auto or ray://head:10001); "
                   "default: a local Ray instance")
    p.add_argument("--workers", type=int, default=None, help="CPUs of the local instance (default: every core)")
    p.add_argument("--retries", type=int, default=DEFAULT_RETRIES, help="retries of a cell whose worker dies")
    p.add_argument("--data-root", default=None, help="MedMNIST folder (default $MEDMNIST_ROOT or ~/.medmnist)")
    return p


def main(argv: list[str] | None = None) -> int:
    """``medcrypt sweep ...``: 0 when every cell is in the store (failed ones included, each with its error);
    2 on a usage error (a bad cipher name, dataset or store folder) before any cell runs, or on a store that
    cannot be read or written (a rerun then goes on from the cells already recorded)."""
    from .ciphers import available
    from .ciphers.checks import OneLineParser, UsageError
    from .ciphers.plugins import PluginError
    from .data import flags_2d

    p = parser()
    p.__class__ = OneLineParser
    try:
        args = p.parse_args(argv)
        ciphers = list(args.cipher) + (available() if args.registered else [])
        if not ciphers:
            raise UsageError("name ciphers with --cipher, or pass --registered for every registered cipher")
        unknown = [d for d in args.dataset if d not in flags_2d()]
        if unknown:
            raise UsageError(f"unknown 2D MedMNIST flag(s) {unknown}; choose from {', '.join(flags_2d())}")
        for spec in dict.fromkeys(ciphers):
            resolve(spec)
        cells = grid(ciphers, args.dataset, args.size, args.seed, args.profile, args.images)
        try:
            Path(args.store).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the store folder {args.store} ({exc.strerror or exc}); pass a "
                             "writable --store") from None
        print(f"medcrypt sweep: {len(cells)} cells into {args.store}", file=sys.stderr)
        summary = sweep(cells, args.store, address=args.address, workers=args.workers, retries=args.retries,
                        data_root=args.data_root)
    except (UsageError, PluginError, SweepError, results_store.StoreError, ValueError) as exc:
        print(f"medcrypt sweep: error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
              file=sys.stderr)
        return 2
    print(f"medcrypt sweep: {summary.line()}")
    return 0
