"""A small diagnostic classifier, to measure what lossy decryption does to the medical use of an image.

It is trained on plaintext training images only. Its accuracy and AUC on decrypted test
images, set beside the same figures on the original test images, say how much
diagnostic information a lossy cipher destroys (chapter 4).
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
    """Train any classifier ``model`` on ``inputs`` (N, ...) with cross-entropy; class weights offset imbalance."""
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
    train.seed_everything(seed)
    model = SmallCNN(images.shape[-1] if images.ndim == 4 else 1, classes=int(labels.max()) + 1)
    history = fit_classifier(model, train.to_unit(images), labels, epochs=epochs, batch_size=batch_size, seed=seed,
                             lr=lr, device=train.pick_device(device))
    return model, history


def predict_proba(model: nn.Module, images: np.ndarray) -> np.ndarray:
    """Class probabilities, shape (N, classes)."""
    images = check_images(images, "predict_proba")
    model.eval()
    device = next(model.parameters()).device
    out = []
    with torch.no_grad():
        for start in range(0, len(images), 512):
            out.append(torch.softmax(model(train.to_unit(images[start:start + 512]).to(device)), dim=1).cpu().numpy())
    return np.concatenate(out)


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
