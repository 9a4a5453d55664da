"""Reproduction cards: what a learned cipher's papers claim, beside what the book measured.

A chapter that attacks a re-implementation must first show it is a fair one. A card has
one row per property the papers of the cipher's family claim (every verified value of
``data/literature.csv`` for that family, plus the two properties every keyed design
claims: that the key is the secret, and exact decryption where the papers say so). Each
row gives the claim and its source, our value under the book's protocol, and one of
:data:`STATUSES` with the reason, generated from the numbers.

How a claim is judged (:func:`judge`) depends on the metric:

* quality that should be high (PSNR, SSIM, accuracy, compression ratio): reproduced when
  ours is at least the claim;
* entropy: images of different sizes have different ideals (an ideal 28×28 cipher image
  has an expected entropy well below 8 bits), so the *shortfall from the ideal* is
  compared, each from the exact ideal at its own size; a claim whose image size is not
  stated is not comparable (taking 8 bits as its ideal would inflate its shortfall and
  make "reproduced" too easy);
* NPCR and UACI: reproduced when ours passes the test of Wu et al. at the pixel count it
  was pooled over, or is at least as close to the ideal as the claim;
* PSNR and SSIM of steganography papers measure a container or a recovered secret image,
  not a decryption: not comparable;
* neighbour correlation: reproduced when |ours| is at most |claim|, or within the
  sampling noise 2/√n of zero at our pixel count;
* time, speed, parameter counts and values without a stated scale: not comparable.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import formatting, metrics
from . import literature

REPRODUCED, NOT_REPRODUCED, NOT_COMPARABLE = "reproduced", "not reproduced", "not comparable"
STATUSES = (REPRODUCED, NOT_REPRODUCED, NOT_COMPARABLE)
NOT_REIMPLEMENTED = "not re-implemented"
NO_CARD = "no card in this run"  # re-implemented, but no chapter of this run saved its card
KEY_CLAIM, EXACT_CLAIM = "key", "exact"  # the claim ids of the two rows that come from papers.csv, not literature.csv
CARD_COLUMNS = ("claim_id", "property", "claimed", "source", "ours", "status", "reason")

#: Which papers (ids of ``data/papers.csv``) each learned cipher re-implements, as its chapter says.
STANDS_FOR: dict[str, tuple[str, ...]] = {
    "gan-translation": ("G1", "G3", "G9"),
    "gan-keygen": ("G2", "G4", "G5"),
    "ae-keyed": ("A4", "A5"),
    "ae-latent-gcm": ("A1", "A2", "A3", "A8"),
    "vae-latent-gcm": ("A1", "A2", "A3", "A8"),
    "inn-coupling": ("I4",),
    "anc-alice-bob": ("F1", "F9", "F14"),
}

HIGHER_IS_BETTER = {"psnr_db", "ssim", "accuracy_percent", "compression_ratio"}
ENTROPY = {"entropy_bits", "key_entropy_bits"}
CORRELATION = {"corr_h", "corr_v", "corr_d"}
#: Why a reported quantity cannot be set against ours.
INCOMPARABLE = {
    "encryption_time_s": "a time on other hardware and image sizes",
    "throughput_mb_s": "a speed on other hardware",
    "parameters_millions": "a model size, not a property a cipher has to reproduce",
    "entropy_as_printed": "the printed value's scale is not stated",
    "psnr_gain_db": "a gain over other methods, not a value of one cipher",
    "robust_accuracy_percent": "accuracy under adversarial examples, which the book does not measure",
    "attack_success_percent": "a property of an attack, not of this cipher",
    "attack_images": "a property of an attack, not of this cipher",
    "attack_time_hours": "a property of an attack, not of this cipher",
}
#: Our measured value of each literature metric: the key of a :func:`medcrypt.metrics.evaluate` row (or of the
#: ``extra`` values a chapter passes to :func:`card`), and the factor to the paper's unit.
OURS = {"entropy_bits": ("entropy_per_image", 1), "npcr_percent": ("npcr", 100), "uaci_percent": ("uaci", 100),
        "corr_h": ("corr_h_pooled", 1), "corr_v": ("corr_v_pooled", 1), "corr_d": ("corr_d_pooled", 1),
        "psnr_db": ("decrypt_psnr", 1), "ssim": ("decrypt_ssim", 1),
        "compression_ratio": ("compression_ratio", 1), "accuracy_percent": ("accuracy_percent", 1),
        "key_entropy_bits": ("key_entropy_bits", 1)}
SECRET_KEYS = ("key", "generated key", "key and nonce")


@dataclass(frozen=True)
class Judgement:
    status: str
    reason: str


def judge(metric: str, claimed: float, ours: float | None, *, pixels: int, their_pixels: int | None = None,
          ideal_entropy: float | None = None) -> Judgement:
    """Whether ``ours`` reproduces the claim ``claimed`` of ``metric`` (see the module notes), and why.

    ``pixels`` is the number of cipher pixels ours was measured on: per image for entropy,
    pooled over the images for NPCR, UACI and correlation. ``their_pixels`` is the paper's
    image size in pixels where it states one (entropy is not comparable without it);
    ``ideal_entropy`` is our exact ideal when the caller knows it (cipher levels other than 256).
    """
    if metric in INCOMPARABLE:
        return Judgement(NOT_COMPARABLE, INCOMPARABLE[metric])
    if metric not in OURS:
        raise ValueError(f"no rule to judge {metric!r}; add it to OURS or INCOMPARABLE in medcrypt.book.reproduction")
    if ours is None or not np.isfinite(ours) and not (metric == "psnr_db" and ours == math.inf):
        return Judgement(NOT_COMPARABLE, "not measured for this cipher")
    if pixels < 1:
        raise ValueError(f"pixels must be >= 1; got {pixels}")
    if metric in HIGHER_IS_BETTER:
        if ours >= claimed:
            return Judgement(REPRODUCED, "ours is at least the reported value")
        return Judgement(NOT_REPRODUCED, f"ours is {_number(claimed - ours)} below the reported value")
    if metric in ENTROPY:
        if their_pixels is None:
            return Judgement(NOT_COMPARABLE, "their image size is not stated, and the ideal entropy depends on it")
        ideal = metrics.expected_entropy(pixels) if ideal_entropy is None else float(ideal_entropy)
        their_ideal = metrics.expected_entropy(their_pixels)
        ours_short, theirs_short = ideal - ours, their_ideal - claimed
        text = (f"ours is {_shortfall(ours_short)} the ideal {_number(ideal)} at {pixels} pixels; theirs "
                f"{_shortfall(theirs_short)} the ideal {_number(their_ideal)} at {their_pixels}")
        return Judgement(REPRODUCED if ours_short <= theirs_short else NOT_REPRODUCED, text)
    if metric == "npcr_percent":
        critical = 100 * metrics.npcr_critical(pixels)
        ideal = 100 * metrics.npcr_expected()
        if ours >= critical or abs(ours - ideal) <= abs(claimed - ideal):
            return Judgement(REPRODUCED, f"ours passes the NPCR test at {pixels} pixels (critical {_number(critical)} %)"
                             if ours >= critical else "ours is as close to the ideal as the reported value")
        return Judgement(NOT_REPRODUCED, f"ours is below the critical {_number(critical)} % at {pixels} pixels")
    if metric == "uaci_percent":
        low, high = (100 * v for v in metrics.uaci_critical(pixels))
        ideal = 100 * metrics.uaci_expected()
        if low <= ours <= high or abs(ours - ideal) <= abs(claimed - ideal):
            return Judgement(REPRODUCED, f"ours lies in the UACI acceptance interval at {pixels} pixels"
                             if low <= ours <= high else "ours is as close to the ideal as the reported value")
        return Judgement(NOT_REPRODUCED, f"ours lies outside [{_number(low)}, {_number(high)}] % at {pixels} pixels")
    bound = max(abs(claimed), 2 / math.sqrt(pixels))  # correlation
    if abs(ours) <= bound:
        return Judgement(REPRODUCED, f"|ours| is within {_number(bound)}")
    return Judgement(NOT_REPRODUCED, f"|ours| exceeds both the reported value and 2/√n = {_number(2 / math.sqrt(pixels))}")


def _number(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else formatting.number(value, 4)


def _shortfall(short: float) -> str:
    return (f"{_number(short)} bits short of" if short > 0 else f"{_number(-short)} bits above" if short < 0
            else "exactly at")


def stated_pixels(image_size: str) -> int | None:
    """Pixels per channel of a stated image size ("256x256", "256 x 256", "700*700*3"), or None if none is stated."""
    found = re.search(r"(\d+)\s*[x×*]\s*(\d+)", str(image_size or ""))
    return int(found.group(1)) * int(found.group(2)) if found else None


def hides(paper: pd.Series) -> bool:
    """A steganography paper: its PSNR is of a container or a recovered secret image, not of a decryption."""
    return "steganography" in str(paper.get("short_name", "")).lower() or \
        str(paper.get("key", "")).lower().startswith("none: hiding")


def key_row(key_bits: int, audit: dict | None, papers: pd.DataFrame) -> dict:
    """The row "every key bit matters" from chapter 8's key audit (:meth:`KeyAudit.to_dict`), run on this model."""
    keyed = papers[papers["secret"].isin(SECRET_KEYS)]
    sources = ", ".join(keyed["citation_key"]) if len(keyed) else ""
    claim = f"the key is the secret ({', '.join(keyed['short_name'])})" if len(keyed) else "no key in the papers"
    if key_bits == 0:
        return {"claim_id": KEY_CLAIM, "property": "key sensitivity", "claimed": claim, "source": sources,
                "ours": "no key: the weights "
                "are the secret", "status": NOT_COMPARABLE if not len(keyed) else NOT_REPRODUCED,
                "reason": "our re-implementation has no key input" if len(keyed) else "the papers' secret is the weights"}
    if audit is None:
        raise ValueError("a keyed cipher's card needs its key audit (medcrypt.attacks.key_audit.audit_key(...).to_dict())")
    matter, claimed = int(audit["effective_bits"]), int(audit["claimed_bits"])
    ours = (f"{matter} of {claimed} bits matter; a bit off decrypts closer than noise for "
            f"{audit['bits_decrypting_closer_than_noise']}, leaves the encryption alike for "
            f"{audit['bits_not_changing_encryption']}")
    status = REPRODUCED if audit["all_matter"] else NOT_REPRODUCED
    reason = "every audited bit changes both decryption and encryption" if audit["all_matter"] else \
        "some key bits do not change decryption or encryption as a different key must"
    if not len(keyed):
        status, reason = NOT_COMPARABLE, "the papers claim no key; " + reason
    return {"claim_id": KEY_CLAIM, "property": "key sensitivity", "claimed": claim, "source": sources, "ours": ours,
            "status": status, "reason": reason}


