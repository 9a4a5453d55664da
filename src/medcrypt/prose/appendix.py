"""Sentences of the appendix "Evaluate your own cipher", chosen by the verdicts of its run."""

from __future__ import annotations

from .common import names


def evaluate_sentence(name: str, failed: list[str], n_columns: int, reference: str, reference_failed: list[str]) -> str:
    """What the report card says about the candidate, and whether the reference beside it behaved as a sound cipher."""
    if failed:
        first = f"{name} fails {len(failed)} of the {n_columns} attacks: {names(failed)}"
    else:
        first = f"{name} passes all {n_columns} attacks of the suite, which is necessary for security, not sufficient"
    if reference_failed:
        return (f"{first}. {reference}, run beside it on the same images, fails {names(reference_failed)}, which a sound "
                "cipher should not: read this run's verdicts with care.")
    return f"{first}. {reference}, run beside it on the same images, passes all {n_columns}."


def arnold_readings(cpa: tuple[bool, str], kpa: tuple[bool, str], audit: tuple[bool, str]) -> str:
    """Why the Arnold XOR cipher gets the IND-CPA, known-plaintext and key-audit verdicts it got: (passed, figure) each."""
    passed, figure = cpa
    parts = [f"The IND-CPA cell reads {figure}: " + (
        "no adversary won significantly, which a cipher without a nonce should not allow; check this run." if passed
        else "the cipher has no nonce, so encrypting the same image twice gives the same cipher image, and the "
             "repeat-query adversary of chapter 8 wins.")]
    passed, figure = kpa
    parts.append(f"The known-plaintext cell reads {figure}: " + (
        "no attack beat the no-ciphertext guess, although the permutation and the keystream do not depend on the "
        "image; check this run." if passed
        else "the permutation and the keystream do not depend on the image, so known pairs give the attacker an "
             "equivalent key."))
    passed, figure = audit
    parts.append(f"The key audit finds {figure} " + (
        "that matter." if passed
        else "that matter, short of the claim: the iteration byte is reduced to a few iterations and the parameter "
             "bytes modulo the image side, so some key bits cannot change the cipher."))
    return " ".join(parts)
