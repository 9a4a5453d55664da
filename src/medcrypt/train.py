"""The shared training loop: device choice, seeding, mini-batches, ``tqdm`` progress, loss history.

A model supplies one function, ``step(batch) -> {loss name: value}``, that runs a single
optimisation step on a batch already on the right device; :func:`fit` does the rest.

Nothing here changes the process's global random generators (Python's ``random``,
NumPy's global state, torch's default generators): :func:`fit` shuffles with a
``torch.Generator`` of its own, and :func:`seeded_torch` lends the few draws that torch
makes only from its global generator (initial weights, dropout) a seed of their own and
then restores the global state.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch
# Plain-text bars: they read the same in a terminal, in Colab and in the stored outputs of
# the executed book (tqdm.auto would warn, and store nothing useful, without ipywidgets).
from tqdm import tqdm


def pick_device(prefer: str | None = None) -> torch.device:
    """``prefer`` if given, else CUDA when available, else the CPU."""
    if prefer:
        return torch.device(prefer)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@contextlib.contextmanager
def seeded_torch(seed: int, device: torch.device | str | None = None):
    """Seed torch's global generator with ``seed`` for the block, and restore its state afterwards.

    Two draws in torch take no generator argument: the initial weights of ``nn`` layers and
    dropout masks. Building a model, or training one with dropout, inside this block makes
    them depend on ``seed`` alone, and leaves everyone else's random numbers as they were.
    For a CUDA ``device``, that device's generator (which draws dropout there) is forked
    and seeded too.
    """
    device = torch.device(device) if device is not None else torch.device("cpu")
    cuda = []
    if device.type == "cuda":
        cuda = [device.index if device.index is not None else torch.cuda.current_device()]
    with torch.random.fork_rng(devices=cuda, device_type="cuda"):
        torch.random.default_generator.manual_seed(seed)
        for index in cuda:
            with torch.cuda.device(index):
                torch.cuda.manual_seed(seed)
        yield


def to_unit(images: np.ndarray) -> torch.Tensor:
    """``uint8`` (N, H, W) or (N, H, W, C) images as float (N, C, H, W) in [-1, 1]."""
    tensor = torch.from_numpy(np.ascontiguousarray(images)).float()
    tensor = tensor.unsqueeze(1) if tensor.ndim == 3 else tensor.permute(0, 3, 1, 2)
    return tensor / 127.5 - 1.0


def from_unit(tensor: torch.Tensor, channels_last: bool) -> np.ndarray:
    """Inverse of :func:`to_unit`, rounding to ``uint8``."""
    x = ((tensor.detach().float().cpu().clamp(-1, 1) + 1.0) * 127.5).round().to(torch.uint8)
    x = x.permute(0, 2, 3, 1) if channels_last else x[:, 0]
    return x.numpy()


@dataclass
class History:
    """Mean loss per epoch for each named loss, and the wall time of training."""

    losses: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0

    def add_epoch(self, means: dict[str, float]) -> None:
        for name, value in means.items():
            self.losses.setdefault(name, []).append(float(value))

    def to_dict(self) -> dict:
        return {"losses": self.losses, "seconds": self.seconds}

    @classmethod
    def from_dict(cls, payload: dict) -> "History":
        return cls({k: list(v) for k, v in payload["losses"].items()}, float(payload["seconds"]))

    def plot(self, title: str | None = None, groups: dict[str, list[str]] | None = None):
        """Loss curves: one panel per group of loss names (all in one panel by default)."""
        groups = groups or {"losses": list(self.losses)}
        return loss_panels({label: {name: self.losses[name] for name in names} for label, names in groups.items()},
                           title)


def loss_panels(panels: dict[str, dict[str, list[float]]], title: str | None = None):
    """One panel per title, one line per label (values per epoch): the shape of every loss-curve figure."""
    import matplotlib.pyplot as plt  # only when a figure is drawn

    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.2), squeeze=False)
    for ax, (panel, lines) in zip(axes[0], panels.items()):
        for label, values in lines.items():
            ax.plot(range(1, len(values) + 1), values, marker="o", ms=3, label=label)
        ax.set_xlabel("epoch")
        ax.set_title(panel)
        ax.legend(fontsize="small")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def fit(
    step: Callable[[torch.Tensor], dict[str, float]],
    data: torch.Tensor | tuple[torch.Tensor, ...],
    *,
    epochs: int,
    batch_size: int,
    seed: int,
    device: torch.device,
    desc: str = "training",
    history: History | None = None,
) -> History:
    """Run ``epochs`` passes of shuffled mini-batches through ``step`` and record mean losses.

    ``data`` is one tensor, or a tuple of tensors indexed together (images and labels);
    ``step`` then receives a tuple of batches.
    """
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"epochs and batch_size must be >= 1; got {epochs} and {batch_size}")
    tensors = data if isinstance(data, tuple) else (data,)
    if len(tensors[0]) == 0:
        raise ValueError("fit needs at least one training example")
    history = history or History()
    generator = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    n_batches = (len(tensors[0]) + batch_size - 1) // batch_size
    with tqdm(total=epochs * n_batches, desc=desc, unit="batch") as bar:
        for epoch in range(epochs):
            order = torch.randperm(len(tensors[0]), generator=generator)
            sums: dict[str, float] = {}
            for b in range(n_batches):
                index = order[b * batch_size:(b + 1) * batch_size]
                batch = tuple(t[index].to(device) for t in tensors)
                batch = batch if isinstance(data, tuple) else batch[0]
                losses = step(batch)
                for name, value in losses.items():
                    sums[name] = sums.get(name, 0.0) + float(value)
                bar.update(1)
                bar.set_postfix({k: f"{v:.3f}" for k, v in losses.items()}, refresh=False)
            history.add_epoch({k: v / n_batches for k, v in sums.items()})
    history.seconds += time.perf_counter() - start
    return history


def save_checkpoint(path: str | Path, modules: dict[str, torch.nn.Module], config: dict, history: History) -> Path:
    """Save weights, the configuration they were trained with, and their loss history."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state": {k: m.state_dict() for k, m in modules.items()}, "config": config,
                "history": history.to_dict()}, path)
    return path


def load_checkpoint(path: str | Path) -> dict:
    """Read a checkpoint written by :func:`save_checkpoint` (weights only; no code is unpickled)."""
    payload = torch.load(Path(path), map_location="cpu", weights_only=True)
    payload["history"] = History.from_dict(payload["history"])
    return payload


def config_hash(config: dict) -> str:
    """A short stable fingerprint of a training configuration, for checkpoint file names."""
    import hashlib

    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:10]
