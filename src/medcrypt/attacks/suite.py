"""Chapter 8's protocol as functions: every attack on every cipher, one table per attack, then the verdicts.

Each function takes ``ready`` (cipher name -> (cipher, where its weights came from), as
:func:`medcrypt.zoo.ready_all` returns it) and ``keys`` (name -> that cipher's key), runs
one attack on every cipher with a progress bar, and returns a DataFrame indexed by
cipher. :func:`summary` turns the tables into the pass/FAIL table of
:mod:`medcrypt.verdicts`. The chapter narrates; this module does the work, so that the
same protocol can run on a cipher outside the book.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from tqdm import tqdm

from .. import formatting, metrics, verdicts
from .algebraic import sweep
from .chosen_plaintext import chosen_plaintext_attacks
from .ind_cpa import ind_cpa, queries_for_budget
from .integrity import bit_flip_attack
from .key_audit import audit_key
from ..ciphers.chaos import divide_and_conquer_bits
from .key_search import keys_for_budget, random_key_search
from .known_plaintext import known_plaintext_attack
from .leakage import diagnosis_leakage
from .sensitivity import sensitivity


def _oracle(cipher, key):
    return lambda images: cipher.encrypt(images, key)


def _progress(ready: dict, desc: str):
    return tqdm(ready.items(), desc=desc, unit="cipher", leave=False)


#: Ciphers at least this fast (images/s) get at least the profile's floor of birthday queries (2^16 in ``full``).
FAST_IMAGES_PER_S = 10_000


def birthday_budget(encrypt, images: np.ndarray, *, seconds: float, floor_when_fast: int = 0,
                    maximum: int = 1 << 20) -> tuple[int, float]:
    """The birthday adversary's queries: what ``seconds`` of the cipher's measured speed allow, and at least
    ``floor_when_fast`` for a cipher above :data:`FAST_IMAGES_PER_S`; returns (queries, images/s)."""
    queries, speed = queries_for_budget(encrypt, images, seconds=seconds, maximum=maximum)
    if speed >= FAST_IMAGES_PER_S:
        queries = max(queries, floor_when_fast)
    return max(queries, 1), speed


def ind_cpa_table(ready: dict, keys: dict, images: np.ndarray, *, seeds: list[int], trials: int = 500,
                  birthday_seconds: float = 2.0, birthday_floor: int = 0, birthday_maximum: int = 1 << 20) -> pd.DataFrame:
    """Per cipher and adversary of the battery, the largest advantage over ``seeds`` with its 95 % interval.

    ``p_values`` (a list per row) keeps every seed's p-value for the verdict, which
    counts each of them as one test; ``queries`` is the oracle queries the adversary made,
    and the birthday adversary's budget follows the cipher's measured speed
    (:func:`birthday_budget`; ``images_per_s`` records it).
    """
    rows = []
    for name, (cipher, _) in _progress(ready, "IND-CPA"):
        encrypt = _oracle(cipher, keys[name])
        budget, speed = birthday_budget(encrypt, images, seconds=birthday_seconds, floor_when_fast=birthday_floor,
                                        maximum=birthday_maximum)
        runs = [ind_cpa(encrypt, images, trials=trials, seed=seed, birthday_queries=budget) for seed in seeds]
        for adversary in runs[0]:
            worst = max((run[adversary] for run in runs), key=lambda r: r.advantage)
            low, high = worst.interval()
            rows.append({"cipher": name, "adversary": adversary, "advantage": worst.advantage, "low": low,
                         "high": high, "trials": worst.trials, "queries": worst.queries, "images_per_s": speed,
                         "repeats": max(run[adversary].repeats for run in runs),
                         "p_value": min(run[adversary].p_value for run in runs),
                         "p_values": [run[adversary].p_value for run in runs]})
    return pd.DataFrame(rows).set_index(["cipher", "adversary"])


def algebraic_table(ready: dict, keys: dict, pool: np.ndarray, test: np.ndarray) -> tuple[pd.DataFrame, dict]:
    """Per cipher: the fewest known images (of ``pool``'s first 2 to 64) that let the algebraic attack decrypt
    ``test`` exactly, and its gain.

    Returns the table and the reconstructions of the ciphers it broke.
    """
    rows, reconstructions = [], {}
    for name, (cipher, _) in _progress(ready, "algebraic KPA"):
        needed, _, result = sweep(_oracle(cipher, keys[name]), pool, test)
        if result is None:
            rows.append({"cipher": name, "structure": None, "known_images": None, "bit_exact_rate": None,
                         "gain_db": None})
            continue
        reconstructions[name] = result.reconstructions
        rows.append({"cipher": name, "structure": result.structure, "known_images": needed,
                     "bit_exact_rate": result.bit_exact_rate, "gain_db": result.gain_db})
    return pd.DataFrame(rows).set_index("cipher"), reconstructions


def learned_kpa_table(ready: dict, keys: dict, train_images: np.ndarray, test: np.ndarray, *, n_pairs: list[int],
                      steps: int, seeds: list[int]) -> tuple[pd.DataFrame, dict]:
    """The learning attack: the whole curve over ``n_pairs`` for the first seed, the largest ``n`` for the others.

    Each seed draws its own known pairs from ``train_images``. Returns one row per
    (cipher, pairs, seed) and the first seed's reconstructions at the largest ``n``.
    """
    rows, reconstructions = [], {}
    largest = max(n_pairs)
    for name, (cipher, _) in _progress(ready, "learned KPA"):
        for index, seed in enumerate(seeds):
            pool = train_images[np.random.default_rng(seed).permutation(len(train_images))[:largest]]
            for n in (n_pairs if index == 0 else [largest]):
                outcome = known_plaintext_attack(_oracle(cipher, keys[name]), pool[:n], test, steps=steps, seed=seed)
                rows.append({"cipher": name, "pairs": n, "seed": seed, "decryptor": outcome.model,
                             "PSNR (dB)": outcome.psnr, "SSIM": outcome.ssim, "guess PSNR (dB)": outcome.guess_psnr,
                             "gain (dB)": outcome.gain_db})
                if index == 0 and n == largest:
                    reconstructions[name] = outcome.reconstructions
    return pd.DataFrame(rows), reconstructions


def chosen_plaintext_table(ready: dict, keys: dict, test: np.ndarray, guess: np.ndarray, *,
                           attacker_images: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """Per cipher and chosen-plaintext attack (equivalent key, key-stream, codebook): whether it applies, its gain,
    the chosen images it used and the share of test images (or blocks) it recovered exactly."""
    rows = []
    for name, (cipher, _) in _progress(ready, "chosen plaintext"):
        outcomes = chosen_plaintext_attacks(_oracle(cipher, keys[name]), test, guess, attacker_images=attacker_images,
                                            rng=np.random.default_rng(seed))
        rows += [{"cipher": name, "attack": o.attack, "applies": o.applies, "gain_db": o.gain_db,
                  "chosen_images": o.chosen_images, "recovered": o.recovered, "detail": o.detail} for o in outcomes]
    return pd.DataFrame(rows).set_index(["cipher", "attack"])


def integrity_table(ready: dict, keys: dict, images: np.ndarray, *, trials: int, seed: int = 0) -> pd.DataFrame:
    """Per cipher: the bit-flip (chosen-ciphertext) test, ``trials`` one-bit forgeries of ``images``' ciphertexts."""
    rows = [{"cipher": name, **bit_flip_attack(cipher, images, keys[name], trials=trials,
                                               rng=np.random.default_rng(seed)).to_dict()}
            for name, (cipher, _) in _progress(ready, "bit flip")]
    return pd.DataFrame(rows).set_index("cipher")


def leakage_table(ready: dict, keys: dict, train_images: np.ndarray, train_labels: np.ndarray, test_images: np.ndarray,
                  test_labels: np.ndarray, *, n_train: int, epochs: int, seeds: list[int]) -> pd.DataFrame:
    """Ciphertext-only diagnosis: one row per (cipher, seed); each seed draws its own training images."""
    rows = []
    for name, (cipher, _) in _progress(ready, "diagnosis leak"):
        for seed in seeds:
            pick = np.random.default_rng(seed).permutation(len(train_images))[:n_train]
            encrypt = _oracle(cipher, keys[name])
            scores = diagnosis_leakage(encrypt(train_images[pick]), train_labels[pick], encrypt(test_images),
                                       test_labels, image_shape=test_images.shape[1:], epochs=epochs, seed=seed)
            rows.append({"cipher": name, "seed": seed, **scores})
    return pd.DataFrame(rows)


def key_audit_table(ready: dict, keys: dict, images: np.ndarray, *, level: float, seed: int = 0,
                    search_seconds: float = 2.0, search_floor: int = 0) -> pd.DataFrame:
    """Every audit of every cipher's key: the one-bit flips (tests at ``level``, Bonferroni over the bits
    inside), a search over random keys (as many as ``search_seconds`` of decryptions allow, at least
    ``search_floor``), the bound of a key schedule that goes through float parameters
    (``key_schedule_bits``) and the cost of guessing a chaotic state (``state_guessing_bits``)."""
    rows = []
    for name, (cipher, _) in _progress(ready, "key audits"):
        row = {"cipher": name, **audit_key(cipher, images, keys[name], seed=seed, alpha=level).to_dict()}
        if cipher.key_bits:
            n_keys = keys_for_budget(cipher, images[:1], keys[name], seconds=search_seconds,
                                     minimum=max(2, search_floor))
            search = random_key_search(cipher, images[:1], keys[name], n_keys=n_keys)
            row.update({f"search_{k}": v for k, v in search.to_dict().items()})
        schedule = getattr(cipher, "key_schedule_bits", None)
        row["schedule_bits"] = divide_and_conquer_bits(schedule()) if callable(schedule) else None
        state = getattr(cipher, "state_guessing_bits", None)
        row["state_guessing_bits"] = float(state()) if callable(state) else None
        rows.append(row)
    return pd.DataFrame(rows).set_index("cipher")


def key_audit_verdict(row: pd.Series) -> verdicts.Verdict:
    """The key-audit cell from one row of :func:`key_audit_table`: every bound that applies, the smallest credited."""
    claimed = int(row["claimed_bits"])
    found, seen = "", ""
    if claimed and _count(row.get("search_n_keys")) and _maybe(row.get("search_passed")):
        seen = f"no equal keys among {_count(row['search_n_keys']):,} random keys"
    if claimed and _maybe(row.get("search_passed")) is not None and not bool(row["search_passed"]):
        hits, pairs, tried = (_count(row[k]) for k in ("search_hits", "search_collisions", "search_n_keys"))
        # What the estimate measures: how many different decryptions random keys give. That is the key space when
        # keys fall evenly into classes, and less when wrong keys pile onto a few outputs (a saturated decoder).
        found = (f"random keys give about 2^{row['search_estimated_bits']:.0f} distinct decryptions: among "
                 f"{tried:,} random keys, {hits:,} equivalent to the key and {pairs:,} pairs that decrypt alike")
    bounds = {"bit flips": float(row["strength_bits"])}
    if _maybe(row.get("schedule_bits")) is not None:
        bounds["key schedule"] = float(row["schedule_bits"])
    if _maybe(row.get("state_guessing_bits")) is not None:
        bounds["state guessing"] = float(row["state_guessing_bits"])
    return verdicts.key_audit(claimed, bounds, found, seen)


def sensitivity_table(ready: dict, keys: dict, images: np.ndarray, *, seed: int, alpha: float,
                      level: float) -> pd.DataFrame:
    """One-pixel and one-key-bit NPCR/UACI, with pass counts judged at ``level`` against exact nulls."""
    rows = [{"cipher": name, **sensitivity(cipher, images, keys[name], seed=seed, alpha=alpha, level=level)}
            for name, (cipher, _) in _progress(ready, "sensitivity")]
    return pd.DataFrame(rows).set_index("cipher")


def _maybe(value):
    """A table value, or None where it is missing (pandas writes a gap as NaN)."""
    return None if formatting.is_missing(value) else value


def _count(value) -> int | None:
    """A count read back from a table (pandas stores a column with gaps as float): int, or None."""
    value = _maybe(value)
    return None if value is None else int(value)


def _repeats(games: pd.DataFrame) -> dict[str, int]:
    """Repeated nonces or ciphertexts per adversary ({} for a table without the column, as tests build by hand)."""
    if "repeats" not in games:
        return {}
    return {adversary: _count(count) or 0 for adversary, count in games["repeats"].items()}


def summary(roster: pd.DataFrame, cpa: pd.DataFrame, algebraic: pd.DataFrame, learned: pd.DataFrame,
            chosen: pd.DataFrame, integrity: pd.DataFrame, leakage: pd.DataFrame, audit: pd.DataFrame,
            sens: pd.DataFrame, level: float) -> tuple[pd.DataFrame, dict]:
    """The pass/FAIL table (``roster``'s columns first) and each cipher's :class:`~medcrypt.verdicts.Verdict` s."""
    largest = learned["pairs"].max()
    cells = {}
    for name in roster.index:
        games = cpa.loc[name]
        p_values = {f"{adversary} (seed {i})": p for adversary, row in games.iterrows()
                    for i, p in enumerate(row["p_values"])}
        advantages = {adversary: (row["advantage"], row["low"], row["high"]) for adversary, row in games.iterrows()}
        gains = learned[(learned["cipher"] == name) & (learned["pairs"] == largest)]["gain (dB)"]
        algebra = algebraic.loc[name]
        leaks = leakage[leakage["cipher"] == name]
        applying = chosen.loc[name]
        applying = applying[applying["applies"].astype(bool)]
        known = verdicts.known_plaintext(gains, _maybe(algebra["gain_db"]), algebra["structure"] or "",
                                         _count(algebra["known_images"]))
        cells[name] = {
            "IND-CPA": verdicts.ind_cpa(p_values, advantages, level, int(games["queries"].max()),
                                        _repeats(games)),
            "known plaintext (best attack)": known,
            "chosen plaintext": verdicts.chosen_plaintext(
                {attack: (float(r["gain_db"]), int(r["chosen_images"])) for attack, r in applying.iterrows()},
                known=known),
            "chosen ciphertext (bit flip)": verdicts.chosen_ciphertext(int(integrity.loc[name, "trials"]),
                                                                       int(integrity.loc[name, "trials"])
                                                                       - int(integrity.loc[name, "rejected"])
                                                                       - int(integrity.loc[name, "refused"])),
            "diagnosis leak": verdicts.diagnosis_leak(leaks["auc"], leaks["auc_p_value"], level),
            "key audit": key_audit_verdict(audit.loc[name]),
            "one pixel (NPCR, UACI)": verdicts.sensitivity(
                sens.loc[name, "plaintext_npcr_p"], sens.loc[name, "plaintext_uaci_p"],
                sens.loc[name, "plaintext_npcr_pass_rate"], sens.loc[name, "plaintext_uaci_pass_rate"], level),
            "one key bit (NPCR, UACI)": verdicts.sensitivity(
                _maybe(sens.loc[name, "key_npcr_p"]), _maybe(sens.loc[name, "key_uaci_p"]),
                _maybe(sens.loc[name, "key_npcr_pass_rate"]), _maybe(sens.loc[name, "key_uaci_pass_rate"]), level),
        }
    return verdicts.summary(cells, roster), cells


def deterministic(cpa: pd.DataFrame) -> pd.Series:
    """cipher -> whether the repeat-query adversary won every trial (the cipher repeats itself)."""
    repeat = cpa.xs("repeat query", level="adversary")
    return repeat["advantage"] >= 1.0


def level_for(n_ciphers: int, seeds: int, alpha: float = metrics.ALPHA) -> float:
    """The per-test level of chapter 8's table (:func:`medcrypt.verdicts.table_level`)."""
    return verdicts.table_level(alpha, n_ciphers, seeds)
