"""Ciphertext-only leakage: can a classifier read the diagnosis from cipher images alone?

A classifier is trained on cipher images labelled with the diagnosis and tested on the
cipher images of held-out patients. A cipher that hides content leaves it at chance: its
AUC near 0.5 and its accuracy near the majority-class rate. Image-shaped ciphertexts go
to the small CNN of :mod:`medcrypt.classifier`; other ciphertexts (latent codes) to a
small multilayer perceptron on their bytes. Both are trained from ``seed`` without
touching the global random generators (see :mod:`medcrypt.classifier`).
"""

from __future__ import annotations

import numpy as np
import torch
from scipy import stats
from sklearn.metrics import roc_auc_score
from torch import nn

from .. import classifier, train
from ..ciphers.base import check_images


def _as_vectors(x: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(x.reshape(len(x), -1).astype(np.float32) / 127.5 - 1)


def _train_mlp(x: np.ndarray, labels: np.ndarray, epochs: int, seed: int):
    """A small perceptron on the ciphertext bytes; returns a function giving class probabilities."""
    classes = int(labels.max()) + 1
    with train.seeded_torch(seed):  # the initial weights, from ``seed`` alone
        model = nn.Sequential(nn.Linear(int(np.prod(x.shape[1:])), 128), nn.ReLU(True), nn.Dropout(0.2),
                              nn.Linear(128, classes))
    classifier.fit_classifier(model, _as_vectors(x), labels, epochs=epochs, seed=seed, device=torch.device("cpu"),
                              desc="classifier (MLP)")

    def proba(images):
        with torch.no_grad():
            return torch.softmax(model(_as_vectors(images)), dim=1).numpy()

    return proba


def diagnosis_leakage(train_cipher: np.ndarray, train_labels: np.ndarray, test_cipher: np.ndarray,
                      test_labels: np.ndarray, *, image_shape: tuple[int, ...], epochs: int = 5,
                      seed: int = 0) -> dict[str, float]:
    """Accuracy and AUC of a classifier trained on cipher images, beside the majority-class rate.

    Binary labels (0/1). ``auc_p_value`` tests "the AUC exceeds 0.5" (one-sided Mann–Whitney).
    """
    train_cipher = check_images(np.asarray(train_cipher).view(np.ndarray), "diagnosis_leakage", argument="train_cipher")
    test_cipher = check_images(np.asarray(test_cipher).view(np.ndarray), "diagnosis_leakage", argument="test_cipher")
    train_labels, test_labels = np.asarray(train_labels).reshape(-1), np.asarray(test_labels).reshape(-1)
    if len(train_labels) != len(train_cipher) or len(test_labels) != len(test_cipher):
        raise ValueError("diagnosis_leakage: one label per cipher image is needed")
    if set(np.unique(train_labels)) != {0, 1} or not set(np.unique(test_labels)) <= {0, 1}:
        raise ValueError("diagnosis_leakage: labels must be binary 0/1, with both classes in the training set")
    if train_cipher.shape[1:] == tuple(image_shape) and min(image_shape[:2]) >= 8:
        model, _ = classifier.train_classifier(train_cipher, train_labels, epochs=epochs, seed=seed)
        probabilities = classifier.predict_proba(model, test_cipher)
    else:
        probabilities = _train_mlp(train_cipher, train_labels, epochs, seed)(test_cipher)
    majority = float(np.mean(test_labels == np.bincount(train_labels).argmax()))
    accuracy = float(np.mean(probabilities.argmax(axis=1) == test_labels))
    scores = probabilities[:, 1]
    auc = float(roc_auc_score(test_labels, scores))
    # AUC is the Mann–Whitney U statistic over (positive, negative) pairs: its one-sided
    # p-value says whether the classifier ranks the classes better than chance.
    p_value = float(stats.mannwhitneyu(scores[test_labels == 1], scores[test_labels == 0],
                                       alternative="greater").pvalue)
    return {"accuracy": accuracy, "auc": auc, "majority": majority, "auc_p_value": p_value}
