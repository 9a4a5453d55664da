"""Time the metric suite: ``python -m medcrypt.bench --images 1000``.

Benchmarks live here, not in tests: a wall-clock figure depends on the machine, so it is
measured and recorded in notes, never asserted.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from . import data, metrics
from .ciphers import get


def images_for_bench(n: int, size: int = 28, seed: int = 0) -> tuple[np.ndarray, str]:
    """PneumoniaMNIST test images, repeated up to ``n``; random images when the data are missing."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            images = data.load("pneumoniamnist", "test", size=size, download=False).images
        return np.resize(images, (n, *images.shape[1:])), "pneumoniamnist test"
    except data.MedMNISTNotFound:
        return np.random.default_rng(seed).integers(0, 256, (n, size, size), dtype=np.uint8), "random"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--size", type=int, default=28)
    parser.add_argument("--nist-bits", type=int, default=None, help="cap on the cipher bits given to NIST (default: all)")
    args = parser.parse_args(argv)
    images, source = images_for_bench(args.images, args.size)
    print(f"{len(images)} images {images.shape[1:]} ({source}) on {metrics.device_name()}")
    for name in ("aes-ctr", "identity"):
        cipher = get(name, nonce_seed=0) if name == "aes-ctr" else get(name)
        key = cipher.keygen(seed=0)
        for with_nist in (False, True):
            start = time.perf_counter()
            metrics.evaluate(cipher, images, key, nist=with_nist, nist_bits=args.nist_bits)
            label = "with NIST" if with_nist else "without NIST"
            print(f"{name:10s} whole suite {label}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
