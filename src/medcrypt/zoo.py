"""Every registered cipher, ready to attack: trained models are loaded from the build folder or trained.

The chapters save trained models as ``<weights_dir>/<name>-<config hash>.pt``
(:func:`medcrypt.ciphers.neural.load_or_train`). A later chapter that needs a learned
cipher takes the newest checkpoint of that cipher for the image shape at hand; when there
is none (a chapter run on its own, for example in Colab) it trains one with the cipher's
defaults through :meth:`~medcrypt.ciphers.neural.TorchCipher.quick_fit` and saves it, so
the next run reuses it. Ciphers added to the registry join without edits here.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np

from .ciphers import available, factory
from .ciphers.base import Cipher
from .ciphers.neural import TorchCipher, load_or_train


def is_learned(name: str) -> bool:
    """Whether the registered cipher ``name`` has trained weights."""
    made_by = factory(name)
    return inspect.isclass(made_by) and issubclass(made_by, TorchCipher)


def build(name: str, image_shape: tuple[int, ...], seed: int = 0) -> Cipher:
    """A fresh instance of ``name``, passing ``image_shape``/``seed``/``nonce_seed`` where it takes them.

    ``nonce_seed`` makes nonces reproducible for the book's tables; never reuse one in practice.
    """
    made_by = factory(name)
    accepted = inspect.signature(made_by).parameters
    offered = {"image_shape": tuple(image_shape), "seed": seed, "nonce_seed": seed}
    return made_by(**{k: v for k, v in offered.items() if k in accepted})


def latest_checkpoint(name: str, folder: str | Path, image_shape: tuple[int, ...]) -> Path | None:
    """The newest checkpoint of registered cipher ``name`` in ``folder`` for ``image_shape``, or None."""
    import torch

    made_by = factory(name)
    candidates = sorted(Path(folder).glob(f"{name}-*.pt"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in candidates:
        config = torch.load(path, map_location="cpu", weights_only=True)["config"]
        if tuple(config.get("image_shape", ())) == tuple(image_shape) and \
                set(config) <= set(inspect.signature(made_by).parameters):
            return path
    return None


def ready(name: str, *, weights_dir: str | Path, train_images: np.ndarray, epochs: int = 2,
          seed: int = 0) -> tuple[Cipher, str]:
    """The cipher ``name`` ready for use, and where its weights came from (a sentence for tables)."""
    image_shape = tuple(train_images.shape[1:])
    if not is_learned(name):
        return build(name, image_shape, seed), "no training"
    path = latest_checkpoint(name, weights_dir, image_shape)
    if path is not None:
        return factory(name).load(path), f"loaded {path.name}"
    cipher, path, _ = load_or_train(build(name, image_shape, seed), weights_dir,
                                    {"epochs": epochs, "n_train": len(train_images), "purpose": "attacks"},
                                    lambda c: c.quick_fit(train_images, epochs=epochs, seed=seed))
    return cipher, f"trained now ({path.name})"


def ready_all(*, weights_dir: str | Path, train_images: np.ndarray, epochs: int = 2, seed: int = 0,
              names: list[str] | None = None) -> dict[str, tuple[Cipher, str]]:
    """:func:`ready` for every registered cipher (or ``names``)."""
    return {name: ready(name, weights_dir=weights_dir, train_images=train_images, epochs=epochs, seed=seed)
            for name in (names or available())}