def exactness_row(row: dict, papers: pd.DataFrame) -> dict | None:
    """The row "decryption is exact", where a paper the cipher stands for says it is lossless."""
    exact = papers[papers["lossless"] == "lossless"]
    if not len(exact):
        return None
    rate = float(row["bit_exact_rate"])
    return {"claim_id": EXACT_CLAIM, "property": "exact decryption", "claimed": f"lossless ({', '.join(exact['short_name'])})",
            "source": ", ".join(exact["citation_key"]), "ours": f"{100 * rate:.1f} % of images bit-exact",
            "status": REPRODUCED if rate == 1 else NOT_REPRODUCED,
            "reason": "every decrypted image equals its plaintext" if rate == 1 else "decryption is lossy"}


def card(cipher: str, row: dict, *, audit: dict | None = None, extra: dict | None = None,
         evidence: dict[str, str] | None = None, values: pd.DataFrame | None = None,
         papers: pd.DataFrame | None = None) -> pd.DataFrame:
    """The reproduction card of the learned cipher ``cipher``: one row per claimed property.

    ``row`` is the cipher's :func:`medcrypt.metrics.evaluate` row; ``audit`` its key audit
    (``KeyAudit.to_dict()``); ``extra`` values the chapter measured beyond ``row``
    (``compression_ratio``, ``accuracy_percent``, ``key_entropy_bits``). ``evidence`` maps a
    property (as the card names it, e.g. "key sensitivity", "PSNR (dB)") to what the chapter
    measured about why it falls short (an ablation); it is added to that property's
    "not reproduced" rows.
    """
    if cipher not in STANDS_FOR:
        raise ValueError(f"no papers are filed for {cipher!r}; add its paper ids to STANDS_FOR "
                         f"(known: {', '.join(STANDS_FOR)})")
    values = literature.load() if values is None else values
    papers = literature.load_papers() if papers is None else papers
    family = row["family"]
    own = papers[papers["id"].isin(STANDS_FOR[cipher])]
    measured = {**row, **(extra or {})}
    # The cipher's own size: an encrypted latent code has far fewer "pixels" than the image.
    pixels = int(row.get("cipher_pixels_per_image", row["pixels_per_image"]))
    names = dict(zip(papers["id"], papers["short_name"]))
    rows = [key_row(int(row["key_bits"]), audit, own)]
    exact = exactness_row(row, own)
    if exact:
        rows.append(exact)
    reported = values[(values["family"] == family) & values["value"].notna()]
    for _, claim in reported.iterrows():
        metric = claim["metric"]
        key, scale = OURS.get(metric, (None, 1))
        ours = measured.get(key) if key else None
        ours = None if ours is None else float(ours) * scale
        pooled = metric in CORRELATION or metric in ("npcr_percent", "uaci_percent")
        n = pixels * int(row["n_images"]) if pooled else pixels
        paper = papers[papers["id"] == claim["paper"]]
        if len(paper) and hides(paper.iloc[0]) and metric in ("psnr_db", "ssim"):
            verdict = Judgement(NOT_COMPARABLE, "a steganography PSNR or SSIM (container or recovered secret), "
                                                "not a decryption")
        else:
            verdict = judge(metric, float(claim["value"]), ours, pixels=n,
                            their_pixels=stated_pixels(claim["image_size"]),
                            ideal_entropy=row.get("entropy_expected_per_image") if metric == "entropy_bits" else None)
        variant = f", {claim['variant']}" if claim["variant"] else ""
        rows.append({"claim_id": claim["id"], "property": literature.METRIC_LABELS[metric],
                     "claimed": f"{claim['value']:g}{literature.UNITS.get(metric, '')} "
                                f"({names.get(claim['paper'], claim['paper'])}{variant})",
                     "source": claim["citation_key"],
                     "ours": formatting.MISSING if ours is None else _number(ours),
                     "status": verdict.status,
                     "reason": verdict.reason + ("" if claim["paper"] in STANDS_FOR[cipher] else
                                                 "; another design of the family")})
    frame = pd.DataFrame(rows, columns=list(CARD_COLUMNS))
    unknown = set(evidence or {}) - set(frame["property"])
    if unknown:
        raise ValueError(f"evidence names properties the card does not have: {sorted(unknown)}; "
                         f"the card's are {sorted(set(frame['property']))}")
    for prop, text in (evidence or {}).items():
        short = (frame["property"] == prop) & (frame["status"] == NOT_REPRODUCED)
        frame.loc[short, "reason"] = frame.loc[short, "reason"] + "; " + text
    return frame


