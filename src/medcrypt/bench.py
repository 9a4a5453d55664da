"""Throughput against the physical limit, and the time of the metric suite.

    python -m medcrypt.bench                  # every registered cipher -> _build/bench.json
    python -m medcrypt.bench suite --images 1000   # the whole metric suite on AES-CTR and identity

The **ceiling** is measured in the same process and run as the ciphers: the `cryptography`
library's AES-256-CTR over one contiguous buffer of the same total size as the batch, the
practical limit of this machine for a cipher of AES's strength. Every cipher's MB/s is
reported with its ratio to that ceiling. Benchmarks live here, not in tests: a wall-clock
figure depends on the machine, so it is measured and recorded, never asserted.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
import warnings
from pathlib import Path

import numpy as np

from . import data, metrics

SIZES = (28, 64)  # image sides measured: MedMNIST's default and its 64 x 64 release
BENCH_FILE = Path(__file__).resolve().parents[2] / "_build" / "bench.json"


def images_for_bench(n: int, size: int = 28, seed: int = 0, root=None) -> tuple[np.ndarray, str]:
    """PneumoniaMNIST test images, repeated up to ``n``; random images when the data are missing."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            images = data.load("pneumoniamnist", "test", size=size, download=False, root=root).images
        return np.resize(images, (n, *images.shape[1:])), "pneumoniamnist test"
    except (data.MedMNISTNotFound, ValueError):
        return np.random.default_rng(seed).integers(0, 256, (n, size, size), dtype=np.uint8), "random"


def ceiling_mb_per_s(n_bytes: int, repeats: int = 5) -> float:
    """The library's AES-256-CTR over one contiguous ``n_bytes`` buffer, in MB/s (best of ``repeats``)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    buffer = memoryview(bytearray(n_bytes))
    key, nonce = os.urandom(32), os.urandom(16)
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        ctx = Cipher(algorithms.AES(key), modes.CTR(nonce)).encryptor()
        ctx.update(buffer)
        ctx.finalize()
        best = min(best, time.perf_counter() - start)
    return n_bytes / 1e6 / best


def with_ceiling(rates: dict[str, dict], n_bytes: int) -> tuple[dict[str, dict], float]:
    """Chapter throughput figures beside the ceiling: the ceiling for a batch of ``n_bytes`` measured now,
    and each cipher's rates (label -> :func:`medcrypt.metrics.measure_throughput`) with ``ratio_to_ceiling``."""
    ceiling = ceiling_mb_per_s(n_bytes)
    return {label: {**r, "ratio_to_ceiling": r["encrypt_mb_per_s"] / ceiling} for label, r in rates.items()}, ceiling


#: The reader's headers of a speed table, in the order shown.
SPEED_HEADERS = {"encrypt_images_per_s": "Encrypt images/s", "decrypt_images_per_s": "Decrypt images/s",
                 "encrypt_mb_per_s": "Encrypt MB/s", "decrypt_mb_per_s": "Decrypt MB/s",
                 "ratio_to_ceiling": "Share of the ceiling (encrypt)"}
CEILING_ROW = "ceiling (AES-256-CTR, one buffer)"


def speed_table(rates: dict[str, dict], ceiling: float, image_bytes: int):
    """A speed table as the chapters show it: images/s and MB/s of each cipher, its share of the ceiling, and
    the ceiling itself as the last row (its images/s: the ceiling's MB/s over one image's bytes)."""
    import pandas as pd

    table = pd.DataFrame({label: {k: r[k] for k in SPEED_HEADERS} for label, r in rates.items()}).T
    per_image = ceiling * 1e6 / image_bytes
    table.loc[CEILING_ROW] = [per_image, per_image, ceiling, ceiling, 1.0]
    shown = pd.DataFrame({
        SPEED_HEADERS[k]: [_speed_text(k, v) for v in table[k]] for k in SPEED_HEADERS},
        index=pd.Index(table.index, name="cipher"))
    return shown


def _speed_text(column: str, value: float) -> str:
    if column.endswith("images_per_s"):
        return f"{value:,.0f}"
    if column == "ratio_to_ceiling":
        return f"{value:.1%}" if value >= 0.001 else "< 0.1%"
    return f"{value:,.1f}" if value >= 1 else f"{value:.3f}"


#: Unregistered variants timed beside the registry, to measure what a design choice costs:
#: name -> (registered cipher, constructor options).
VARIANTS = {"inn-coupling (float64)": ("inn-coupling", {"precision": "float64"})}


def multiply_adds(cipher, images: np.ndarray) -> float | None:
    """Multiply-adds per image of a learned cipher's encryption (convolutions and linear layers), or None."""
    modules = getattr(cipher, "modules", None)
    if not isinstance(modules, dict):
        return None
    import torch

    total = [0]

    def count(layer, inputs, output):
        if isinstance(layer, torch.nn.ConvTranspose2d):
            total[0] += inputs[0].numel() * layer.out_channels // layer.groups * int(np.prod(layer.kernel_size))
        elif isinstance(layer, torch.nn.Conv2d):
            total[0] += output.numel() * layer.in_channels // layer.groups * int(np.prod(layer.kernel_size))
        elif isinstance(layer, torch.nn.Linear):
            total[0] += output.numel() * layer.in_features

    hooks = [m.register_forward_hook(count) for module in modules.values() for m in module.modules()
             if isinstance(m, (torch.nn.Conv2d, torch.nn.ConvTranspose2d, torch.nn.Linear))]
    try:
        cipher.encrypt(images[:4], cipher.keygen(seed=0))
    finally:
        for hook in hooks:
            hook.remove()
    return total[0] / 4 if total[0] else None


