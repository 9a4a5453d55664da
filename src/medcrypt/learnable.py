"""Chapter 7's experiments on learnable image encryption: what a network still learns, and what an attacker recovers.

The chapter narrates; these functions do the work and return tables, so that the same
experiments run on any block-wise scheme of the registry:

* :func:`key_space_table`: the secret (256 key bits) beside the number of distinct
  transformations of each scheme at the book's image size, and :func:`audit_table`,
  chapter 8's audit of which key bits matter;
* :func:`utility_table`: a diagnosis classifier trained and tested on plain and on
  encrypted images, and trained on one and tested on the other;
* :func:`jigsaw_table`: the ciphertext-only jigsaw attack on EtC, per image and with the
  arrangement solved from several cipher images under the one key, and
  :func:`le_puzzle_table`, the same idea on the 4-bit values inside LE's blocks;
* :func:`known_plaintext_table`: chapter 8's learned inversion and algebraic attack with
  known image pairs (the algebraic attack's structure on 4-bit values is the one that fits LE).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from tqdm import tqdm

from . import classifier, formatting, metrics, train
from .attacks import known_plaintext_attack
from .attacks.algebraic import sweep
from .attacks.key_audit import audit_key
from .attacks.jigsaw import jigsaw_attack, le_arrangement, score_all

PLAIN = "plain"
#: Column names of these tables as a reader sees them.
HEADERS = {"auc": "AUC", "auc_se": "AUC standard error", "claimed_bits": "claimed bits",
           "effective_bits": "bits that matter", "bits_decrypting_closer_than_noise": "flips decrypting closer than noise",
           "strength_bits": "search cost by the flips (bits)"}


#: Decimals of the columns whose unit sets them; every other float column gets ``shown``'s ``digits``.
DECIMALS = {"seconds": 1, "training (s)": 1, "PSNR (dB)": 2, "guess PSNR (dB)": 2}


def shown(table: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """A table of this module for display: readable headers, fixed decimals per column (``digits``, or those of
    :data:`DECIMALS`), ∞ and – for infinite and missing values, whole numbers without a decimal point.

    A table without an index of its own is indexed by its first column (unless that holds measurements), so that
    no row numbers 0, 1, … are shown.
    """
    if isinstance(table.index, pd.RangeIndex) and table[table.columns[0]].dtype.kind != "f":
        table = table.set_index(table.columns[0])
    table = table.rename(columns=HEADERS)

    def column_text(column: pd.Series) -> pd.Series:
        finite = column.dropna()
        finite = finite[np.isfinite(finite.astype(float))] if column.dtype.kind == "f" else finite
        if column.dtype.kind != "f" or (finite == finite.round()).all():  # text, counts or whole numbers only
            return column.map(formatting.text)
        return column.map(lambda v: formatting.number(v, DECIMALS.get(column.name, digits)))

    return table.apply(column_text).astype(object)


def key_space_table(schemes: dict[str, object], image_shape: tuple[int, ...]) -> pd.DataFrame:
    """Per scheme (label -> cipher): block size, blocks per image, the key's bits and log2 of the transformations."""
    rows = []
    for label, cipher in schemes.items():
        m = cipher.block_size
        transformations = cipher.key_space_bits(image_shape)
        rows.append({"scheme": label, "block size": f"{m}×{m}", "blocks": (image_shape[0] // m) * (image_shape[1] // m),
                     "key bits": cipher.key_bits, "log2 transformations": transformations,
                     "log2 distinct keys": min(float(cipher.key_bits), transformations)})
    return pd.DataFrame(rows).set_index("scheme")


def audit_table(schemes: dict[str, tuple], images: np.ndarray, *, alpha: float = metrics.ALPHA) -> pd.DataFrame:
    """Chapter 8's key audit of each scheme (label -> (cipher, key)): which claimed key bits matter."""
    rows = [{"scheme": label, **audit_key(cipher, images, key, alpha=alpha).to_dict()}
            for label, (cipher, key) in schemes.items()]
    return pd.DataFrame(rows).set_index("scheme")


def _encrypt(schemes: dict[str, tuple], images: np.ndarray) -> dict[str, np.ndarray]:
    return {PLAIN: images, **{label: np.asarray(c.encrypt(images, k)).view(np.ndarray)
                              for label, (c, k) in schemes.items()}}


def utility_table(schemes: dict[str, tuple], train_images: np.ndarray, train_labels: np.ndarray,
                  test_images: np.ndarray, test_labels: np.ndarray, *, wrong_keys: dict[str, object],
                  block_size: int = 4, epochs: int = 5, seed: int = 0) -> pd.DataFrame:
    """Accuracy and AUC of two classifiers on plain and encrypted PneumoniaMNIST (one row per train/test pairing).

    ``schemes``: label -> (cipher, key). For each, the block-wise classifier
    (:class:`~medcrypt.classifier.BlockwiseClassifier`) and the book's CNN
    (:class:`~medcrypt.classifier.SmallCNN`) are trained on images encrypted under the key
    and tested on encrypted test images; the plain-trained block-wise model is tested on
    encrypted images, and each encrypted-trained one on test images encrypted under
    ``wrong_keys[label]`` (another key), which says whether the model needs the key.
    """
    train_sets, test_sets = _encrypt(schemes, train_images), _encrypt(schemes, test_images)
    rows = []

    def record(model_name, trained_on, tested_on, scores, seconds=None):
        rows.append({"classifier": model_name, "trained on": trained_on, "tested on": tested_on, **scores,
                     "training (s)": seconds})

    for trained_on, images in train_sets.items():
        start = time.perf_counter()
        block_model, _ = classifier.train_blockwise(images, train_labels, block_size=block_size, epochs=epochs,
                                                    seed=seed, desc=f"block-wise on {trained_on}")
        block_seconds = time.perf_counter() - start
        record("block-wise", trained_on, trained_on,
               classifier.scores_of(block_model, classifier.nibble_inputs(test_sets[trained_on]), test_labels),
               block_seconds)
        if trained_on == PLAIN:
            for label in schemes:
                record("block-wise", PLAIN, label,
                       classifier.scores_of(block_model, classifier.nibble_inputs(test_sets[label]), test_labels))
        else:
            cipher = schemes[trained_on][0]
            other = np.asarray(cipher.encrypt(test_images, wrong_keys[trained_on])).view(np.ndarray)
            record("block-wise", trained_on, f"{trained_on}, another key",
                   classifier.scores_of(block_model, classifier.nibble_inputs(other), test_labels))
        start = time.perf_counter()
        cnn, _ = classifier.train_classifier(images, train_labels, epochs=epochs, seed=seed)
        cnn_seconds = time.perf_counter() - start
        record("CNN", trained_on, trained_on,
               classifier.scores_of(cnn, train.to_unit(test_sets[trained_on]), test_labels), cnn_seconds)
    return pd.DataFrame(rows)


def _puzzle_row(block_size: int, label: str, used: int, result, seconds: float) -> dict:
    """One row of the puzzle tables from a :class:`~medcrypt.attacks.jigsaw.JigsawResult`."""
    return {"block size": block_size, "attack": label, "cipher images used": used,
            "images scored": len(result.direct), "direct": float(result.direct.mean()),
            "neighbour": float(result.neighbour.mean()), "restored": float(np.mean(result.direct == 1.0)),
            "PSNR (dB)": result.psnr, "SSIM": result.ssim, "seconds": seconds}


def jigsaw_table(cipher, key, images: np.ndarray, *, counts: list[int], alone: int, negative: bool = True,
                 starts: int = 4) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The jigsaw attack on ``cipher`` (an EtC scheme) over ``images``: each of the first ``alone`` images solved on its
    own, then the arrangement solved from the first n cipher images together for each n of ``counts`` and applied to
    every image.

    Returns one row per attack (mean direct and neighbour comparison, the share of images
    restored exactly, pooled PSNR, mean SSIM, seconds) and the reconstructions of each.
    """
    cipher_images = np.asarray(cipher.encrypt(images, key)).view(np.ndarray)
    rows, reconstructions = [], {}
    runs = [("each image alone", 0, alone)] + [(f"{n} cipher images", n, len(images)) for n in counts]
    for label, shared, n_scored in tqdm(runs, desc=f"jigsaw {cipher.block_size}×{cipher.block_size}", leave=False):
        start = time.perf_counter()
        result = jigsaw_attack(cipher_images[:n_scored], images[:n_scored], cipher.block_size, shared=shared,
                               negative=negative, starts=starts)
        rows.append(_puzzle_row(cipher.block_size, label, shared or 1, result, time.perf_counter() - start))
        reconstructions[label] = result.reconstructions
    return pd.DataFrame(rows), reconstructions


def le_puzzle_table(cipher, key, images: np.ndarray, *, counts: list[int]) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The ciphertext-only attack on LE (:func:`~medcrypt.attacks.jigsaw.le_arrangement`): for each n of ``counts``,
    the shuffle solved from the first n cipher images and applied to every image of ``images``; the columns of
    :func:`jigsaw_table`, scored up to a negation of the whole image."""
    cipher_images = np.asarray(cipher.encrypt(images, key)).view(np.ndarray)
    rows, reconstructions = [], {}
    for n in tqdm(counts, desc="LE puzzle", leave=False):
        start = time.perf_counter()
        restored = le_arrangement(cipher_images[:n], cipher.block_size).decrypt(cipher_images)
        seconds = time.perf_counter() - start
        result = score_all(images, restored, cipher.block_size)
        label = f"{n} cipher image{'s' if n > 1 else ''}"
        rows.append(_puzzle_row(cipher.block_size, label, n, result, seconds))
        reconstructions[label] = result.reconstructions
    return pd.DataFrame(rows), reconstructions


def known_plaintext_table(schemes: dict[str, tuple], pool: np.ndarray, test_images: np.ndarray, *, n_pairs: list[int],
                          steps: int, seed: int = 0) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Chapter 8's known-plaintext attacks on each scheme: the learned inversion with each n of ``n_pairs`` known
    pairs, and the algebraic attack with the fewest known images that decrypt every test image exactly (the
    structure found is named; None when no count decrypts them all). Returns one row per attack and the
    reconstructions (label -> images)."""
    rows, reconstructions = [], {}
    for label, (cipher, key) in tqdm(schemes.items(), desc="known-plaintext attacks", leave=False):
        oracle = (lambda c, k: lambda p: c.encrypt(p, k))(cipher, key)
        for n in n_pairs:
            outcome = known_plaintext_attack(oracle, pool[:n], test_images, steps=steps, seed=seed)
            rows.append({"scheme": label, "attack": f"learned inversion ({outcome.model})", "known images": n,
                         "PSNR (dB)": outcome.psnr, "SSIM": outcome.ssim,
                         "bit-exact": metrics.bit_exact_rate(test_images, outcome.reconstructions),
                         "guess PSNR (dB)": outcome.guess_psnr})
            reconstructions[f"{label}: learned inversion, {n} pairs"] = outcome.reconstructions
        needed, _, result = sweep(oracle, pool, test_images)
        structure = f" ({result.structure})" if result is not None else ""
        rows.append({"scheme": label, "attack": "algebraic" + structure, "known images": needed,
                     "PSNR (dB)": None if needed is None else result.psnr,
                     "SSIM": None if needed is None else result.ssim,
                     "bit-exact": None if needed is None else result.bit_exact_rate, "guess PSNR (dB)": None})
        if needed is not None:
            reconstructions[f"{label}: algebraic, {needed} images"] = result.reconstructions
    return pd.DataFrame(rows), reconstructions
