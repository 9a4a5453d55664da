"""A small diagnostic classifier, to measure what lossy decryption does to the medical use of an image.

It is trained on plaintext training images only. Its accuracy and AUC on decrypted test
images, set beside the same figures on the original test images, say how much
diagnostic information a lossy cipher destroys (chapter 4).

Training leaves the global random generators alone: initial weights and dropout draw
from torch's global generator inside :func:`medcrypt.train.seeded_torch`, which seeds it
from ``seed`` and restores it afterwards, so a seed gives the same model every time.
"""

from __future__ import annotations

import numpy as np
import torch
from sklearn.metrics import roc_auc_score
from torch import nn

from . import train
from .ciphers.base import check_images


class SmallCNN(nn.Module):
    """Two conv blocks and a linear head: enough for pneumonia vs normal on 28×28 X-rays."""

    def __init__(self, channels: int = 1, width: int = 16, classes: int = 2):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(channels, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(True), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(True), nn.MaxPool2d(2),
            nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Dropout(0.2), nn.Linear(2 * width * 16, classes))

    def forward(self, x):
        return self.net(x)


def fit_classifier(model: nn.Module, inputs: torch.Tensor, labels: np.ndarray, *, epochs: int, batch_size: int = 64,
                   seed: int = 0, lr: float = 1e-3, device: torch.device | None = None,
                   desc: str = "classifier") -> train.History:
    """Train any classifier ``model`` on ``inputs`` (N, ...) with cross-entropy; class weights offset imbalance.

    Shuffling uses a generator seeded with ``seed``; dropout draws from torch's global
    generator, so training runs inside :func:`~medcrypt.train.seeded_torch` (same seed,
    same model; the global state is restored afterwards).
    """
    device = device or train.pick_device()
    model.to(device)
    classes = int(labels.max()) + 1
    counts = np.bincount(labels, minlength=classes).astype(np.float32)
    weights = torch.from_numpy(counts.sum() / (classes * np.maximum(counts, 1))).to(device)
    loss_fn = nn.CrossEntropyLoss(weight=weights)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)

    def step(batch):
        x, y = batch
        model.train()
        loss = loss_fn(model(x), y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        return {"cross-entropy": loss.item()}

    with train.seeded_torch(seed, device):
        history = train.fit(step, (inputs, torch.from_numpy(labels.astype(np.int64))), epochs=epochs,
                            batch_size=batch_size, seed=seed, device=device, desc=desc)
    model.eval()
    return history


def train_classifier(images: np.ndarray, labels: np.ndarray, *, epochs: int = 5, batch_size: int = 64, seed: int = 0,
                     lr: float = 1e-3, device: str | None = None) -> tuple[SmallCNN, train.History]:
    """Train :class:`SmallCNN` on ``uint8`` images and integer labels (N,); class weights offset imbalance."""
    images = check_images(images, "train_classifier")
    labels = np.asarray(labels)
    if labels.shape != (len(images),):
        raise ValueError(f"train_classifier: labels must have shape ({len(images)},); got {labels.shape}")
    with train.seeded_torch(seed):  # the initial weights, from ``seed`` alone
        model = SmallCNN(images.shape[-1] if images.ndim == 4 else 1, classes=int(labels.max()) + 1)
    history = fit_classifier(model, train.to_unit(images), labels, epochs=epochs, batch_size=batch_size, seed=seed,
                             lr=lr, device=train.pick_device(device))
    return model, history


def predict_proba(model: nn.Module, images: np.ndarray) -> np.ndarray:
    """Class probabilities, shape (N, classes)."""
    images = check_images(images, "predict_proba")
    return _probabilities(model, train.to_unit(images))


def _probabilities(model: nn.Module, inputs: torch.Tensor) -> np.ndarray:
    """Class probabilities of ``model`` on prepared ``inputs`` (N, ...), in batches of 512."""
    model.eval()
    device = next(model.parameters()).device
    with torch.no_grad():
        return torch.cat([torch.softmax(model(inputs[i:i + 512].to(device)), dim=1).cpu()
                          for i in range(0, len(inputs), 512)]).numpy()


def diagnostic_scores(model: nn.Module, images: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Accuracy and ROC AUC (binary: of class 1) of ``model`` on ``images``."""
    probabilities = predict_proba(model, images)
    labels = np.asarray(labels)
    accuracy = float((probabilities.argmax(axis=1) == labels).mean())
    auc = float(roc_auc_score(labels, probabilities[:, 1])) if probabilities.shape[1] == 2 else float("nan")
    return {"accuracy": accuracy, "auc": auc}


def bootstrap_auc_se(labels: np.ndarray, scores: np.ndarray, n_boot: int = 200, seed: int = 0) -> float:
    """Bootstrap standard error of the ROC AUC of ``scores`` (of class 1) for binary ``labels``.

    The test images are resampled with replacement ``n_boot`` times (resamples with one class only are
    skipped); the spread of the resampled AUCs says how much of a difference between two AUCs on this
    test set is noise.
    """
    labels, scores = np.asarray(labels), np.asarray(scores)
    if labels.shape != scores.shape or len(np.unique(labels)) != 2:
        raise ValueError("bootstrap_auc_se needs binary labels with both classes and one score per label")
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n_boot):
        index = rng.integers(0, len(labels), len(labels))
        if len(np.unique(labels[index])) == 2:
            aucs.append(roc_auc_score(labels[index], scores[index]))
    return float(np.std(aucs, ddof=1)) if len(aucs) > 1 else float("nan")


class BlockwiseClassifier(nn.Module):
    """A classifier adapted to block-wise encryption, after Tanaka's adaptation network: its first layer works block by
    block (kernel = stride = block size) on the images' 4-bit planes.

    One block of LE is a fixed shuffle and reversal of K = 2·M²·C four-bit values, the same in
    every block, so a shared block-wise linear layer with K outputs can undo it exactly.
    EtC moves and turns whole blocks, the same way for every image; the dense layer that
    follows has its own weights for every block position and can undo that too. The
    network is the same for plain and encrypted images: only the data change.
    """

    def __init__(self, image_shape: tuple[int, ...] = (28, 28), block_size: int = 4, hidden: int = 128,
                 classes: int = 2):
        super().__init__()
        height, width = image_shape[:2]
        channels = image_shape[2] if len(image_shape) == 3 else 1
        if height % block_size or width % block_size:
            raise ValueError(f"BlockwiseClassifier: block_size {block_size} must divide {height}×{width}")
        values = 2 * channels * block_size ** 2
        blocks = (height // block_size) * (width // block_size)
        self.blocks = nn.Conv2d(2 * channels, values, block_size, stride=block_size)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(values * blocks, hidden), nn.ReLU(True), nn.Dropout(0.2),
                                  nn.Linear(hidden, classes))

    def forward(self, x):
        return self.head(self.blocks(x))


def nibble_inputs(images: np.ndarray) -> torch.Tensor:
    """``uint8`` images as float (N, 2C, H, W) 4-bit planes in [0, 1]: the input of :class:`BlockwiseClassifier`."""
    from .ciphers.learnable import nibble_planes

    planes = nibble_planes(check_images(images, "nibble_inputs"))
    return torch.from_numpy(np.ascontiguousarray(planes.transpose(0, 3, 1, 2))).float() / 15.0


def train_blockwise(images: np.ndarray, labels: np.ndarray, *, block_size: int = 4, epochs: int = 5,
                    batch_size: int = 64, seed: int = 0, lr: float = 1e-3, device: str | None = None,
                    desc: str = "block-wise classifier") -> tuple[BlockwiseClassifier, train.History]:
    """Train :class:`BlockwiseClassifier` on ``uint8`` images (plain or encrypted) and integer labels (N,)."""
    images = check_images(images, "train_blockwise")
    labels = np.asarray(labels)
    if labels.shape != (len(images),):
        raise ValueError(f"train_blockwise: labels must have shape ({len(images)},); got {labels.shape}")
    with train.seeded_torch(seed):  # the initial weights, from ``seed`` alone
        model = BlockwiseClassifier(images.shape[1:], block_size, classes=int(labels.max()) + 1)
    history = fit_classifier(model, nibble_inputs(images), labels, epochs=epochs, batch_size=batch_size, seed=seed,
                             lr=lr, device=train.pick_device(device), desc=desc)
    return model, history


def scores_of(model: nn.Module, inputs: torch.Tensor, labels: np.ndarray) -> dict[str, float]:
    """Accuracy, ROC AUC and its bootstrap standard error of ``model`` on prepared ``inputs`` (binary labels)."""
    probabilities = _probabilities(model, inputs)
    labels = np.asarray(labels)
    return {"accuracy": float((probabilities.argmax(axis=1) == labels).mean()),
            "auc": float(roc_auc_score(labels, probabilities[:, 1])),
            "auc_se": bootstrap_auc_se(labels, probabilities[:, 1])}
