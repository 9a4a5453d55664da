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
import math
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import bench, data, metrics, plots, report, results, verdicts
from .ciphers import get
from .ciphers.base import image_shaped
from .ciphers.plugins import PluginError, load_class

REFERENCE = "aes-ctr"
SEED = 2026
#: The attack sizes of chapter 8 per profile: ``full`` is the chapter's defaults, ``ci`` the book's ci profile.
FULL = {"seeds": [2026, 2027, 2028], "n_pairs": [10, 100, 1000], "attack_steps": 300, "n_attack_test": 200,
        "ind_cpa_trials": 1000, "algebraic_pool": 64, "leakage_train": 2000, "classifier_epochs": 5,
        "n_sensitivity": 200, "audit_images": 8, "zoo_train": 1024, "zoo_epochs": 3, "throughput_repeats": 3,
        "birthday_seconds": 10.0, "birthday_floor": 1 << 16, "birthday_maximum": 1 << 20,
        "search_seconds": 10.0, "search_floor": 1 << 16, "bit_flip_trials": 200}


class ContractError(ValueError):
    """The cipher breaks the ``Cipher`` contract; the message says which rule in one line."""


def profile_settings(profile: str) -> dict[str, Any]:
    """Chapter 8's parameters for ``profile``, read from :data:`medcrypt.book.PROFILES` (one source of truth)."""
    from .book import PROFILES

    if profile not in ("ci", "full"):
        raise ValueError(f"--profile must be ci or full; got {profile!r}")
    return {**FULL, **PROFILES[profile].get("08_attacks", {}), **({"throughput_repeats": 1} if profile == "ci" else {})}


# ------------------------------------------------------------------ building and checking the candidate

def build(cls: type, image_shape: tuple[int, ...], seed: int = SEED):
    """An instance of ``cls``, passing ``image_shape``/``seed`` where its constructor takes them.

    Nonces are never seeded: the candidate and the reference draw them from the operating system.
    """
    try:
        accepted = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        accepted = {}
    offered = {"image_shape": tuple(image_shape), "seed": seed}
    try:
        return cls(**{k: v for k, v in offered.items() if k in accepted})
    except Exception as exc:
        raise ContractError(f"{cls.__name__}() failed: {type(exc).__name__}: {exc}") from exc


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


def _raises_value_error(call) -> bool:
    try:
        call()
    except ValueError:
        return True
    except Exception:
        return False
    return False


def check_attributes(cipher) -> None:
    """The attributes and methods the suite calls; raises :class:`ContractError` naming the first one missing."""
    for attribute in ("name", "family", "lossless", "key_bits", "keygen", "encrypt", "decrypt"):
        if not hasattr(cipher, attribute):
            raise ContractError(f"{type(cipher).__name__} has no `{attribute}`, which the Cipher contract requires")
    if cipher.key_bits and not callable(getattr(cipher, "flip_key_bit", None)):
        raise ContractError(f"{cipher.name} claims {cipher.key_bits} key bits but has no flip_key_bit(key, bit) "
                            "for the key audit")


def check_contract(cipher, images: np.ndarray, key) -> list[dict[str, Any]]:
    """The contract checks, one row each; raises :class:`ContractError` at the first rule the cipher breaks.

    Round trip (bit-exact when ``lossless`` is declared), ``uint8`` cipher images with one per
    plaintext (their shape may differ: latent-code ciphers), and a ``ValueError`` for float
    images, a single image without a batch axis and a wrong key type.
    """
    check_attributes(cipher)
    rows = []

    def passed(check: str, detail: str) -> None:
        rows.append({"check": check, "passed": True, "detail": detail})

    encrypted = cipher.encrypt(images, key)
    if not isinstance(encrypted, np.ndarray) or encrypted.dtype != np.uint8:
        got = encrypted.dtype if isinstance(encrypted, np.ndarray) else type(encrypted).__name__
        raise ContractError(f"{cipher.name}.encrypt must return a uint8 array; got {got}")
    if len(encrypted) != len(images):
        raise ContractError(f"{cipher.name}.encrypt returned {len(encrypted)} cipher images for {len(images)} images")
    passed("cipher images are uint8, one per image", f"shape {tuple(encrypted.shape[1:])}")
    decrypted = np.asarray(cipher.decrypt(encrypted, key))
    if decrypted.shape != images.shape or decrypted.dtype != np.uint8:
        raise ContractError(f"{cipher.name}.decrypt must return uint8 images of shape {images.shape}; "
                            f"got {decrypted.dtype} {decrypted.shape}")
    exact = float(metrics.bit_exact_rate(images, decrypted))
    if cipher.lossless and exact < 1.0:
        raise ContractError(f"{cipher.name} declares lossless=True but decrypts only {exact:.1%} of images bit-exactly")
    passed("round trip", f"{exact:.1%} of images bit-exact" + (" (declared lossless)" if cipher.lossless else ""))
    bad = {"float images": lambda: cipher.encrypt(images.astype(np.float32) / 255, key),
           "an image without a batch axis": lambda: cipher.encrypt(images[0], key)}
    if cipher.key_bits:
        bad["a key of the wrong type"] = lambda: cipher.encrypt(images, object())
    for what, call in bad.items():
        if not _raises_value_error(call):
            raise ContractError(f"{cipher.name}.encrypt must raise ValueError for {what}; it did not")
        passed(f"ValueError for {what}", "raised")
    return rows


