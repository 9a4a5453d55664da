"""MedMNIST loading (``uint8`` images and integer labels for any 2D flag, split and size) and DICOM reading.

The root folder is resolved as: the ``root`` argument, then ``$MEDMNIST_ROOT``, then
``data/medmnist`` in the repository. A missing file is downloaded from the official URL
that the ``medmnist`` package records, and its MD5 is checked. Offline, a missing file
raises :class:`MedMNISTNotFound`, which says which file to fetch and where to put it.

Arrays are read with NumPy, not through ``medmnist``'s dataset class, because that
class asserts the official sample counts and the offline copies used in CI may be
subsets; a copy that differs from the official file raises :class:`OfflineCopyWarning`, not an error.
A file that cannot be read at all (a download cut short) raises :class:`MedMNISTDamaged`,
which gives its MD5 beside the official one and says how to fetch it again.

DICOM files are read with ``pydicom`` (:func:`read_dicom`) into integer pixel arrays with
their bit depth and header; the real CT and MR files that ship inside ``pydicom``'s wheel
are available by name (:data:`DICOM_SAMPLES`), so nothing is downloaded. Files the book
cannot use raise :class:`DicomError`, which says why and what to do.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SIZES = (28, 64, 128, 224)
SPLITS = ("train", "val", "test")
from .paths import REPO_ROOT
# In a clone (editable install) the cache is the repository's data/medmnist; when the
# package is installed from git (Colab) it is medmnist's own default, ~/.medmnist.
DEFAULT_ROOT = (REPO_ROOT / "data" / "medmnist" if (REPO_ROOT / "pyproject.toml").exists()
                else Path.home() / ".medmnist")


class MedMNISTNotFound(FileNotFoundError):
    """A MedMNIST file is missing and could not be downloaded."""


class MedMNISTDamaged(OSError):
    """A MedMNIST file is there but cannot be read: a truncated or corrupted download."""


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
    try:
        with np.load(path) as npz:
            if f"{split}_images" not in npz.files:
                raise ValueError(f"{path} holds no {split} split (it has {', '.join(npz.files)}); "
                                 "use a complete copy of the official file")
            images = npz[f"{split}_images"]
            labels = npz[f"{split}_labels"]
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, ValueError) and "holds no" in str(exc):
            raise
        url, md5 = official_url_md5(flag, size)
        found = _md5(path, path.stat().st_mtime_ns)
        raise MedMNISTDamaged(
            f"MedMNIST file {path} is damaged and cannot be read ({type(exc).__name__}: {exc}). Its MD5 is "
            f"{found}; the official {path.name} has MD5 {md5}. Delete it and load again to download it anew "
            f"(medcrypt.data.load downloads missing files), or fetch {url} by hand into {path.parent}."
        ) from exc
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


def split_sizes(flag: str, split: str = "train", size: int = 28,
                root: str | os.PathLike | None = None) -> tuple[int, int]:
    """(images in the local copy of a split, images in the official split): equal unless the copy is a subset.

    A run note states both, so a reader knows when a "whole split" was an offline subset.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}; got {split!r}")
    with accepting_subsets():
        path = ensure_file(flag, size, root, download=False)
    with np.load(path) as npz:
        found = len(npz[f"{split}_labels"])
    return found, int(_info(flag)["n_samples"][split])


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


# ------------------------------------------------------------------ DICOM

#: Real DICOM files inside pydicom's wheel (``pydicom.data``): name -> what it is. No download needed.
DICOM_SAMPLES = {
    "CT_small.dcm": "CT, 128×128, 16-bit signed, uncompressed",
    "MR_small.dcm": "MR, 64×64, 16-bit signed, uncompressed",
    "693_J2KI.dcm": "CT (CQ500), 512×512, 14 of 16 bits stored, signed, JPEG 2000 (decoded by Pillow)",
    "examples_overlay.dcm": "MR, 300×484, 12 of 16 bits stored, unsigned, uncompressed",
}
#: Bits per stored pixel that the book's ciphers and metrics take.
DICOM_BITS_ALLOCATED = (8, 16)


class DicomError(ValueError):
    """A file that the book cannot use as a DICOM image; the message says why and what to do."""


