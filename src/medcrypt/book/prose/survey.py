"""Sentences of the survey page ("How this survey was made"), chosen by the counts of the literature base."""

from __future__ import annotations

from .common import names


#: How each place a paper was read from reads in a sentence (papers.csv ``status``).
READ_PHRASES = {"full text": "in full text", "table": "from a results table", "abstract": "from the abstract only",
                "record": "from the bibliographic record alone"}


#: How each place the secret can live reads in a sentence (papers.csv ``secret``).
SECRET_PHRASES = {"key": "a key chosen by the user", "generated key": "a key that a network generates",
                  "key and nonce": "a key with a per-image nonce or timestamp",
                  "weights": "the trained weights themselves (no separate key)",
                  "none": "nothing (there is no secret)", "not stated": "not named in the text we read"}


def _parts(counts: dict[str, int], phrases: dict[str, str]) -> list[str]:
    return [f"{counts[kind]} {phrase}" for kind, phrase in phrases.items() if counts.get(kind)]


def read_from_sentence(counts: dict[str, int]) -> str:
    """Where the papers were read: 'Of the 60 papers, we read 12 in full text, … and 3 from the record alone.'"""
    total = sum(counts.values())
    if total == 0:
        return "The literature base holds no papers yet."
    for kind, phrase in READ_PHRASES.items():
        if counts.get(kind) == total:
            return f"All {total} papers were read {phrase}."
    return f"Of the {total} papers, we read {names(_parts(counts, READ_PHRASES))}."


def secret_sentence(counts: dict[str, int]) -> str:
    """Where the secret of the proposed ciphers lives, with the one verdict the count alone supports."""
    total = sum(counts.values())
    if total == 0:
        return "No paper of the base proposes a cipher."
    parts = [f"{phrase} in {counts[kind]}" for kind, phrase in SECRET_PHRASES.items() if counts.get(kind)]
    first = f"Of the {total} papers that propose a cipher, the secret is {names(parts)}."
    weights = counts.get("weights", 0)
    if weights:
        first += (f" In the {weights} whose secret is the weights, anyone who obtains the model can decrypt: that is "
                  "security by obscurity, against Kerckhoffs's principle.")
    return first


def lossless_sentence(counts: dict[str, int]) -> str:
    """What the papers say of their decryption: exact, lossy, or not said in what we read."""
    total = sum(counts.values())
    if total == 0:
        return "No paper of the base proposes a cipher."
    lossless, lossy, silent = (counts.get(k, 0) for k in ("lossless", "lossy", "not stated"))
    parts = [f"{lossless} {'states' if lossless == 1 else 'state'} that decryption restores the image exactly"
             if lossless else "",
             f"{lossy} {'decrypts' if lossy == 1 else 'decrypt'} with loss" if lossy else "",
             f"for {silent} the text we read does not say" if silent else ""]
    return f"Of the {total} cipher papers, {names([p for p in parts if p])}."


def attack_sentence(attacking: int, total: int) -> str:
    """How many cipher papers attack their own cipher, read against the whole."""
    if total == 0:
        return ""
    if attacking == 0:
        return (f"None of the {total} cipher papers runs an attack on its own cipher, by what we read: they evaluate "
                "statistics of the cipher images, which chapter 1 shows to be necessary and chapter 8 not sufficient.")
    if 2 * attacking < total:
        return (f"Only {attacking} of the {total} cipher papers run an attack on their own cipher, by what we read; the "
                "rest evaluate statistics of the cipher images, which chapter 1 shows to be necessary and chapter 8 "
                "not sufficient.")
    return (f"{attacking} of the {total} cipher papers run an attack on their own cipher, by what we read; chapter 8 "
            "runs the strongest attacks we know on the compact versions of the book.")


def empty_cells_sentence(read_counts: dict[str, int]) -> str:
    """Why cells of chapter 9's paper × metric grid stay empty, from where the cipher papers were read."""
    total = sum(read_counts.values())
    partial = read_counts.get("abstract", 0) + read_counts.get("record", 0)
    full = total - partial
    if total == 0:
        return ""
    if partial == 0:
        return (f"All {total} cipher papers were read in full text or from their tables, so an empty cell is a metric "
                "the paper does not report.")
    which = f"All {total} cipher papers" if partial == total else f"Of the {total} cipher papers, {partial}"
    reason = (f"{which} could be read only from the abstract or the bibliographic record, which seldom print more "
              "than one or two numbers, so most empty cells are values we could not see, not values the papers lack")
    if full:
        return reason + f"; for the {full} read in full text or from a table, an empty cell is a metric not reported."
    return reason + "."


#: How each kind of paper that proposes no cipher reads in a sentence (papers.csv ``kind``), singular and plural.
KIND_PHRASES = {"steganography": ("paper on steganography (hiding an image in another is not encrypting it)",
                                  "papers on steganography (hiding an image in another is not encrypting it)"),
                "adversarial defence": ("adversarial defence (its keyed transformation is never decrypted)",
                                        "adversarial defences (their keyed transformations are never decrypted)"),
                "analysis": ("analysis of existing schemes", "analyses of existing schemes"),
                "overview": ("overview", "overviews"),
                "attack": ("attack on the topic's ciphers", "attacks on the topic's ciphers")}


def kinds_sentence(counts: dict[str, int], ciphers: int) -> str:
    """What the method topics hold beside their ciphers, so that the cipher count is read with the right denominator."""
    parts = [f"{counts[kind]} {phrases[counts[kind] != 1]}" for kind, phrases in KIND_PHRASES.items()
             if counts.get(kind)]
    if not parts:
        return f"Every paper filed under a method topic proposes a cipher: {ciphers} in all."
    return (f"A paper that belongs to a method topic without proposing an image cipher is filed under the topic but "
            f"not counted as a cipher: besides the {ciphers} papers that propose one, the method topics hold "
            f"{names(parts)}.")
