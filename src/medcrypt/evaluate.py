"""``medcrypt evaluate``: the book's whole protocol on one cipher from outside the book, beside AES-CTR.

A paper's author or reviewer names a class (``module:Class`` or ``path/to/file.py:Class``);
:func:`run` checks that it keeps the ``Cipher`` contract, runs the metric suite of chapter 1,
every attack of chapter 8 with the sizes of a book profile, the key audit and a throughput
measurement, on the candidate and on AES-CTR in the same run (so a reader can see what a
sound cipher scores on the same images), and writes ``report.json`` and a self-contained
``report.html``. :func:`main` is the command line; it exits 2 with one line when the
cipher cannot be evaluated and 0 whenever the protocol ran, whatever the verdicts.
"""

from __future__ import annotations

import argparse
import inspect
import io
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import bench, data, formatting, metrics, plots, report, results, verdicts
from .attacks import protocol
from .ciphers import checks, get
from .ciphers.base import image_shaped
from .ciphers.plugins import PluginError, build, describe, load_class

REFERENCE = "aes-ctr"
SEED = 2026


class ContractError(ValueError):
    """The cipher breaks the ``Cipher`` contract; the message says which rule in one line."""


# ------------------------------------------------------------------ building and checking the candidate

def train_if_learned(cipher, images: np.ndarray, *, epochs: int, seed: int = SEED) -> str:
    """Train a learned cipher (one with ``quick_fit``, ``fit`` or ``train``) with its defaults; says what was done.

    A cipher whose training fails raises :class:`ContractError` naming the method, so the
    command line can print one line instead of a traceback.
    """
    for method in ("quick_fit", "fit", "train"):
        fit = getattr(cipher, method, None)
        if callable(fit):
            break
    else:
        return "no training"
    wanted = inspect.signature(fit).parameters
    offered = {"epochs": epochs, "seed": seed}
    try:
        fit(images, **{k: v for k, v in offered.items() if k in wanted})
    except Exception as exc:
        raise ContractError(f"{cipher.name}: {method}(images) failed ({type(exc).__name__}: {exc}); pass trained "
                            "weights with --weights or give the method working defaults") from exc
    return f"trained now with {method}() on {len(images)} images, {epochs} epoch{'' if epochs == 1 else 's'}"


def check_attributes(cipher) -> None:
    """The members the suite calls (:func:`~medcrypt.ciphers.checks.check_attributes`); raises :class:`ContractError`."""
    result = checks.check_attributes(cipher, None, None)
    if result.passed is False:
        raise ContractError(f"{getattr(cipher, 'name', type(cipher).__name__)}: {result.detail}")


def check_contract(cipher, images: np.ndarray, key) -> list[dict[str, Any]]:
    """The conformance checks (:mod:`medcrypt.ciphers.checks`) as report rows: check, passed (None: n/a), detail.

    Only a fatal failure (a broken round trip, output that is not one ``uint8`` cipher image
    per image, a missing member) raises :class:`ContractError`, since every measurement after
    it would be meaningless; any other failure is a finding the report keeps, and the run goes on.
    """
    results = checks.run_checks(cipher, images, key)
    fatal = next((r for r in results if r.fatal), None)
    if fatal is not None:
        raise ContractError(f"{cipher.name}: {fatal.name}: {fatal.detail}")
    return [{"check": r.title, "id": r.name, "passed": r.passed, "detail": r.detail} for r in results]


# ------------------------------------------------------------------ the protocol

def _figure_png(fig) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _load_data(dataset: str, size: int, root):
    with warnings.catch_warnings():
        # the offline CI copies are subsets of the official files, by design
        warnings.filterwarnings("ignore", message=".*(has MD5|instead of the official).*")
        return data.load(dataset, "train", size=size, root=root), data.load(dataset, "test", size=size, root=root)


