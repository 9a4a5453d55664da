"""MedMNIST loading: ``uint8`` images and integer labels for any 2D flag, split and size.

The root folder is resolved as: the ``root`` argument, then ``$MEDMNIST_ROOT``, then
``data/medmnist`` in the repository. A missing file is downloaded from the official URL
that the ``medmnist`` package records, and its MD5 is checked. Offline, a missing file
raises :class:`MedMNISTNotFound`, which says which file to fetch and where to put it.

Arrays are read with NumPy, not through ``medmnist``'s dataset class, because that
class asserts the official sample counts and the offline copies used in CI may be
subsets; a copy that differs from the official file raises :class:`OfflineCopyWarning`, not an error.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SIZES = (28, 64, 128, 224)
SPLITS = ("train", "val", "test")
REPO_ROOT = Path(__file__).resolve().parents[2]
# In a clone (editable install) the cache is the repository's data/medmnist; when the
# package is installed from git (Colab) it is medmnist's own default, ~/.medmnist.
DEFAULT_ROOT = (REPO_ROOT / "data" / "medmnist" if (REPO_ROOT / "pyproject.toml").exists()
                else Path.home() / ".medmnist")


class MedMNISTNotFound(FileNotFoundError):
    """A MedMNIST file is missing and could not be downloaded."""


class OfflineCopyWarning(UserWarning):
    """A local MedMNIST file differs from the official one (another MD5, fewer images): a subset copy."""


@contextlib.contextmanager
def accepting_subsets():
    """Silence :class:`OfflineCopyWarning` only, for chapters that knowingly run on the offline subsets.

    Any other warning raised while loading (a NumPy or torchvision deprecation) still shows.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineCopyWarning)
        yield


@dataclass(frozen=True)
class Split:
    """One split: ``images`` is ``uint8`` (N, H, W) or (N, H, W, 3); ``labels`` is int (N,) or (N, K)."""

    flag: str
    split: str
    size: int
    images: np.ndarray
    labels: np.ndarray
    label_names: dict

    def __len__(self) -> int:
        return len(self.images)

    def subset(self, n: int | None, seed: int = 0) -> "Split":
        """A seeded random subset of ``n`` images (in their original order); all of them if ``n`` is None.

        Use this, not ``load(limit=...)``, to train on part of a split: files can be sorted
        by class (the offline PneumoniaMNIST training copy starts with 640+ pneumonia images).
        """
        if n is None or n >= len(self):
            return self
        keep = np.sort(np.random.default_rng(seed).choice(len(self), size=n, replace=False))
        return Split(self.flag, self.split, self.size, self.images[keep], self.labels[keep], self.label_names)


def _info(flag: str) -> dict:
    from medmnist.info import INFO  # imported lazily: it pulls in torch

    if flag not in INFO:
        raise ValueError(f"unknown MedMNIST flag {flag!r}; 2D flags are: {', '.join(flags_2d())}")
    if flag.endswith("3d"):
        raise ValueError(f"{flag!r} is a 3D volume dataset; this book uses 2D flags: {', '.join(flags_2d())}")
    return INFO[flag]


def flags_2d() -> list[str]:
    """The 2D MedMNIST flags (the ones this book can load)."""
    from medmnist.info import INFO

    return [f for f in INFO if not f.endswith("3d")]


def resolve_root(root: str | os.PathLike | None = None) -> Path:
    """The data folder: ``root`` if given, else ``$MEDMNIST_ROOT``, else :data:`DEFAULT_ROOT`."""
    if root is not None:
        return Path(root).expanduser()
    env = os.environ.get("MEDMNIST_ROOT")
    return Path(env).expanduser() if env else DEFAULT_ROOT


def file_name(flag: str, size: int = 28) -> str:
    """The official file name: ``pneumoniamnist.npz`` for 28×28, ``pneumoniamnist_64.npz`` for 64×64."""
    return f"{flag}.npz" if size == 28 else f"{flag}_{size}.npz"


def official_url_md5(flag: str, size: int = 28) -> tuple[str, str]:
    info = _info(flag)
    suffix = "" if size == 28 else f"_{size}"
    return info[f"url{suffix}"], info[f"MD5{suffix}"]