def shown(card_frame: pd.DataFrame, caption: str | None = None, bib: dict[str, str] | None = None):
    """A card for the page: sources as linked author-year citations, the claim ids left out, left-aligned."""
    bib = literature.bib_entries() if bib is None else bib
    frame = card_frame.drop(columns="claim_id").copy()
    frame["source"] = [", ".join(literature.cited_link(key.strip(), bib) for key in str(keys).split(",") if key.strip())
                       for keys in frame["source"]]
    # A family may report one metric twice (two papers, two variants): the property repeats, so it is a column.
    styled = frame.style.hide(axis="index").set_properties(**{"text-align": "left"})
    return styled.set_caption(caption) if caption else styled


def statuses(cards: dict[str, list[dict]], values: pd.DataFrame) -> pd.Series:
    """For each literature value (by id), what the cards of the ciphers that re-implement its paper say.

    ``cards`` maps a cipher's display name to its card's records (as the chapters save them);
    a value whose paper no cipher of ours re-implements reads "not re-implemented".
    """
    out = {}
    for _, value in values.iterrows():
        said = []
        for name, records in cards.items():
            registered = next((c for c in STANDS_FOR if name == c or name.startswith(c + "-")), None)
            if registered is None or value["paper"] not in STANDS_FOR[registered]:
                continue
            said += [f"{record['status']} ({name})" for record in records if record["claim_id"] == value["id"]]
        filed = any(value["paper"] in ids for ids in STANDS_FOR.values())
        out[value["id"]] = "; ".join(said) if said else (NO_CARD if filed else NOT_REIMPLEMENTED)
    return pd.Series(out, dtype=object)


def summary(cards: dict[str, list[dict]]) -> pd.DataFrame:
    """One row per card: its key-sensitivity status and how many claims fell under each status."""
    rows = []
    for name, records in cards.items():
        statuses = [r["status"] for r in records]
        key = next((r["status"] for r in records if r["claim_id"] == KEY_CLAIM), formatting.MISSING)
        rows.append({"cipher": name, "key sensitivity": key, **{s: statuses.count(s) for s in STATUSES}})
    return pd.DataFrame(rows, columns=["cipher", "key sensitivity", *STATUSES]).set_index("cipher")