def cipher_rates(name: str, images: np.ndarray, repeats: int = 3, **options) -> dict:
    """Encrypt and decrypt speed of the registered cipher ``name`` on ``images`` (an untrained network
    computes exactly what a trained one does, so learned ciphers are timed as built), with its
    multiply-adds per image and, for a lossless cipher, the share of images that decrypt exactly."""
    from . import zoo
    from .ciphers import factory

    cipher = (factory(name)(image_shape=images.shape[1:], seed=0, **options) if options
              else zoo.build(name, images.shape[1:], seed=0))
    key = cipher.keygen(seed=0)
    # One untimed round trip of the whole batch: the warm-up (lazy set-up, first-call allocations) and the
    # exactness check at once.
    restored = cipher.decrypt(cipher.encrypt(images, key), key)
    rates = metrics.measure_throughput(cipher, images, key, repeats=repeats)
    rates["multiply_adds_per_image"] = multiply_adds(cipher, images)
    if getattr(cipher, "lossless", False):
        rates["exact_round_trip_share"] = float(np.mean(np.all(
            restored.reshape(len(images), -1) == images.reshape(len(images), -1), axis=1)))
    return rates


def run(n_images: int = 1000, sizes: tuple[int, ...] = SIZES, names: list[str] | None = None,
        repeats: int = 3, root=None) -> dict:
    """Every registered cipher (or ``names``) at each size, beside the ceiling measured in the same run.

    The shape is the one other tools read: ``ceiling_mb_per_s`` (at the first size), ``device``,
    ``versions`` and ``ciphers[name]`` with ``size``, encrypt/decrypt images/s and MB/s and
    ``ratio_to_ceiling`` (encryption MB/s over the ceiling) at the first size; ``at_size`` holds
    every size, and a cipher that refuses a size says why in ``error``.
    """
    from .ciphers import available
    from .results import versions

    names = names or available()
    measured = {name: (name, {}) for name in names}
    measured.update({v: spec for v, spec in VARIANTS.items() if spec[0] in names})
    report = {"n_images": n_images, "sizes": list(sizes), "device": metrics.device_name(), "versions": versions(),
              "ceiling": "cryptography AES-256-CTR, one buffer of the batch's size", "ceiling_by_size": {},
              "ciphers": {name: {"at_size": {}} for name in names},
              "variants": {name: {"at_size": {}, "of": spec[0], "options": spec[1]}
                           for name, spec in measured.items() if name not in names},
              "source_images": {}}
    for size in sizes:
        images, source = images_for_bench(n_images, size, root=root)
        ceiling = ceiling_mb_per_s(images.nbytes)
        report["ceiling_by_size"][str(size)], report["source_images"][str(size)] = ceiling, source
        for name, (registered, options) in measured.items():
            entry = report["ciphers"].get(name) or report["variants"][name]
            try:
                rates = cipher_rates(registered, images, repeats, **options)
            except (ValueError, NotImplementedError, RuntimeError) as exc:
                entry["at_size"][str(size)] = {"error": f"{type(exc).__name__}: {exc}"}
                continue
            rates["ratio_to_ceiling"] = rates["encrypt_mb_per_s"] / ceiling
            entry["at_size"][str(size)] = rates
            print(f"[bench] {size}x{size} {name:24s} encrypt {rates['encrypt_images_per_s']:>12,.0f} images/s "
                  f"{rates['encrypt_mb_per_s']:>9.1f} MB/s ({rates['ratio_to_ceiling']:.1%} of the ceiling), "
                  f"decrypt {rates['decrypt_images_per_s']:>12,.0f} images/s", flush=True)
    first = str(sizes[0])
    report["ceiling_mb_per_s"] = report["ceiling_by_size"][first]
    for entry in (*report["ciphers"].values(), *report["variants"].values()):
        entry.update({"size": sizes[0], **entry["at_size"].get(first, {})})
    return report


def time_suite(n_images: int, size: int, nist_bits: int | None) -> None:
    """The whole metric suite on AES-CTR and identity, with and without the NIST tests."""
    from .ciphers import get

    images, source = images_for_bench(n_images, size)
    print(f"{len(images)} images {images.shape[1:]} ({source}) on {metrics.device_name()}")
    for name in ("aes-ctr", "identity"):
        cipher = get(name)
        key = cipher.keygen(seed=0)
        for with_nist in (False, True):
            start = time.perf_counter()
            metrics.evaluate(cipher, images, key, nist=with_nist, nist_bits=nist_bits)
            label = "with NIST" if with_nist else "without NIST"
            print(f"{name:10s} whole suite {label}: {time.perf_counter() - start:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m medcrypt.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="?", default="ciphers", choices=["ciphers", "suite"])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--size", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--cipher", nargs="*", help="registry names (default: every registered cipher)")
    parser.add_argument("--nist-bits", type=int, default=None, help="suite: cap on the cipher bits given to NIST")
    parser.add_argument("--out", type=Path, default=BENCH_FILE)
    args = parser.parse_args(argv)
    if args.what == "suite":
        time_suite(args.images, args.size[0], args.nist_bits)
        return 0
    report = run(args.images, tuple(args.size), args.cipher)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"[bench] ceiling {report['ceiling_mb_per_s']:,.0f} MB/s; wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