@functools.lru_cache(maxsize=32)
def _md5(path: Path, mtime_ns: int) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(url: str, folder: Path, filename: str, md5: str) -> None:
    """Fetch one file exactly as the ``medmnist`` package does (torchvision's helper, MD5-checked)."""
    from torchvision.datasets.utils import download_url

    download_url(url, root=str(folder), filename=filename, md5=md5)


def ensure_file(flag: str, size: int = 28, root: str | os.PathLike | None = None, download: bool = True) -> Path:
    """Path of the ``.npz`` file for ``flag`` at ``size``, downloading it if it is missing."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}; got {size!r}")
    url, md5 = official_url_md5(flag, size)
    folder = resolve_root(root)
    path = folder / file_name(flag, size)
    if path.exists():
        found = _md5(path, path.stat().st_mtime_ns)
        if found != md5:
            warnings.warn(
                f"{path} has MD5 {found}, not the official {md5}; using it as it is "
                "(the offline CI copies are subsets of the official files)",
                OfflineCopyWarning,
                stacklevel=3,
            )
        return path
    problem = "downloading is switched off (download=False)"
    if download:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _download(url, folder, path.name, md5)
        except Exception as exc:  # no network, refused, or a bad checksum: one clear message below
            problem = f"the download failed ({type(exc).__name__}: {exc})"
        if path.exists() and _md5(path, path.stat().st_mtime_ns) == md5:
            return path
    raise MedMNISTNotFound(
        f"MedMNIST file {path.name} is missing from {folder} and {problem}. "
        f"Download it from {url} (MD5 {md5}) and put it in {folder}, "
        "or point MEDMNIST_ROOT at a folder that holds it."
    )


def load(
    flag: str = "pneumoniamnist",
    split: str = "train",
    size: int = 28,
    root: str | os.PathLike | None = None,
    *,
    download: bool = True,
    limit: int | None = None,
) -> Split:
    """Load one split of a 2D MedMNIST dataset as ``uint8`` images and integer labels.

    ``limit`` keeps the first ``limit`` images, for quick evaluation runs; to train on part
    of a split use :meth:`Split.subset`, which samples at random. Single-label datasets get
    labels of shape (N,) whether the file stores (N,) or (N, 1); multi-label ones keep (N, K).
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}; got {split!r}")
    info = _info(flag)
    path = ensure_file(flag, size, root, download)
    with np.load(path) as npz:
        images = npz[f"{split}_images"]
        labels = npz[f"{split}_labels"]
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    if images.dtype != np.uint8:
        raise ValueError(f"{path}: expected uint8 images, found {images.dtype}")
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    expected = info["n_samples"][split]
    if limit is None and len(images) != expected:
        warnings.warn(
            f"{path.name} {split}: {len(images)} images instead of the official {expected} (a subset)",
            OfflineCopyWarning,
            stacklevel=2,
        )
    return Split(flag, split, size, np.ascontiguousarray(images), labels.astype(np.int64), dict(info["label"]))


def sample_medical_images() -> dict[str, np.ndarray]:
    """Two larger grey ``uint8`` medical images that ship inside scikit-image (no download).

    * a retinal fundus photograph (``retina.jpg``), converted to grey and averaged 2×2 to 704×704;
    * the Shepp–Logan CT phantom, 400×400.

    Both have large uniform regions, which is where AES-ECB leaks; both hold a whole number
    of 16-byte AES blocks per image.
    """
    from skimage import color, data as skdata, util

    retina = util.img_as_ubyte(color.rgb2gray(skdata.retina()))[:1408, :1408]
    retina = retina.reshape(704, 2, 704, 2).mean(axis=(1, 3)).round().astype(np.uint8)
    phantom = util.img_as_ubyte(skdata.shepp_logan_phantom())
    return {"retina (fundus photograph)": retina, "Shepp–Logan CT phantom": phantom}


def train_and_tests(datasets: list[str], *, size: int = 28, n_train: int | None = None, n_test: int | None = None,
                    seed: int = 0, root: str | Path | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """A chapter's images: a seeded subset of ``datasets[0]``'s training split and each dataset's test split.

    Only :class:`OfflineCopyWarning` is silenced: the offline CI copies differ from the official files by design.
    """
    with accepting_subsets():
        train = load(datasets[0], "train", size=size, root=root)
        train_images = (train.subset(n_train, seed) if n_train else train).images
        tests = {flag: load(flag, "test", size=size, root=root, limit=n_test).images for flag in datasets}
    return train_images, tests