def run(cipher: str | type, *, out: str | Path, dataset: str = "pneumoniamnist", size: int = 28,
        images: int | None = None, profile: str = "ci", weights: str | Path | None = None, data_root=None,
        seed: int = SEED) -> dict[str, Any]:
    """Evaluate ``cipher`` (a class or a ``module:Class`` spec) beside AES-CTR; writes and returns the report.

    ``images`` caps the test images of the attacks and the metric suite (the profile's
    ``n_attack_test`` by default). Raises :class:`ContractError` (or
    :class:`~medcrypt.ciphers.plugins.PluginError`) when the cipher cannot be evaluated.
    """
    from tqdm import tqdm

    started = time.perf_counter()
    settings = protocol.settings(profile)
    if images is not None:
        settings = settings.with_images(images)
    cls = load_class(cipher) if isinstance(cipher, str) else cipher
    train_split, test_split = _load_data(dataset, size, data_root)
    attack_test = test_split.images[:settings.n_attack_test]
    timings: dict[str, float] = {}

    step = time.perf_counter()
    candidate = build(cls, attack_test.shape[1:], seed)
    if weights is not None:
        if not callable(getattr(cls, "load", None)):
            raise ContractError(f"{cls.__name__} has no load(path) classmethod, so --weights cannot be used")
        candidate, where = cls.load(weights), f"loaded from {weights}"
    else:
        where = train_if_learned(candidate, train_split.subset(settings.zoo_train, seed).images,
                                 epochs=settings.zoo_epochs, seed=seed)
    timings["training_s"] = time.perf_counter() - step
    check_attributes(candidate)
    try:
        key = candidate.keygen(seed=seed)
    except Exception as exc:
        raise ContractError(f"{type(candidate).__name__}.keygen(seed=...) failed: {type(exc).__name__}: {exc}") from exc
    reference = get(REFERENCE)
    ready = {REFERENCE: (reference, "no training"), candidate.name: (candidate, where)}  # AES-CTR itself: once
    keys = {REFERENCE: reference.keygen(seed=seed), candidate.name: key}

    step = time.perf_counter()
    contract = check_contract(candidate, attack_test, key)  # a crash on valid input is a fatal check failure
    timings["contract_s"] = time.perf_counter() - step
    candidate = image_shaped(candidate, attack_test)  # flat (N, L) output: every column still measures it
    ready[candidate.name] = (candidate, where)
    bar = tqdm(total=3, desc=f"medcrypt evaluate {candidate.name}", unit="step")
    bar.set_postfix_str("metric suite and throughput")

    step = time.perf_counter()
    suite_rows = {name: metrics.evaluate(c, attack_test, keys[name], dataset=dataset, profile=profile, seed=seed)
                  for name, (c, _) in ready.items()}
    throughput = {name: metrics.measure_throughput(c, attack_test, keys[name], repeats=settings.throughput_repeats)
                  for name, (c, _) in ready.items()}
    throughput, ceiling = bench.with_ceiling(throughput, attack_test.nbytes)
    timings["metrics_s"] = time.perf_counter() - step
    bar.update()
    bar.set_postfix_str("attacks of chapter 8")

    seeds = list(settings.seeds)
    level = verdicts.table_level(metrics.ALPHA, len(ready), len(seeds), statistics=True)
    step = time.perf_counter()
    attacks = protocol.run_attacks(ready, keys, train_split, test_split, settings=settings, level=level, seed=seed)
    timings["attacks_s"] = time.perf_counter() - step
    bar.update()
    bar.set_postfix_str("report")

    roster = pd.DataFrame([{"cipher": name, "family": c.family, "claimed key bits": int(c.key_bits),
                            "effective key bits": int(attacks.key_audit.loc[name, "effective_bits"])}
                           for name, (c, _) in ready.items()]).set_index("cipher")
    _, cells = attacks.summary_and_verdicts(roster)
    for name, row in suite_rows.items():  # the report card's statistics column, at the table's level
        cells[name][verdicts.STATISTICS] = verdicts.statistics(
            row.get("nist_min_proportion_p"), int(row.get("nist_run") or 0), row.get("chi2_p_pooled"), level)
    summary = verdicts.summary(cells, roster)
    passed_all = verdicts.passed_every_attack(cells)
    figures = {
        "sample images": _figure_png(plots.image_grid(
            {"plain": attack_test, **{f"{n} cipher": c.encrypt(attack_test[:6], keys[n]) for n, (c, _) in ready.items()}},
            n=6)),
        "IND-CPA advantage": _figure_png(plots.advantage_bars(attacks.ind_cpa)),
        "learned known-plaintext attack": _figure_png(plots.gain_curves(attacks.learned_kpa[attacks.learned_kpa["seed"] == seeds[0]],
                                                                         threshold=verdicts.GAIN_THRESHOLD_DB)),
        "diagnosis leak": _figure_png(plots.leakage_bars(attacks.leakage, level=level)),
    }
    timings["total_s"] = time.perf_counter() - started
    payload = {
        "cipher": candidate.name, "class": describe(cls), "reference": REFERENCE,
        "weights": where, "profile": profile, "dataset": dataset, "size": size, "n_images": len(attack_test),
        "seed": seed, "settings": settings.parameters(chapter=False), "level": level, "alpha": metrics.ALPHA,
        "contract": contract,
        "verdicts": {name: {column: v.to_dict() for column, v in row.items()} for name, row in cells.items()},
        "passed_all": {name: bool(ok) for name, ok in passed_all.items()},
        "tables": {"summary": protocol.table_records(summary), "metrics": list(suite_rows.values()),
                   "throughput": [{"cipher": n, **r} for n, r in throughput.items()],
                   **attacks.records()},
        "ceiling_mb_per_s": ceiling, "versions": results.versions(), "device": metrics.device_name(),
        "timings": timings,
    }
    payload = results.plain(payload, strict=True)
    write(payload, figures, out)
    bar.update()
    bar.close()
    return payload


