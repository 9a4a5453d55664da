import os
from pathlib import Path

import numpy as np
import pytest

from medcrypt.paths import REPO_ROOT


def _shared_medmnist() -> Path | None:
    for candidate in (os.environ.get("MEDMNIST_ROOT"), REPO_ROOT.parent / "shared" / "medmnist"):
        if candidate and (Path(candidate) / "pneumoniamnist.npz").exists():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def shared_root() -> Path:
    """The offline MedMNIST copies (CI sets MEDMNIST_ROOT to them)."""
    root = _shared_medmnist()
    if root is None:
        pytest.skip("offline MedMNIST copies not found; set MEDMNIST_ROOT")
    return root


@pytest.fixture(scope="session")
def xrays(shared_root) -> np.ndarray:
    """200 real PneumoniaMNIST test images, uint8 (200, 28, 28)."""
    import warnings

    from medcrypt import data

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the offline copy's checksum differs from the official file
        return data.load("pneumoniamnist", "test", root=shared_root, limit=200).images


def smooth_phantoms(n: int = 64, size: int = 28, seed: int = 0) -> np.ndarray:
    """Synthetic smooth images (gradients plus a bright disc): strongly correlated, like X-rays."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size] / size
    out = []
    for _ in range(n):
        cy, cx, r = rng.uniform(0.3, 0.7, 2).tolist() + [rng.uniform(0.1, 0.3)]
        img = 60 + 80 * xx * rng.uniform(0.5, 1) + 40 * yy + 90 * (((yy - cy) ** 2 + (xx - cx) ** 2) < r * r)
        out.append(np.clip(img + rng.normal(0, 2, img.shape), 0, 255))
    return np.array(out).round().astype(np.uint8)


@pytest.fixture
def phantoms() -> np.ndarray:
    return smooth_phantoms()


#: Chapter 8's attacks at the smallest sizes that still run every code path of ``medcrypt evaluate``: for tests
#: about what a run does (exit codes, what it reads, what it records), not about what it measures.
TINY_ATTACKS = {"seeds": (2026,), "n_pairs": (10,), "attack_steps": 5, "ind_cpa_trials": 20, "algebraic_pool": 8,
                "leakage_train": 32, "classifier_epochs": 1, "n_sensitivity": 8, "audit_images": 2, "zoo_train": 8,
                "zoo_epochs": 1, "throughput_repeats": 1, "birthday_seconds": 0.05, "birthday_floor": 0,
                "birthday_maximum": 256, "search_seconds": 0.05, "search_floor": 16, "bit_flip_trials": 5}


def shrink_ci_profile(patch: pytest.MonkeyPatch) -> None:
    """Make the ``ci`` profile :data:`TINY_ATTACKS` until ``patch`` is undone."""
    import dataclasses

    from medcrypt.attacks import protocol

    patch.setitem(protocol.PROFILES, "ci", dataclasses.replace(protocol.CI, **TINY_ATTACKS))


@pytest.fixture
def tiny_ci_profile(monkeypatch):
    """``medcrypt evaluate --profile ci`` at :data:`TINY_ATTACKS` sizes, for this test only."""
    shrink_ci_profile(monkeypatch)
