"""The families of ciphers the book compares: one row each, the only list of them.

The registry refuses a cipher whose ``family`` is not here, the literature tables file
papers under these names, chapter 9 titles each family's papers by its chapter and the
plots colour each family's points with its colour. A new family is one new row.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """One family: its registry name, the title of the chapter that covers it, a plot colour, that chapter's stem."""

    name: str
    title: str
    colour: str
    chapter: str | None  # the notebook stem, e.g. "03_gan"; None for a family without a chapter of its own

    @property
    def chapter_number(self) -> int | None:
        return int(self.chapter.split("_", 1)[0]) if self.chapter else None


FAMILIES: tuple[Family, ...] = (
    Family("baseline", "Classical baselines", "tab:grey", "02_baselines"),
    Family("gan", "GAN-based methods", "tab:red", "03_gan"),
    Family("autoencoder", "Autoencoders and VAEs", "tab:blue", "04_autoencoder"),
    Family("invertible", "Invertible neural networks", "tab:green", "05_invertible"),
    Family("feedforward",
           "Feed-forward and recurrent networks: adversarial neural cryptography and chaotic neural maps",
           "tab:purple", "06_feedforward"),
    Family("learnable", "Learnable image encryption: block-wise transforms a network can still learn from", "tab:olive",
           "07_learnable"),
    Family("cryptanalysis", "Attacks and cryptanalysis", "tab:orange", "08_attacks"),
)

#: Families a cipher may belong to (cryptanalysis papers attack ciphers; they are not one).
CIPHER_FAMILIES: tuple[str, ...] = tuple(f.name for f in FAMILIES if f.name != "cryptanalysis")
#: The method families, each reviewed in its own chapter between the baselines and the attacks (3 to 7).
METHOD_FAMILIES: tuple[str, ...] = tuple(f.name for f in FAMILIES if f.name not in ("baseline", "cryptanalysis"))


def names() -> tuple[str, ...]:
    """Every family name, in book order (the literature's families)."""
    return tuple(f.name for f in FAMILIES)


def get(name: str) -> Family:
    """The row of family ``name``."""
    for family in FAMILIES:
        if family.name == name:
            return family
    raise ValueError(f"unknown family {name!r}; use one of {', '.join(names())} (or add a row to medcrypt.families)")


def colours() -> dict[str, str]:
    """family -> plot colour, for the cipher families."""
    return {name: get(name).colour for name in CIPHER_FAMILIES}


def chapters(families: tuple[str, ...] = METHOD_FAMILIES) -> dict[str, str]:
    """family -> the stem of the chapter that reviews it."""
    return {name: get(name).chapter for name in families}
