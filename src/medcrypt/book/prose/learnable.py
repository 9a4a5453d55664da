"""Sentences on learnable encryption: block scrambling, the jigsaw and known-plaintext attacks, utility."""

from __future__ import annotations

import math

import pandas as pd


#: AUC a classifier must beat by two standard errors to count as above chance.
CHANCE_AUC = 0.5


def _row(table: pd.DataFrame, classifier: str, trained_on: str, tested_on: str) -> pd.Series:
    hit = table[(table["classifier"] == classifier) & (table["trained on"] == trained_on)
                & (table["tested on"] == tested_on)]
    if len(hit) != 1:
        raise KeyError(f"no single row for {classifier} trained on {trained_on}, tested on {tested_on}")
    return hit.iloc[0]


def _above_chance(row: pd.Series) -> bool:
    return row["auc"] - 2 * row["auc_se"] > CHANCE_AUC


def _difference(a: pd.Series, b: pd.Series) -> str:
    """How AUC ``b`` stands to AUC ``a``, judged by two standard errors of their difference."""
    gap = b["auc"] - a["auc"]
    se = math.hypot(a["auc_se"], b["auc_se"])
    if abs(gap) <= 2 * se:
        return f"within two standard errors of it ({gap:+.3f}, standard error {se:.3f})"
    return f"{'above' if gap > 0 else 'below'} it by {abs(gap):.3f} (more than twice the standard error of {se:.3f})"


def utility_sentence(table: pd.DataFrame, schemes: list[str], plain: str = "plain") -> str:
    """What the block-wise classifier and the CNN learn from each scheme's images, against plain images."""
    base = _row(table, "block-wise", plain, plain)
    parts = [f"Trained and tested on plain X-rays, the block-wise classifier reaches an AUC of {base['auc']:.3f} "
             f"(accuracy {base['accuracy']:.1%})."]
    for scheme in schemes:
        own = _row(table, "block-wise", scheme, scheme)
        parts.append(f"Trained and tested on {scheme} images it reaches {own['auc']:.3f} "
                     f"({own['accuracy']:.1%}), {_difference(base, own)}.")
    cnn_plain = _row(table, "CNN", plain, plain)
    encrypted = [f"{_row(table, 'CNN', scheme, scheme)['auc']:.3f} on {scheme}" for scheme in schemes]
    listed = encrypted[0] if len(encrypted) == 1 else ", ".join(encrypted[:-1]) + " and " + encrypted[-1]
    parts.append(f"The book's CNN, whose 3×3 filters look across block borders, reaches {cnn_plain['auc']:.3f} on "
                 f"plain images, {listed} images.")
    return " ".join(parts)


def key_needed_sentence(table: pd.DataFrame, schemes: list[str], plain: str = "plain") -> str:
    """Whether a model needs the key: plain-trained models on encrypted images, encrypted-trained ones on another key."""
    parts = []
    for scheme in schemes:
        from_plain = _row(table, "block-wise", plain, scheme)
        other = _row(table, "block-wise", scheme, f"{scheme}, another key")
        clause = (f"for {scheme}, the plain-trained model scores an AUC of {from_plain['auc']:.3f} on encrypted test "
                  f"images and the model trained under one key scores {other['auc']:.3f} on images encrypted under "
                  "another")
        if _above_chance(other) and not any("above chance" in part for part in parts):
            clause += (", still above chance by more than two standard errors: without the key, the scrambled image "
                       "keeps features that carry the diagnosis")
        elif _above_chance(other):  # the reason was given once already
            clause += ", also above chance by more than two standard errors"
        else:
            clause += ", no better than chance by two standard errors"
        parts.append(clause)
    return "In the other direction, " + "; ".join(parts) + "."


def jigsaw_sentence(table: pd.DataFrame) -> str:
    """For each block size: the per-image puzzle's success, and the fewest cipher images that restore every image."""
    parts = []
    for size, rows in table.groupby("block size", sort=True):
        alone = rows[rows["attack"] == "each image alone"].iloc[0]
        shared = rows[rows["attack"] != "each image alone"].sort_values("cipher images used")
        full = shared[shared["restored"] == 1.0]
        restored = "none" if alone["restored"] == 0 else f"{alone['restored']:.0%}"
        text = (f"with {size}×{size} blocks, solving each image on its own puts {alone['direct']:.0%} of the blocks "
                f"back exactly and restores {restored} of the {int(alone['images scored'])} images")
        if len(full):
            first = full.iloc[0]
            text += (f"; solving the arrangement from {int(first['cipher images used'])} cipher images together "
                     f"restores every one of the {int(first['images scored'])} test images bit for bit")
        else:
            best = shared.iloc[shared["direct"].argmax()] if len(shared) else None
            if best is not None:
                text += (f"; with {int(best['cipher images used'])} cipher images together it puts "
                         f"{best['direct']:.0%} of the blocks back, and no count tried restores every image")
        parts.append(text)
    return "; ".join(parts)[0].upper() + "; ".join(parts)[1:] + "."