@dataclass(frozen=True)
class DicomImage:
    """One DICOM image: its pixels as pydicom decodes them, their bit depth, and the whole header.

    ``pixels`` is ``int16``/``uint16`` (or ``uint8``) of shape (H, W), (frames, H, W) or
    (H, W, 3). ``words`` is the batch the ciphers and metrics take: the stored bits as
    unsigned words (``uint16`` for 16-bit data, two's complement for signed pixels, so
    the bits are exactly those of the file), with a batch axis of one image per frame.
    """

    name: str
    pixels: np.ndarray
    bits_allocated: int
    bits_stored: int
    signed: bool
    header: object  # pydicom.Dataset (not imported at module level: pydicom is only needed for DICOM)

    @property
    def words(self) -> np.ndarray:
        unsigned = np.dtype(f"uint{self.bits_allocated}")
        frames = self.header.get("NumberOfFrames", 1) or 1
        batch = self.pixels if int(frames) > 1 else self.pixels[None]
        return np.ascontiguousarray(batch.astype(batch.dtype.newbyteorder("="), copy=False)).view(unsigned)

    @property
    def levels(self) -> int:
        """Grey levels of the stored words, 2 ** BitsAllocated: what a cipher's output can use."""
        return 2 ** self.bits_allocated

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.pixels.shape)


def dicom_sample(name: str) -> Path:
    """Path of a DICOM file that ships with ``pydicom`` (one of :data:`DICOM_SAMPLES`, or any other it bundles)."""
    from pydicom.data import get_testdata_file

    with warnings.catch_warnings():  # pydicom warns before it would try to download a file it lacks
        warnings.simplefilter("ignore")
        path = get_testdata_file(name, download=False)
    if path is None:
        raise DicomError(f"pydicom does not bundle a file named {name!r}; the book uses {', '.join(DICOM_SAMPLES)}")
    return Path(path)


def read_dicom(source: str | os.PathLike) -> DicomImage:
    """Read a DICOM file (a path, or the name of a bundled sample) into a :class:`DicomImage`.

    Raises :class:`DicomError` for a file that is not DICOM, has no image, is compressed
    with no installed decoder, is damaged, or stores pixels in other than 8 or 16 bits.
    """
    import pydicom
    from pydicom.errors import InvalidDicomError

    path = Path(source)
    if not path.exists() and path.name == str(source):
        path = dicom_sample(str(source)) if str(source).lower().endswith(".dcm") else path
    if not path.exists():
        raise FileNotFoundError(f"no DICOM file at {path}; give a path, or a bundled sample: {', '.join(DICOM_SAMPLES)}")
    try:
        header = pydicom.dcmread(path)
    except InvalidDicomError as exc:
        raise DicomError(f"{path} is not a DICOM file ({exc}); give a DICOM Part 10 file, such as one of "
                         f"{', '.join(DICOM_SAMPLES)}") from exc
    if "PixelData" not in header:
        kind = getattr(header.get("SOPClassUID"), "name", "an object") or "an object"
        raise DicomError(f"{path.name} has no pixel data: it is {kind}, not an image")
    bits = int(header.get("BitsAllocated", 0))
    if bits not in DICOM_BITS_ALLOCATED:
        raise DicomError(f"{path.name} stores {bits}-bit pixels (BitsAllocated {bits}); the book's ciphers and "
                         f"metrics take {' or '.join(map(str, DICOM_BITS_ALLOCATED))}-bit pixels")
    syntax = header.file_meta.get("TransferSyntaxUID")
    try:
        pixels = header.pixel_array
    except (RuntimeError, NotImplementedError) as exc:  # pydicom: no plugin can decode this transfer syntax
        raise DicomError(
            f"{path.name}'s pixel data is compressed as {getattr(syntax, 'name', syntax)} and no installed "
            f"decoder reads it. Install one that pydicom names below, or decompress the file first "
            f"(for example with dcmtk's dcmdjpls or gdcmconv --raw). pydicom said: {exc}") from exc
    except ValueError as exc:  # pixel data shorter or longer than the header says
        raise DicomError(f"{path.name} is damaged: {exc}") from exc
    return DicomImage(path.name, pixels, bits, int(header.get("BitsStored", bits)),
                      bool(header.get("PixelRepresentation", 0)), header)