def write(payload: dict, figures: dict[str, bytes], out: str | Path) -> Path:
    """``out/report.json`` and ``out/report.html``; returns the folder."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json.dumps(payload, indent=2, allow_nan=False))
    (folder / "report.html").write_text(report.html(payload, figures), encoding="utf-8")
    return folder


def summary_table(payload: dict) -> pd.DataFrame:
    """The report card: one row per cipher, one column per attack, as the report stores it."""
    return pd.DataFrame(payload["tables"]["summary"]).set_index("cipher")


def contract_table(payload: dict) -> pd.DataFrame:
    """The contract checks as the page shows them: pass, FAIL (a finding: no failure in a report is fatal) or n/a."""
    frame = pd.DataFrame(payload["contract"]).drop(columns=["id"], errors="ignore").set_index("check")
    frame["passed"] = [{True: "pass", False: "FAIL"}.get(p, "n/a") for p in frame["passed"]]
    return frame


THROUGHPUT_HEADERS = {"encrypt_images_per_s": "encrypt (images/s)", "decrypt_images_per_s": "decrypt (images/s)",
                      "encrypt_mb_per_s": "encrypt (MB/s)", "decrypt_mb_per_s": "decrypt (MB/s)",
                      "ratio_to_ceiling": "encrypt, share of the ceiling (%)"}


#: How a reader sees each throughput column: whole images/s with thousands separators, MB/s to one decimal,
#: the share of the ceiling in percent to one decimal (the header says %); never an exponent.
THROUGHPUT_TEXT = {"encrypt_images_per_s": "{:,.0f}", "decrypt_images_per_s": "{:,.0f}",
                   "encrypt_mb_per_s": "{:,.1f}", "decrypt_mb_per_s": "{:,.1f}", "ratio_to_ceiling": "{:,.1f}"}


def throughput_table(payload: dict) -> pd.DataFrame:
    """Encrypt and decrypt speed per cipher and its share of the ceiling measured in the same run
    (:func:`medcrypt.bench.ceiling_mb_per_s`), as text with readable headers."""
    frame = pd.DataFrame(payload["tables"]["throughput"]).set_index("cipher")
    if "ratio_to_ceiling" in frame:
        frame["ratio_to_ceiling"] = 100 * frame["ratio_to_ceiling"]
    for column, style in THROUGHPUT_TEXT.items():
        if column in frame:
            frame[column] = [formatting.MISSING if formatting.is_missing(v) else style.format(v) for v in frame[column]]
    return frame.rename(columns=THROUGHPUT_HEADERS)


def shell_command(cipher: str, profile: str, out: str = "report") -> str:
    """The ``medcrypt evaluate`` command line that runs what :func:`run` ran with these arguments, so that a page
    prints the command of its own run (its profile included) rather than a typed one."""
    return f"medcrypt evaluate --cipher {cipher} --profile {profile} --out {out}"


# ------------------------------------------------------------------ command line

def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="medcrypt evaluate", description="Run the book's protocol on your cipher, "
                                "beside AES-CTR, and write report.json and report.html.")
    p.add_argument("--cipher", required=True, help="package.module:Class or path/to/file.py:Class")
    p.add_argument("--dataset", default="pneumoniamnist", help="a 2D MedMNIST flag (default pneumoniamnist)")
    p.add_argument("--size", type=int, default=28, choices=[28, 64, 128, 224])
    p.add_argument("--images", type=int, default=None, help="test images for the attacks (default: the profile's)")
    p.add_argument("--profile", default="ci", choices=["ci", "full"], help="chapter 8's sizes (default ci)")
    p.add_argument("--weights", default=None, help="a checkpoint for the class's load(path), for a learned cipher")
    p.add_argument("--data-root", default=None, help="MedMNIST folder (default $MEDMNIST_ROOT or ~/.medmnist)")
    p.add_argument("--out", required=True, help="folder for report.json and report.html")
    return p


def main(argv: list[str] | None = None) -> int:
    """``medcrypt evaluate ...``: 0 when the protocol ran, 2 on a usage error or a fatal conformance failure."""
    p = parser()
    p.__class__ = checks.OneLineParser  # one-line errors, as medcrypt check gives them
    try:
        args = p.parse_args(argv)
        folder = Path(args.out)
        run(args.cipher, out=folder, dataset=args.dataset, size=args.size, images=args.images,
            profile=args.profile, weights=args.weights, data_root=args.data_root)
    except (checks.UsageError, PluginError, ContractError, ValueError, FileNotFoundError) as exc:
        print(f"medcrypt evaluate: error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
              file=sys.stderr)
        return 2
    print(f"medcrypt evaluate: wrote {folder / 'report.json'} and {folder / 'report.html'}")
    return 0