def known_plaintext_sentence(table: pd.DataFrame) -> str:
    """The known-plaintext results: the learned inversion's PSNR and the algebraic attack's image count."""
    parts = []
    for scheme, rows in table.groupby("scheme", sort=False):
        learned = rows[rows["attack"].str.startswith("learned")].sort_values("known images").iloc[-1]
        algebraic = rows[rows["attack"].str.startswith("algebraic")].iloc[0]
        text = (f"for {scheme}, the learned inversion from {int(learned['known images'])} known pairs reaches "
                f"{learned['PSNR (dB)']:.1f} dB (guessing the mean image: {learned['guess PSNR (dB)']:.1f} dB)")
        if pd.notna(algebraic["known images"]):
            structure = algebraic["attack"].removeprefix("algebraic").strip(" ()")
            text += (f", and the algebraic attack{f' ({structure})' if structure else ''} decrypts every test image "
                     f"bit for bit from {int(algebraic['known images'])} known images")
        else:
            text += ", and the algebraic attack decrypts no test set exactly from the known images it was given"
        parts.append(text)
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def le_puzzle_sentence(table: pd.DataFrame, scheme: str = "LE") -> str:
    """The ciphertext-only attack on LE: the fewest cipher images whose solved shuffle restores every test image."""
    full = table[table["restored"] == 1.0].sort_values("cipher images used")
    if len(full):
        first = full.iloc[0]
        n = int(first["cipher images used"])
        return (f"Solved from {'a single cipher image' if n == 1 else f'{n} cipher images'}, {scheme}'s shuffle "
                f"decrypts every one of the {int(first['images scored'])} test images bit for bit, up to a negation of "
                "the whole image.")
    best = table.iloc[table["direct"].argmax()]
    return (f"Solved from {int(best['cipher images used'])} cipher images, {scheme}'s shuffle puts "
            f"{best['direct']:.0%} of the blocks back exactly (PSNR {best['PSNR (dB)']:.1f} dB); no count tried "
            "restores every image.")


def verdict_sentence(utility: pd.DataFrame, restored_from_cipher_images: list[str], known: pd.DataFrame,
                     schemes: list[str]) -> str:
    """The chapter's answer: does the encryption hide the diagnosis, and does it hide the image?

    ``restored_from_cipher_images``: the schemes whose images a ciphertext-only attack restored exactly.
    """
    leaks = [s for s in schemes if _above_chance(_row(utility, "block-wise", s, f"{s}, another key"))]
    broken = known[known["attack"].str.startswith("algebraic") & known["known images"].notna()]
    parts = []
    if leaks:
        parts.append(f"The diagnosis is not hidden: a model trained under one key still diagnoses "
                     f"{' and '.join(leaks)} images encrypted under another above chance.")
    else:
        parts.append("A model trained under one key diagnoses images encrypted under another no better than chance, "
                     "so the diagnosis needs the key.")
    image = []
    if restored_from_cipher_images:
        image.append(f"a puzzle solver restores {' and '.join(restored_from_cipher_images)} images bit for bit from "
                     "cipher images alone")
    if len(broken):
        image.append(f"known images give an exact equivalent key for {' and '.join(broken['scheme'])}")
    if image:
        parts.append("Nor is the image: " + ", and ".join(image) + ".")
    else:
        parts.append("No attack of this chapter restored the images.")
    return " ".join(parts)


def promise_sentence(table: pd.DataFrame, schemes: list[str], plain: str = "plain") -> str:
    """Whether the family's promise held in this run: the encrypted-trained block-wise models diagnose above chance."""
    learned = [s for s in schemes if _above_chance(_row(table, "block-wise", s, s))]
    if len(learned) == len(schemes):
        return (f"The family's promise holds in this run: trained on {' and '.join(schemes)} images, which a person "
                "cannot read, the block-wise model diagnoses above chance by more than two standard errors.")
    if learned:
        return (f"The family's promise holds in this run for {' and '.join(learned)} only: trained on the other "
                "scheme's images, the block-wise model is not above chance by two standard errors.")
    return ("The family's promise does not hold in this run: trained on encrypted images, the block-wise model is not "
            "above chance by two standard errors.")


def audit_sentence(audit: pd.DataFrame) -> str:
    """The key audit of each scheme: how many claimed bits matter, and why the others do not."""
    parts = []
    for scheme, row in audit.iterrows():
        text = f"{int(row['effective_bits'])} of {scheme}'s {int(row['claimed_bits'])} key bits matter"
        closer = int(row["bits_decrypting_closer_than_noise"])
        if closer and not any("closer" in part for part in parts):
            text += (f" ({closer} flipped bits still decrypt closer to the X-ray than noise: a wrong key moves the "
                     "right pieces to the wrong places)")
        elif closer:  # the reason was given once already
            text += f" ({closer} flipped bits decrypt closer than noise)"
        parts.append(text)
    sentence = "; ".join(parts)
    return "By the audit, " + sentence + "."
