"""Sentences on clinical DICOM data: 16-bit support, the suite's critical values, DICOM-aware protection."""

from __future__ import annotations

import math

import pandas as pd

from .common import names


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def support_sentence(table: pd.DataFrame, native: str) -> str:
    """Which registered ciphers take 16-bit words, which refuse them, and what the native size costs a learned one.

    ``table`` is :func:`medcrypt.clinic.support_table`'s; ``native`` names the size ("128×128").
    """
    takes = table[table["takes_16_bit"]]
    refuses = table[~table["takes_16_bit"]]
    learned = table[table["learned"]]
    exact = takes[takes["lossless_16_bit"] == True]  # noqa: E712 (a column of True/False/None)
    parts = [f"Of the {_count(len(table), 'registered cipher')}, {len(takes)} take 16-bit words"
             + (f" and return {'it' if len(exact) == 1 else 'them'} bit for bit" if len(exact) == len(takes) and len(takes)
                else f", {len(exact)} of them bit for bit") + f" ({names(list(takes['cipher']))})."]
    if len(refuses):
        all_learned = set(refuses["cipher"]) == set(learned["cipher"])
        who = (f"all {_count(len(learned), 'learned cipher')}" if all_learned and len(learned) > 1 else
               names(list(refuses["cipher"])))
        parts.append(f"The other {len(refuses)}, {who}, refuse them with a ValueError that says they take 8-bit "
                     "images only.")
    runs = learned[learned["runs_at_native_size"]]
    if len(learned):
        growth = (learned["parameters_native"] / learned["parameters_28"].where(learned["parameters_28"] > 0)).dropna()
        if len(runs) == len(learned):
            parts.append(f"Every learned architecture can be built at {native}, but none of the book's trained "
                         "models can be used there: each would have to be trained again at that size")
        else:
            parts.append(f"{_count(len(runs), 'learned architecture')} of {len(learned)} can be built at {native}; "
                         "each would have to be trained again at that size")
        if len(growth) and growth.max() > 1:
            worst = growth.idxmax()
            parts[-1] += (f", and {learned.loc[worst, 'cipher']} would grow from "
                          f"{int(learned.loc[worst, 'parameters_28']):,} to {int(learned.loc[worst, 'parameters_native']):,} "
                          f"parameters ({growth.max():.0f} times as many).")
        else:
            parts[-1] += "."
    return " ".join(parts)


def entropy_bias_sentence(row16: dict, row8: dict) -> str:
    """How far the entropy a random image can reach falls short of log2 L, at 16 bits and at 8, for one cipher's rows."""
    gap16 = row16["entropy_ideal"] - row16["entropy_expected_per_image"]
    gap8 = row8["entropy_ideal"] - row8["entropy_expected_per_image"]
    return (f"{row16['cipher']}'s cipher images of {row16['dataset']} ({row16['height']}×{row16['width']} words) have a "
            f"per-image entropy of {row16['entropy_per_image']:.3f} bits. A truly random image of that size is "
            f"expected to have {row16['entropy_expected_per_image']:.3f}, and the ideal is "
            f"{row16['entropy_ideal']:.0f}: the shortfall that every image must show is {gap16:.2f} bits, against "
            f"{gap8:.2f} bits for a {row8['pixels_per_image']}-pixel 8-bit image (measured "
            f"{row8['entropy_per_image']:.3f}, expected {row8['entropy_expected_per_image']:.3f}). At 16 bits a "
            "per-image entropy means something only beside the expectation at its size.")


def critical_value_sentence(n_pixels: int, side: str, alpha: float) -> str:
    """Wu et al.'s NPCR critical value and UACI interval for ``n_pixels`` at 16 and at 8 bits, and what it means."""
    from ... import metrics

    n16, n8 = metrics.npcr_critical(n_pixels, alpha, 65_536), metrics.npcr_critical(n_pixels, alpha, 256)
    (lo16, hi16), (lo8, hi8) = metrics.uaci_critical(n_pixels, alpha, 65_536), metrics.uaci_critical(n_pixels, alpha, 256)
    unchanged8 = math.floor(n_pixels * (1 - n8))
    unchanged16 = math.floor(n_pixels * (1 - n16) + 1e-9)
    return (f"For a {side} image at α = {alpha:g}, an NPCR must reach {n16:.4%} at 16 bits, against {n8:.4%} at 8 "
            f"bits, and UACI must lie in ({lo16:.3%}, {hi16:.3%}) against ({lo8:.3%}, {hi8:.3%}). Two 16-bit "
            f"cipher images may share at most {_count(unchanged16, 'pixel')} of {n_pixels:,} before the NPCR test "
            f"rejects them; the 8-bit threshold would allow {unchanged8:,}, so a 16-bit cipher judged with 8-bit "
            "critical values would pass where it should fail.")


