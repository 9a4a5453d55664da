"""Every registered cipher, ready to attack: learned ciphers are loaded from the checkpoints the chapters recorded.

Chapters 3 to 6 save trained models as ``<weights_dir>/<name>-<config hash>.pt``
(:func:`medcrypt.ciphers.neural.load_or_train`) and record, in their results JSON under
``metadata["checkpoints"]``, which file each learned cipher they evaluated came from. A
later chapter loads exactly that file: the weights folder alone cannot say which of
several checkpoints (another profile's, an older configuration's) belongs to this run, and
file times change with every copy. When no chapter recorded one for the image shape at
hand (a chapter run on its own, for example in Colab), the cipher is trained with its
defaults through ``load_or_train``, whose file name is a hash of that configuration, so a
rerun reuses it. Ciphers added to the registry join without edits here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import results
from .ciphers import available, factory, plugins
from .ciphers.base import Cipher, trains

def build(name: str, image_shape: tuple[int, ...], seed: int = 0) -> Cipher:
    """A fresh instance of the registered cipher ``name`` (:func:`medcrypt.ciphers.plugins.build`, the one way
    a cipher is built). ``seed`` fixes trained weights only; nonces are never seeded."""
    return plugins.build(factory(name), image_shape, seed)


def ready(name: str, *, weights_dir: str | Path, results_dir: str | Path, train_images: np.ndarray,
          epochs: int = 2, seed: int = 0) -> tuple[Cipher, str]:
    """The cipher ``name`` ready for use, and where its weights came from (a sentence for tables).

    A learned cipher comes from the checkpoint a chapter recorded in ``results_dir`` for the
    shape of ``train_images`` (the first such chapter, in chapter order); otherwise it is
    trained on ``train_images`` for ``epochs`` with its defaults. A recorded file that is
    missing raises :class:`FileNotFoundError` rather than silently training a different model.
    """
    return _ready(name, Path(weights_dir), Path(results_dir), results.recorded_checkpoints(results_dir),
                  train_images, epochs, seed)


def ready_all(*, weights_dir: str | Path, results_dir: str | Path, train_images: np.ndarray, epochs: int = 2,
              seed: int = 0, names: list[str] | None = None) -> dict[str, tuple[Cipher, str]]:
    """:func:`ready` for every registered cipher (or ``names``), reading the chapters' records once."""
    recorded = results.recorded_checkpoints(results_dir)
    return {name: _ready(name, Path(weights_dir), Path(results_dir), recorded, train_images, epochs, seed)
            for name in (names or available())}


def _ready(name: str, weights_dir: Path, results_dir: Path, recorded: dict[str, list[tuple[str, str]]],
           train_images: np.ndarray, epochs: int, seed: int) -> tuple[Cipher, str]:
    image_shape = tuple(train_images.shape[1:])
    if not trains(name):
        return build(name, image_shape, seed), "no training"
    for chapter, file in recorded.get(name, []):
        path = weights_dir / file
        if not path.exists():
            raise FileNotFoundError(
                f"{name}: chapter {chapter} recorded the checkpoint {file} in {results_dir / (chapter + '.json')}, "
                f"but {path} does not exist; re-run chapter {chapter} with this weights_dir "
                f"(python -m medcrypt.book execute --only {chapter} --profile <the same profile>)")
        cipher = factory(name).load(path)
        if tuple(cipher.image_shape) == image_shape:
            return cipher, f"chapter {chapter}'s checkpoint {file}"
    from .ciphers.neural import load_or_train  # torch, only when a model is trained

    shape = "×".join(str(s) for s in image_shape)
    cipher, path, trained_now = load_or_train(
        build(name, image_shape, seed), weights_dir,
        {"epochs": epochs, "n_train": len(train_images), "purpose": "attacks"},
        lambda c: c.quick_fit(train_images, epochs=epochs, seed=seed))
    how = "trained now" if trained_now else "trained earlier with the same defaults"
    return cipher, f"{how} ({path.name}): no chapter recorded a {shape} checkpoint"
