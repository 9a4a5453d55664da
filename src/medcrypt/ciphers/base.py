"""The `Cipher` contract that every chapter relies on, input validation and the registry.

The contract (DESIGN.md §4): a cipher maps a batch of ``uint8`` images to a batch of
``uint8`` cipher images of the same shape, under a key. The architecture is public
(Kerckhoffs); ``key_bits`` counts only the secret that is *not* public.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Protocol, runtime_checkable

import numpy as np

Key = Any  # bytes for the baselines; learned ciphers document their own key type.

FAMILIES = ("baseline", "gan", "autoencoder", "invertible", "feedforward")


class AuthenticationError(Exception):
    """An authenticated cipher refused to decrypt: wrong key, or a ciphertext, nonce or tag altered.

    It is deliberately not a ``ValueError``: the input was well-formed, it just failed
    verification, and no plaintext (not even a partial one) is returned.
    """


@runtime_checkable
class Cipher(Protocol):
    name: str
    family: str
    lossless: bool
    key_bits: int

    def keygen(self, seed: int | None = None) -> Key: ...

    def encrypt(self, images: np.ndarray, key: Key) -> np.ndarray: ...

    def decrypt(self, cipher: np.ndarray, key: Key) -> np.ndarray: ...


class CipherImages(np.ndarray):
    """Cipher images (``uint8``) that carry public per-image side data, such as a nonce.

    A correctly used stream cipher draws a fresh nonce for every image. The nonce is
    public but decryption needs it, so it travels with the pixels in ``side``
    (shape ``(N, k)``). Metrics see only the pixels. Indexing along the batch axis keeps
    the matching rows of ``side``; any other indexing returns a plain array.
    """

    side: np.ndarray | None

    def __new__(cls, pixels: np.ndarray, side: np.ndarray):
        obj = np.asarray(pixels).view(cls)
        obj.side = np.asarray(side)
        if obj.side.shape[0] != obj.shape[0]:
            raise ValueError(f"side data has {obj.side.shape[0]} rows for {obj.shape[0]} images")
        return obj

    def __array_finalize__(self, obj):
        self.side = getattr(obj, "side", None)

    def __getitem__(self, index):
        out = super().__getitem__(index)
        if not isinstance(out, CipherImages):  # a scalar
            return out
        if isinstance(index, tuple):
            if len(index) != 1:  # indexes pixels too: no longer a batch of whole images
                return out.view(np.ndarray)
            index = index[0]
        if isinstance(index, (int, np.integer)):  # one image without its batch axis
            return out.view(np.ndarray)
        out.side = None if self.side is None else self.side[index]
        return out

    def pixels(self) -> np.ndarray:
        """The cipher image as a plain ``uint8`` array, without side data."""
        return self.view(np.ndarray)


def check_images(
    images: Any,
    who: str,
    *,
    image_shape: tuple[int, ...] | None = None,
    argument: str = "images",
) -> np.ndarray:
    """Return ``images`` as a C-contiguous ``uint8`` batch, or raise a ``ValueError`` that says what is expected.

    A batch is ``(N, H, W)`` (grey) or ``(N, H, W, C)`` (colour) with ``N >= 1``.
    ``image_shape`` pins ``(H, W)`` or ``(H, W, C)`` for models trained at one size.
    """
    expected = "a uint8 array of shape (N, H, W) or (N, H, W, C) with N >= 1"
    if not isinstance(images, np.ndarray):
        raise ValueError(f"{who}: {argument} must be {expected}; got {type(images).__name__}")
    if images.dtype != np.uint8:
        raise ValueError(
            f"{who}: {argument} must be {expected}; got dtype {images.dtype}. "
            "Convert 0..255 data with .astype(np.uint8) or float data in [0, 1] with "
            "(x * 255).round().astype(np.uint8)."
        )
    if images.ndim not in (3, 4):
        hint = " (a single image? add a batch axis with images[None])" if images.ndim == 2 else ""
        raise ValueError(f"{who}: {argument} must be {expected}; got shape {images.shape}{hint}")
    if images.shape[0] == 0 or 0 in images.shape[1:]:
        raise ValueError(f"{who}: {argument} must be {expected}; got an empty batch of shape {images.shape}")
    if image_shape is not None and tuple(images.shape[1:]) != tuple(image_shape):
        raise ValueError(
            f"{who}: {argument} must be a uint8 array of shape (N, {', '.join(map(str, image_shape))}) for this model; "
            f"got {images.shape}"
        )
    return np.ascontiguousarray(images)


def seeded_key(seed: int | None, n_bytes: int) -> bytes:
    """A random key: from ``os.urandom``, or from ``seed`` for reproducible experiments only."""
    return os.urandom(n_bytes) if seed is None else np.random.default_rng(seed).bytes(n_bytes)


def flip_key_bit(key: bytes, bit: int) -> bytes:
    """Return ``key`` with bit number ``bit`` flipped (bit 0 is the most significant bit of byte 0)."""
    if not isinstance(key, (bytes, bytearray)):
        raise ValueError(f"flip_key_bit expects a bytes key; got {type(key).__name__}")
    if not 0 <= bit < 8 * len(key):
        raise ValueError(f"bit must be in [0, {8 * len(key)}); got {bit}")
    out = bytearray(key)
    out[bit // 8] ^= 0x80 >> (bit % 8)
    return bytes(out)


# ---------------------------------------------------------------- registry

_REGISTRY: dict[str, Callable[..., Cipher]] = {}
_PLUGINS_LOADED = False


def _load_plugins() -> None:
    """Register installed packages' ciphers (entry-point group ``medcrypt.ciphers``) once, on first use."""
    global _PLUGINS_LOADED
    if not _PLUGINS_LOADED:
        _PLUGINS_LOADED = True
        from .plugins import load_entry_points

        load_entry_points()


def register(factory: Callable[..., Cipher]) -> Callable[..., Cipher]:
    """Class decorator: make a cipher available by its ``name`` to chapters and the comparison."""
    name = getattr(factory, "name", None)
    family = getattr(factory, "family", None)
    if not name:
        raise ValueError(f"{factory!r} has no `name`")
    if family not in FAMILIES:
        raise ValueError(f"{name}: family must be one of {FAMILIES}; got {family!r}")
    if name in _REGISTRY and _REGISTRY[name] is not factory:
        raise ValueError(f"a cipher named {name!r} is already registered")
    _REGISTRY[name] = factory
    return factory


def available() -> list[str]:
    """Names of every registered cipher, sorted (installed plugins included)."""
    _load_plugins()
    return sorted(_REGISTRY)


def factory(name: str) -> Callable[..., Cipher]:
    """The class (or factory) registered as ``name``."""
    _load_plugins()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no cipher named {name!r}; registered: {', '.join(available())}") from None


def get(name: str, **kwargs) -> Cipher:
    """Build the registered cipher ``name``."""
    return factory(name)(**kwargs)