# ------------------------------------------------------------------ the protocol

def _figure_png(fig) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _records(frame: pd.DataFrame) -> list[dict]:
    """A table as a list of rows (index included)."""
    return frame.reset_index().to_dict(orient="records")


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

    from .attacks import suite

    started = time.perf_counter()
    settings = profile_settings(profile)
    if images is not None:
        if images < 2:
            raise ValueError(f"--images must be at least 2; got {images}")
        settings.update(n_attack_test=images, n_sensitivity=min(settings["n_sensitivity"], images))
    cls = load_class(cipher) if isinstance(cipher, str) else cipher
    train_split, test_split = _load_data(dataset, size, data_root)
    attack_test = test_split.images[:settings["n_attack_test"]]
    timings: dict[str, float] = {}

    step = time.perf_counter()
    candidate = build(cls, attack_test.shape[1:], seed)
    if weights is not None:
        if not callable(getattr(cls, "load", None)):
            raise ContractError(f"{cls.__name__} has no load(path) classmethod, so --weights cannot be used")
        candidate, where = cls.load(weights), f"loaded from {weights}"
    else:
        where = train_if_learned(candidate, train_split.subset(settings["zoo_train"], seed).images,
                                 epochs=settings["zoo_epochs"], seed=seed)
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
    try:
        contract = check_contract(candidate, attack_test, key)
    except ContractError:
        raise
    except Exception as exc:  # the cipher crashed on valid input
        raise ContractError(f"{candidate.name} failed on valid input: {type(exc).__name__}: {exc}") from exc
    timings["contract_s"] = time.perf_counter() - step
    candidate = image_shaped(candidate, attack_test)  # flat (N, L) output: every column still measures it
    ready[candidate.name] = (candidate, where)
    bar = tqdm(total=3, desc=f"medcrypt evaluate {candidate.name}", unit="step")
    bar.set_postfix_str("metric suite and throughput")

    step = time.perf_counter()
    suite_rows = {name: metrics.evaluate(c, attack_test, keys[name], dataset=dataset, profile=profile, seed=seed)
                  for name, (c, _) in ready.items()}
    throughput = {name: metrics.measure_throughput(c, attack_test, keys[name], repeats=settings["throughput_repeats"])
                  for name, (c, _) in ready.items()}
    throughput, ceiling = bench.with_ceiling(throughput, attack_test.nbytes)
    timings["metrics_s"] = time.perf_counter() - step
    bar.update()
    bar.set_postfix_str("attacks of chapter 8")

    seeds = settings["seeds"]
    level = verdicts.table_level(metrics.ALPHA, len(ready), len(seeds), statistics=True)
    step = time.perf_counter()
    cpa = suite.ind_cpa_table(ready, keys, attack_test, seeds=seeds, trials=settings["ind_cpa_trials"],
                              birthday_seconds=settings["birthday_seconds"], birthday_floor=settings["birthday_floor"],
                              birthday_maximum=settings["birthday_maximum"])
    algebraic, _ = suite.algebraic_table(ready, keys, train_split.subset(settings["algebraic_pool"], seed).images,
                                         attack_test)
    kpa, reconstructions = suite.learned_kpa_table(ready, keys, train_split.images, attack_test,
                                                   n_pairs=settings["n_pairs"], steps=settings["attack_steps"],
                                                   seeds=seeds)
    guess = train_split.subset(1000, seed).images.mean(axis=0).round()
    chosen = suite.chosen_plaintext_table(ready, keys, attack_test, guess,
                                          attacker_images=train_split.subset(1000, seed).images, seed=seed)
    integrity = suite.integrity_table(ready, keys, attack_test[:8], trials=settings["bit_flip_trials"], seed=seed)
    leakage = suite.leakage_table(ready, keys, train_split.images, train_split.labels, test_split.images,
                                  test_split.labels, n_train=settings["leakage_train"],
                                  epochs=settings["classifier_epochs"], seeds=seeds)
    audit = suite.key_audit_table(ready, keys, attack_test[:settings["audit_images"]], level=level, seed=seed,
                                  search_seconds=settings["search_seconds"], search_floor=settings["search_floor"])
    sens = suite.sensitivity_table(ready, keys, test_split.images[:settings["n_sensitivity"]], seed=seed,
                                   alpha=metrics.ALPHA, level=level)
    timings["attacks_s"] = time.perf_counter() - step
    bar.update()
    bar.set_postfix_str("report")

    roster = pd.DataFrame([{"cipher": name, "family": c.family, "claimed key bits": int(c.key_bits),
                            "effective key bits": int(audit.loc[name, "effective_bits"])}
                           for name, (c, _) in ready.items()]).set_index("cipher")
    _, cells = suite.summary(roster, cpa, algebraic, kpa, chosen, integrity, leakage, audit, sens, level)
    for name, row in suite_rows.items():  # the report card's statistics column, at the table's level
        cells[name][verdicts.STATISTICS] = verdicts.statistics(
            row.get("nist_min_proportion_p"), int(row.get("nist_run") or 0), row.get("chi2_p_pooled"), level)
    summary = verdicts.summary(cells, roster)
    passed_all = verdicts.passed_every_attack(summary)
    figures = {
        "sample images": _figure_png(plots.image_grid(
            {"plain": attack_test, **{f"{n} cipher": c.encrypt(attack_test[:6], keys[n]) for n, (c, _) in ready.items()}},
            n=6)),
        "IND-CPA advantage": _figure_png(plots.advantage_bars(cpa)),
        "learned known-plaintext attack": _figure_png(plots.gain_curves(kpa[kpa["seed"] == seeds[0]],
                                                                         threshold=verdicts.GAIN_THRESHOLD_DB)),
        "diagnosis leak": _figure_png(plots.leakage_bars(leakage, level=level)),
    }
    timings["total_s"] = time.perf_counter() - started
    payload = {
        "cipher": candidate.name, "class": f"{cls.__module__}:{cls.__qualname__}", "reference": REFERENCE,
        "weights": where, "profile": profile, "dataset": dataset, "size": size, "n_images": len(attack_test),
        "seed": seed, "settings": settings, "level": level, "alpha": metrics.ALPHA,
        "contract": contract,
        "verdicts": {name: {column: {"passed": v.passed, "state": v.state, "figure": v.figure}
                            for column, v in row.items()}
                     for name, row in cells.items()},
        "passed_all": {name: bool(ok) for name, ok in passed_all.items()},
        "tables": {"summary": _records(summary), "metrics": list(suite_rows.values()),
                   "throughput": [{"cipher": n, **r} for n, r in throughput.items()],
                   "ind_cpa": _records(cpa), "algebraic": _records(algebraic), "learned_kpa": _records(kpa),
                   "chosen_plaintext": _records(chosen), "integrity": _records(integrity), "leakage": _records(leakage),
                   "key_audit": _records(audit), "sensitivity": _records(sens)},
        "ceiling_mb_per_s": ceiling, "versions": results.versions(), "device": metrics.device_name(),
        "timings": timings,
    }
    payload = json_safe(payload)
    write(payload, figures, out)
    bar.update()
    bar.close()
    return payload