def flag_changes_sentence(flags8: dict[str, dict], flags16: dict[str, dict]) -> str:
    """Which suite verdicts (chapter 1's flags) are the same at 16 bits as at 8, and which differ, cipher by cipher."""
    same, changed = [], []
    for name in flags16:
        if name not in flags8:
            continue
        differ = [test for test, flag in flags16[name].items()
                  if flag is not None and flags8[name].get(test) is not None and flag != flags8[name][test]]
        if differ:
            changed.append(f"{name} ({', '.join(f'{t} {_verb(flags8[name][t])} at 8 bits, {_verb(flags16[name][t])} at 16' for t in differ)})")
        else:
            same.append(name)
    if not changed:
        return f"Every test of the suite reaches the same verdict at 16 bits as at 8 for {names(same)}."
    out = f"The suite's verdicts change at 16 bits for {names(changed)}"
    return out + (f"; they are the same for {names(same)}." if same else ".")


def _verb(flag: bool | None) -> str:
    return {True: "flags", False: "passes", None: "does not apply"}[flag]


def chosen_plaintext_words_sentence(name: str, outcome: tuple[bool, int] | None, image: str) -> str:
    """What chapter 2's chosen-plaintext attack does to ``name``'s 16-bit mode."""
    if outcome is None:
        return f"Chapter 2's chosen-plaintext attack finds no equivalent key for {name} at 16 bits."
    exact, used = outcome
    result = "with it decrypts" if exact else "with it fails to decrypt exactly"
    return (f"Chapter 2's chosen-plaintext attack, run on the bytes of the words, recovers an equivalent key of "
            f"{name} from {_count(used, 'chosen image')} and {result} the cipher image of {image}"
            + (" bit for bit" if exact else "") + ": the weakness lies in the byte-level structure, which the word "
            "size does not touch.")


def ecb_sentence(repeated: dict[str, float], plain_repeated: dict[str, float]) -> str:
    """How much of each sample's AES-ECB cipher image repeats an earlier 16-byte block, and what follows from it."""
    parts = [f"{share:.1%} in {name}" for name, share in repeated.items()]
    leaky = [name for name, share in repeated.items() if share > 0]
    out = f"The share of 16-byte blocks that repeat an earlier block in the AES-ECB cipher image is {names(parts)}."
    if len(leaky) < len(repeated):
        quiet = [name for name in repeated if name not in leaky]
        out += (f" In {names(quiet)} the noise of the 16-bit signal leaves no two blocks of 8 words equal, so ECB's "
                "cipher image shows nothing to the eye; ECB is still deterministic, and the differential test, "
                "which compares the cipher images of two nearly equal plaintexts, still sees it.")
    if leaky:
        out += (f" In {names(leaky)} the uniform background repeats block after block, and the outline shows through "
                "as it did in chapter 2.")
    same = all(abs(repeated[n] - plain_repeated.get(n, -1)) < 1e-12 for n in repeated)
    if same:
        out += " The shares equal those of the plaintexts' own repeated blocks: ECB maps equal blocks to equal blocks."
    return out


def protection_sentence(checks: list[dict]) -> str:
    """The DICOM round trip on every file, in one or two sentences."""
    n = len(checks)
    exact = sum(c["pixels_exact"] and c["attributes_exact"] for c in checks)
    rejected = sum(c["wrong_key_rejected"] and c["flipped_pixel_rejected"] and c["changed_uid_rejected"]
                   and c["swapped_pixels_rejected"] for c in checks)
    out = (f"On {exact} of {_count(n, 'file')}, the key restores the pixel data bit for bit and the header exactly; "
           f"on {rejected} of {n}, a wrong key, a flipped pixel byte, a changed SOP Instance UID and swapped pixel "
           "data are all rejected.")
    # clinic.identity_in_file marks a hit that an attribute kept in the clear explains: "X (within Y, kept ...)"
    leaks = [f"{c['file']}: {', '.join(h for h in c['identity_in_file'] if '(within ' not in h)}" for c in checks
             if any("(within " not in h for h in c["identity_in_file"])]
    explained = [f"{c['file']}: {', '.join(h for h in c['identity_in_file'] if '(within ' in h)}" for c in checks
                 if any("(within " in h for h in c["identity_in_file"])]
    if leaks:
        out += (" The original value of an identifying attribute can still be found in the bytes of "
                f"{_count(len(leaks), 'file')} ({'; '.join(leaks)}).")
    else:
        out += (f" No original identifying value can be found in the bytes of {'any' if n > 1 else 'the'} protected file"
                + (", except where an attribute kept in the clear holds the same text." if explained else "."))
    if explained:
        out += (f" In {_count(len(explained), 'file')} ({'; '.join(explained)}) the removed value is also part "
                "of an attribute that the profile keeps in the clear, so the search finds it there: that is not the "
                "removed attribute leaking, but it shows that a kept attribute can carry identifying text.")
    return out
