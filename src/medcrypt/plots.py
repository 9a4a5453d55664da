"""The book's standard figures: image grids, histograms and adjacent-pixel scatter plots."""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np

from .metrics import adjacent_pairs, histograms


def _show(ax, image: np.ndarray) -> None:
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    ax.imshow(image, cmap="gray" if image.ndim == 2 else None, vmin=0, vmax=255, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])


def image_grid(rows: dict[str, np.ndarray], n: int = 6, title: str | None = None):
    """One row of ``n`` images per entry of ``rows`` (for example plain / cipher / decrypted)."""
    fig, axes = plt.subplots(len(rows), n, figsize=(1.4 * n, 1.5 * len(rows)), squeeze=False)
    for r, (label, images) in enumerate(rows.items()):
        images = np.asarray(images)
        for c in range(n):
            _show(axes[r, c], images[c])
        axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def histogram_panel(batches: dict[str, np.ndarray], pooled: bool = True):
    """Grey-level histograms side by side; ``pooled`` sums the counts over the batch."""
    fig, axes = plt.subplots(1, len(batches), figsize=(3.6 * len(batches), 2.8), squeeze=False)
    for ax, (label, images) in zip(axes[0], batches.items()):
        counts = histograms(images)
        counts = counts.sum(axis=0) if pooled else counts[0]
        ax.bar(np.arange(256), counts, width=1.0, color="0.3")
        ax.axhline(counts.sum() / 256, color="tab:red", lw=1, label="uniform")
        ax.set_title(label)
        ax.set_xlabel("grey level")
        ax.set_xlim(-1, 256)
    axes[0, 0].set_ylabel("pixels" + (" (pooled)" if pooled else ""))
    axes[0, 0].legend(loc="upper right", fontsize="small")
    fig.tight_layout()
    return fig


def adjacent_scatter(batches: dict[str, np.ndarray], directions: Sequence[str] = ("horizontal", "vertical", "diagonal"),
                     max_points: int = 3000, seed: int = 0):
    """Scatter of each pixel against its neighbour, one row per batch and one column per direction."""
    rng = np.random.default_rng(seed)
    fig, axes = plt.subplots(len(batches), len(directions), figsize=(2.6 * len(directions), 2.6 * len(batches)),
                             squeeze=False)
    for r, (label, images) in enumerate(batches.items()):
        for c, direction in enumerate(directions):
            a, b = adjacent_pairs(images, direction)
            a, b = a.ravel(), b.ravel()
            pick = rng.choice(a.size, size=min(max_points, a.size), replace=False)
            ax = axes[r, c]
            ax.scatter(a[pick], b[pick], s=1, alpha=0.4, color="0.2")
            ax.set_xlim(0, 255)
            ax.set_ylim(0, 255)
            ax.set_aspect("equal")
            if r == 0:
                ax.set_title(direction)
            if c == 0:
                ax.set_ylabel(f"{label}\nneighbour")
            if r == len(batches) - 1:
                ax.set_xlabel("pixel")
    fig.tight_layout()
    return fig


def pipeline_diagram(pipelines: dict[str, list[str]], title: str | None = None):
    """Block diagrams: one row of boxes joined by arrows per entry, such as a cipher's data flow."""
    width = max(len(steps) for steps in pipelines.values())
    step = 1.9
    fig, ax = plt.subplots(figsize=(1.45 * width + 1.3, 0.75 * len(pipelines) + 0.3))
    ax.set_xlim(-1.7, step * (width - 1) + 1.0)
    ax.set_ylim(-len(pipelines) + 0.5, 0.5)
    ax.axis("off")
    for row, (label, steps) in enumerate(pipelines.items()):
        y = -row
        ax.text(-1.65, y, label, ha="left", va="center", fontsize=10, fontweight="bold")
        for i, text in enumerate(steps):
            x = step * i
            ax.text(x, y, text.replace(" ", "\n", 1) if len(text) > 14 else text, ha="center", va="center",
                    fontsize=9, bbox={"boxstyle": "round,pad=0.35", "facecolor": "#eef3fb", "edgecolor": "#35619e"})
            if i:
                ax.annotate("", xy=(x - 0.78, y), xytext=(x - step + 0.78, y),
                            arrowprops={"arrowstyle": "->", "color": "#35619e"})
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def throughput_bars(rates: dict[str, dict[str, float]], title: str | None = None):
    """Encrypt and decrypt MB/s per cipher as grouped horizontal bars on a log scale."""
    names = list(rates)
    y = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(6.5, 0.55 * len(names) + 1.2))
    ax.barh(y - 0.2, [rates[n]["encrypt_mb_per_s"] for n in names], height=0.4, label="encrypt", color="#35619e")
    ax.barh(y + 0.2, [rates[n]["decrypt_mb_per_s"] for n in names], height=0.4, label="decrypt", color="#9bb8e0")
    ax.set_yticks(y, names)
    ax.set_xscale("log")
    ax.set_xlabel("MB/s (log scale)")
    ax.invert_yaxis()
    ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