def json_safe(value: Any) -> Any:
    """Plain JSON values: NumPy scalars become Python ones, NaN becomes null and an infinity the string "inf"."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return json_safe(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


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
    """The contract checks as the page shows them (a run that reached the report passed every one)."""
    frame = pd.DataFrame(payload["contract"]).set_index("check")
    frame["passed"] = frame["passed"].map({True: "pass", False: "FAIL"})
    return frame


THROUGHPUT_HEADERS = {"encrypt_images_per_s": "encrypt (images/s)", "decrypt_images_per_s": "decrypt (images/s)",
                      "encrypt_mb_per_s": "encrypt (MB/s)", "decrypt_mb_per_s": "decrypt (MB/s)",
                      "ratio_to_ceiling": "encrypt, share of the ceiling (%)"}


def throughput_table(payload: dict) -> pd.DataFrame:
    """Encrypt and decrypt speed per cipher and its share of the ceiling measured in the same run
    (:func:`medcrypt.bench.ceiling_mb_per_s`), with readable headers, rounded to one decimal."""
    frame = pd.DataFrame(payload["tables"]["throughput"]).set_index("cipher")
    if "ratio_to_ceiling" in frame:
        frame["ratio_to_ceiling"] = 100 * frame["ratio_to_ceiling"]
    return frame.rename(columns=THROUGHPUT_HEADERS).round(1)


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


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage block
        raise _UsageError(message)


def main(argv: list[str] | None = None) -> int:
    """``medcrypt evaluate ...``: 0 when the protocol ran, 2 on a usage error or a contract violation."""
    p = parser()
    p.__class__ = _Parser
    try:
        args = p.parse_args(argv)
        folder = Path(args.out)
        run(args.cipher, out=folder, dataset=args.dataset, size=args.size, images=args.images,
            profile=args.profile, weights=args.weights, data_root=args.data_root)
    except (_UsageError, PluginError, ContractError, ValueError, FileNotFoundError) as exc:
        print(f"medcrypt evaluate: error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
              file=sys.stderr)
        return 2
    print(f"medcrypt evaluate: wrote {folder / 'report.json'} and {folder / 'report.html'}")
    return 0
