"""Sentences of chapters 8 and 9: the attacks and the comparison, chosen or filled by computed values."""

from __future__ import annotations

import math
from typing import Iterable

import pandas as pd

from .common import duration, names


def seeds_phrase(n_seeds: int) -> str:
    """'use one seed' or 'take the worst of 3 seeds' (chapter 8's verdicts keep the worst case over seeds)."""
    if n_seeds < 1:
        raise ValueError(f"need at least one seed; got {n_seeds}")
    return "use one seed" if n_seeds == 1 else f"take the worst of {n_seeds} seeds"


def count_range(low: int, high: int) -> str:
    """'6' when both ends agree, else 'between 2 and 6'."""
    return f"{low}" if low == high else f"between {low} and {high}"


def algebraic_sentence(known_images: dict[str, int], n_test: int) -> str:
    """Chapter 8.3: which ciphers the algebraic attack broke, from how many known images (``{name: images}``)."""
    if not known_images:
        return ("The algebraic attack recovered no equivalent key in this run: no cipher had the structure it "
                "needs.")
    counts = list(known_images.values())
    return (f"The algebraic attack recovered an equivalent key of {names(known_images)}, from "
            f"{count_range(min(counts), max(counts))} known images; the table gives the share of the {n_test} unseen "
            "test X-rays that each recovered key decrypts bit for bit.")


def chaos_known_sentence(chaotic_broken: list[str]) -> str:
    """Chapter 8.3: whether known images already broke the textbook chaotic ciphers of chapters 2 and 6."""
    if not chaotic_broken:
        return "It broke neither textbook chaotic cipher in this run."
    return (f"For {names(chaotic_broken)} these were known, not chosen, images: the chosen-plaintext attack of "
            "chapter 2 is not even needed.")


def kpa_grid_sentence(gains: dict[str, float], threshold_db: float, pairs: int) -> str:
    """Chapter 8.3: what the grid of learned-attack reconstructions shows, cipher by cipher (gain in dB)."""
    if not gains:
        return "No reconstruction is shown: the learned attack ran on no cipher."
    above = {n: g for n, g in gains.items() if g > threshold_db}
    below = [n for n, g in gains.items() if g <= threshold_db]
    parts = []
    if above:
        shown = [f"{n} ({'exact' if g == float('inf') else f'{g:+.1f} dB'})" for n, g in above.items()]
        parts.append(f"beat the mean-image guess by more than {threshold_db:g} dB for {names(shown)}")
    if below:
        parts.append(f"{'do' if above else 'does'} no better than that guess for {names(below)}")
    return (f"The grid shows the first seed's decryptions learned from {pairs} pairs: they "
            + (", and " if len(parts) == 2 else "").join(parts) + ".")


def leakage_sentence(leaking: dict[str, float], n_ciphers: int) -> str:
    """Chapter 8.5: which ciphers let the classifier read the diagnosis (``{name: largest AUC}``)."""
    if not leaking:
        return (f"For none of the {n_ciphers} ciphers is the classifier's AUC significantly above 0.5: no cipher "
                "image gives the diagnosis away to this classifier.")
    shown = [f"{n} (AUC {auc:.2f})" for n, auc in leaking.items()]
    return (f"The classifier reads the diagnosis from the cipher images of {len(leaking)} of the {n_ciphers} "
            f"ciphers: {names(shown)}. For the others its AUC is not significantly above 0.5.")


def averages_hide_sentence(cases: list[tuple[str, str, float, float]]) -> str:
    """Chapter 8.7: ciphers whose mean NPCR and UACI lie inside one image's acceptance band, yet fail.

    ``cases``: (cipher, failing test "NPCR" or "UACI", share of images passing, ideal cipher's share).
    """
    if not cases:
        return ("Every cipher that fails the one-pixel test also has a mean NPCR or UACI outside the acceptance "
                "band of a single image.")
    shown = [f"{name} (only {rate:.0%} of its images pass the {test} test, against {null:.0%} for an ideal cipher)"
             for name, test, rate, null in cases]
    return (f"An average can look ideal while the images fail: the mean NPCR and UACI of {names(shown)} lie inside "
            "the acceptance band of a single image, yet too few of the individual images pass. The verdict rests on "
            "that pass rate, not on the average.")


def resist_sentence(passing: list[str], deterministic: dict[str, bool], refuses_forgeries: dict[str, bool]
                    | None = None) -> str:
    """Chapter 8.10: what the ciphers that pass every attack have in common, from the table.

    ``deterministic``: cipher -> whether the repeat-query adversary won every game against it;
    ``refuses_forgeries``: cipher -> whether it refused every bit-flipped ciphertext.
    """
    if not passing:
        return "No cipher passes every attack in this run."
    repeating = [n for n in passing if deterministic.get(n, False)]
    if repeating:
        one = len(repeating) == 1
        return (f"The ciphers that pass are {names(passing)}; {names(repeating)} {'is' if one else 'are'} "
                f"deterministic, so {'it' if one else 'they'} should lose the IND-CPA game: a pass here only means "
                "that this suite missed the weakness.")
    refusing = [n for n in passing if (refuses_forgeries or {}).get(n, False)]
    text = ("What lets it pass is not its construction as such: it draws a fresh nonce for every image"
            if len(passing) == 1 else
            f"What the {len(passing)} ciphers that pass have in common is not their construction: each draws a fresh "
            "nonce for every image")
    if len(refusing) == len(passing):
        text += (" and refuses a ciphertext with one flipped bit, which only an authentication tag does (AES-GCM, "
                 "alone or on a compressed code)")
    broke, secure = ("it", "it is") if len(passing) == 1 else ("them", "they are")
    return text + f". Passing says that no attack in this suite broke {broke}, not that {secure} secure."


def control_clause(description: str, failed: list[str]) -> str:
    """'AES-CTR with a fresh nonce passes every attack' or '… fails IND-CPA and diagnosis leak'."""
    return f"{description} passes every attack" if not failed else f"{description} fails {names(failed)}"


def controls_verdict(sound_passed: bool | None, broken_failed: bool | None) -> str:
    """Whether the controls say the attacks are neither blind nor trigger-happy in this run."""
    if sound_passed and broken_failed:
        return ("So the attacks are not blind (they break the broken controls) and raise no false alarm on the sound "
                "ones: a learned cipher that fails an attack is not a failure of the attack.")
    if sound_passed is None or broken_failed is None:
        return "Not every control ran, so this run cannot show that the attacks are calibrated on both sides."
    if not sound_passed:
        return ("In this run a sound control fails an attack: read every FAIL with section 8.8's false-alarm rate "
                "in mind.")
    return "In this run a broken control passes every attack: the suite is weaker than it should be."


def results_found_sentence(found: list[str], missing: list[str]) -> str:
    """Chapter 9: which chapters' results are there, and what a missing one means."""
    total = len(found) + len(missing)
    if not missing:
        return f"Results were found for all {total} chapters, so every table below is complete."
    return (f"Results were found for {len(found)} of the {total} chapters; missing: {names(missing)}. Their ciphers "
            "are absent from the tables below until those chapters run.")


def abstracts_phrase(from_abstracts: int, total: int) -> str:
    """'all from abstracts', 'none from abstracts' or '12 of them from abstracts'."""
    if total and from_abstracts == total:
        return "all from abstracts"
    if from_abstracts == 0:
        return "none from abstracts"
    return f"{from_abstracts} of them from abstracts"


def comparable_sentence(groups: int) -> str:
    """Chapter 9.2: can the reported numbers rank the methods?"""
    if groups == 0:
        return ("No metric–dataset–size combination has a value we could read from two or more papers: the "
                "reported numbers cannot rank the methods against each other.")
    return (f"Only {groups} metric–dataset–size combination{'' if groups == 1 else 's'} {'has' if groups == 1 else 'have'} "
            "values we could read from two or more papers; every other reported value stands alone, so the numbers "
            "cannot rank the methods as a whole.")


def measured_attacked_sentence(dataset: str, n_rows: int, n_attacked: int, not_attacked: list[str],
                               renamed: dict[str, str], different: list[str], unmeasured: list[str]) -> str:
    """Chapter 9.3: how the leaderboard's rows on ``dataset`` correspond to the ciphers chapter 8 attacked."""
    text = f"On {dataset} the leaderboard has {n_rows} rows, and chapter 8 attacked {n_attacked} ciphers."
    if not_attacked:
        one = len(not_attacked) == 1
        text += (f" Measured but not attacked: {names(not_attacked)}, {'a variant' if one else 'variants'} that a "
                 f"chapter measures beside its cipher and that no registered cipher stands for.")
    same = {row: name for row, name in renamed.items() if row not in different}
    if same:
        shown = [f"{row} is chapter 8's {name}" for row, name in same.items()]
        text += f" Under another name: {names(shown)}, the same trained model (the checkpoint its chapter recorded)."
    if different:
        text += (f" Chapter 8 attacked another model than the one measured for {names(different)}, so those rows "
                 "have no verdict below.")
    if unmeasured:
        text += f" Attacked but not measured on {dataset}: {names(unmeasured)}."
    if not (not_attacked or renamed or different or unmeasured):
        text += " Every row is a model chapter 8 attacked, under the same name."
    return text


def broken_lossless_sentence(broken: list[str]) -> str:
    """Chapter 9.5: lossless ciphers that a known- or chosen-plaintext attack breaks anyway."""
    if not broken:
        return "No cipher that decrypts exactly falls to a known- or chosen-plaintext attack in this run."
    one = len(broken) == 1
    return (f"Exact decryption is not security: {names(broken)} {'decrypts' if one else 'decrypt'} exactly, at the "
            f"right of the left panel, yet a known- or chosen-plaintext attack breaks {'it' if one else 'them'}, "
            f"which puts {'it' if one else 'them'} low on the security axis.")


def gcm_caveat(passed: bool | None, failed: list[str], alpha: float) -> str:
    """Chapter 9.6: a sentence on AES-GCM's row of chapter 8 (the recommendation itself never carries it)."""
    if passed is None:
        return "AES-GCM was not attacked in this run."
    if passed:
        return "AES-GCM survived every attack."
    return (f"This run's table marks AES-GCM as failing {names(failed, empty='a test')}. The suite holds a sound "
            f"cipher's chance of a FAIL anywhere in the table at {alpha:.0%} (section 8.8 checks it), so a FAIL for a "
            "standard authenticated cipher is either such a false alarm or a defect of the suite, and worth "
            "reporting.")


def learned_included(learned: list[str]) -> str:
    """'the 7 with trained weights: a, b and c' (chapter 8 and 9 count learned ciphers the same way)."""
    if not learned:
        return "none has trained weights"
    return f"{'the one' if len(learned) == 1 else f'the {len(learned)}'} with trained weights: {names(learned)}"


def statistics_sentence(look_random_but_fail: list[str], look_random: int) -> str:
    """Chapter 9.7: did chapter 1's statistics predict the attack verdicts?"""
    if look_random_but_fail:
        return (f"Statistics did not predict the verdicts: {names(look_random_but_fail)} pass the histogram test and "
                "every NIST test of chapter 1, yet fail at least one attack. Only the attacks told them apart.")
    if look_random:
        return ("In this run every cipher that passes the histogram test and every NIST test of chapter 1 also "
                "survives the attacks; chapter 1 explains why such agreement is not guaranteed.")
    return "No cipher passes the histogram test and every NIST test of chapter 1 in this run."


def training_clause(devices: list[str], longest_s: float | None) -> str:
    """Chapter 9.7: how long, and on what, the learned ciphers were trained (from the chapters' metadata)."""
    kinds = sorted({"a GPU" if d.startswith("cuda") else "Apple's GPU" if d.startswith("mps") else "the CPU"
                    for d in devices})
    where = f" on {names(kinds, empty='')}" if kinds else ""
    if longest_s is None:
        return f"Our models are compact and were trained briefly{where}"
    return f"Our models are compact and were trained for at most {duration(longest_s)} each{where}"


def best_lossy_sentence(name: str | None, psnr: float | None, curve_name: str | None = None,
                        curve_psnr: float | None = None) -> str:
    """Chapter 9.7: the best lossy decryption among the ciphers measured and attacked, and chapter 4's best."""
    if name is None:
        return "No lossy cipher was both measured and attacked in this run."
    text = (f"The best lossy cipher that was both measured by the suite and attacked, {name}, decrypts to "
            f"{psnr:.2f} dB")
    if curve_name and curve_name != name and curve_psnr is not None and curve_psnr > psnr:
        text += (f"; chapter 4's compression curve reaches {curve_psnr:.2f} dB with {curve_name}, a model that "
                 "neither the suite nor the attacks measured")
    return text + "."


def exactness_sentence(lossless_learned: list[str]) -> str:
    """Chapter 9.7: which learned ciphers decrypt exactly."""
    if not lossless_learned:
        return "No learned cipher here decrypts exactly."
    return (f"Of the learned ciphers, {names(lossless_learned)} {'decrypts' if len(lossless_learned) == 1 else 'decrypt'}"
            " exactly, by an integer construction rather than a learned decoder.")


def kerckhoffs_sentence(keyless: list[str], key_ignored: list[str]) -> str:
    """Chapter 9.7: learned ciphers whose only secret is their weights, by design (no key) or in effect (key ignored)."""
    if keyless and key_ignored:
        return (f"A network whose only secret is its weights ({names(keyless)}) is security by obscurity, and so, in "
                f"effect, is one whose key the audit of chapter 8 found unused ({names(key_ignored)})")
    if keyless:
        return f"A network whose only secret is its weights ({names(keyless)}) is security by obscurity"
    if key_ignored:
        one = len(key_ignored) == 1
        return (f"Every learned cipher here takes a key, but the audit of chapter 8 found {names(key_ignored)} using "
                f"none of {'its' if one else 'their'} key bits: {'its' if one else 'their'} only secret is "
                f"{'its' if one else 'their'} weights, which is security by obscurity")
    return ("Every learned cipher here takes a key and uses it; a network whose only secret were its weights would be "
            "security by obscurity")


def chosen_images_clause(chapter2: int | None, chapter6: int | None) -> str:
    """Chapter 9's decision guide: how many chosen images recovered an equivalent key, in chapters 2 and 6."""
    def images(n):
        return f"{n} chosen image{'' if n == 1 else 's'}"

    if chapter2 is None and chapter6 is None:
        return "chosen images recover an equivalent key (chapters 2 and 6 show it when they run)"
    if chapter2 is not None and chapter6 is not None:
        where = (f"{images(chapter2)} recover{'s' if chapter2 == 1 else ''} an equivalent key in chapter 2 and again "
                 "in chapter 6" if chapter2 == chapter6 else
                 f"{images(chapter2)} in chapter 2 and {images(chapter6)} in chapter 6 recover an equivalent key")
        return where
    n, chapter = (chapter2, 2) if chapter2 is not None else (chapter6, 6)
    return f"{images(n)} recover{'s' if n == 1 else ''} an equivalent key in chapter {chapter}"


def known_images_clause(known: dict[str, int]) -> str:
    """Chapter 9's decision guide: the known X-rays chapter 8's algebraic attack needed (empty when none)."""
    if not known:
        return ""
    return f", and so do known X-rays in chapter 8 ({names([f'{n} for {name}' for name, n in known.items()])})"


def kpa_curve_sentence(broken: dict[str, float], pairs: int, threshold_db: float) -> str:
    """Chapter 8.3: for which ciphers the learned attack's curve ends above the threshold (first seed)."""
    if not broken:
        return (f"With {pairs} pairs the learned attack beats the mean-image guess by more than {threshold_db:g} dB "
                "for no cipher: every curve ends below the dashed line.")
    shown = [f"{n} ({'exact' if g == float('inf') else f'{g:+.1f} dB'})" for n, g in broken.items()]
    return (f"With {pairs} pairs the learned attack beats the mean-image guess by more than {threshold_db:g} dB for "
            f"{names(shown)}; every other curve ends below the dashed line.")


def chosen_sentence(outcomes: dict[str, dict[str, tuple[float, int]]], threshold_db: float) -> str:
    """Chapter 8.4: per cipher, the chosen-plaintext attacks that applied (attack -> (gain, images)), and which broke it.

    A cipher with no applicable attack is named apart: n/a is not a pass.
    """
    if not outcomes:
        return "No cipher ran through the chosen-plaintext attacks."
    broken, resisted, none = [], [], []
    for name, attacks in outcomes.items():
        if not attacks:
            none.append(name)
            continue
        attack, (gain, images) = max(attacks.items(), key=lambda item: item[1][0])
        if gain > threshold_db:
            broken.append(f"{name} ({attack}, {'exactly' if gain == float('inf') else f'{gain:+.1f} dB'}, "
                          f"{images:,} chosen images)")
        else:
            resisted.append(name)
    parts = []
    if broken:
        parts.append(f"The chosen images break {names(broken)}")
    if resisted:
        parts.append(f"an attack applies to {names(resisted)} but gains less than {threshold_db:g} dB")
    if none:
        parts.append(f"no attack of this section applies to {names(none)}, so their cell reads n/a, not pass")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def algebraic_bullet(known_images: dict[str, int], learned_missed: list[str]) -> str:
    """Chapter 8's closing list: what the algebraic attack showed, and whether the learned attack alone missed it."""
    if not known_images:
        return "No cipher here had the structure of the algebraic attack, so known images broke none of them."
    counts = list(known_images.values())
    text = (f"Ciphers that apply the same permutation and mask to every image fall to "
            f"{count_range(min(counts), max(counts))} known images: {names(list(known_images))}.")
    if learned_missed:
        text += f" The learned decryptor alone would have missed {names(learned_missed)}."
    return text


def worst_share(rates: pd.Series) -> str:
    """'<test> at <share in %>' for the largest of ``rates`` (test -> share of runs), e.g. 'diagnosis leak at 7.50%'."""
    if rates.empty:
        raise ValueError("worst_share needs at least one rate")
    test = rates.idxmax()
    return f"{test} at {float(rates[test]):.2%}"


def learned_speed_sentence(report: dict, learned: list[str], goal: float = 1000.0) -> str:
    """Chapter 9.5: which learned ciphers reach ``goal`` images/s both ways in ``medcrypt.bench``'s report, and
    why the others do not (their multiply-adds per image; the float32 variants beside them)."""
    entries = report["ciphers"]
    timed = [n for n in learned if "encrypt_images_per_s" in entries.get(n, {})]
    fast = [n for n in timed if min(entries[n]["encrypt_images_per_s"], entries[n]["decrypt_images_per_s"]) >= goal]
    slow = [n for n in timed if n not in fast]
    verbs = "encrypts and decrypts" if len(fast) == 1 else "encrypt and decrypt"
    first = (f"Of the {len(timed)} learned ciphers, {len(fast)} {verbs} at least {goal:,.0f} images per "
             f"second on this machine" + (f" ({names(fast)})" if fast else ""))
    if not slow:
        return first + "."
    parts = []
    for name in slow:
        entry = entries[name]
        text = (f"{name} ({entry['encrypt_images_per_s']:,.0f} images/s encrypting, "
                f"{entry['decrypt_images_per_s']:,.0f} decrypting")
        if entry.get("multiply_adds_per_image"):
            text += f"; {entry['multiply_adds_per_image'] / 1e6:,.1f} million multiply-adds per image"
        parts.append(text + ")")
    second = f"; {names(parts)} do not" if len(slow) > 1 else f"; {parts[0]} does not"
    variants = [f"in {v['options'].get('precision', 'another setting')}, {v['of']} encrypts at "
                f"{v['encrypt_images_per_s']:,.0f} images/s and {v.get('exact_round_trip_share', float('nan')):.1%} "
                "of its images still decrypt exactly"
                for v in report.get("variants", {}).values() if v.get("of") in slow and "encrypt_images_per_s" in v]
    them = "them: each is" if len(slow) > 1 else "it: it is"
    third = (f" The work per image, not Python, bounds {them} a batched forward pass without gradients. "
             + (names(variants)[0].upper() + names(variants)[1:] + ", which is what its float64 exactness costs."
                if variants else ""))
    return first + second + "." + third.rstrip()


def birthday_sentence(birthday: "pd.DataFrame", fast: float) -> str:
    """Chapter 8.2: the birthday adversary's budget per cipher (queries, measured speed) and what it found.

    ``birthday`` is the IND-CPA table's rows for that adversary, indexed by cipher, with
    ``queries``, ``images_per_s`` and ``p_values``.
    """
    if birthday.empty:
        return "The birthday adversary did not run."
    queries = birthday["queries"].astype(int)
    slow = [n for n, r in birthday.iterrows() if r["images_per_s"] < fast]
    text = (f"The birthday adversary spent between {queries.min():,} and {queries.max():,} oracle queries on one "
            "image, as many as its time budget allowed at each cipher's measured speed")
    if slow:
        text += (f"; {names(slow)} {'encrypts' if len(slow) == 1 else 'encrypt'} fewer than {fast:,.0f} images per "
                 "second, so a short nonce there would need more queries than the budget holds to show")
    return text + "."


def integrity_sentence(refused: dict[str, bool], one_pixel: dict[str, int]) -> str:
    """Chapter 8.4: which ciphers refused every one-bit forgery, and which let the attacker pick a pixel to change."""
    if not refused:
        return "No cipher ran through the bit-flip test."
    safe = [n for n, ok in refused.items() if ok]
    accepting = [n for n, ok in refused.items() if not ok]
    steered = [n for n in accepting if one_pixel.get(n, 0)]
    parts = []
    if safe:
        parts.append(f"Only {names(safe)} refused every forged ciphertext" if accepting else
                     f"Every cipher refused every forged ciphertext ({names(safe)})")
    if accepting:
        parts.append(f"{len(accepting)} of the {len(refused)} ciphers decrypted forgeries without complaint")
    if steered:
        parts.append(f"against {names(steered)} one flipped cipher bit changed exactly one plaintext pixel, so an "
                     "attacker chooses what changes")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def key_search_sentence(failures: dict[str, str], fewest_keys: int, most_keys: int, weakest_bound_bits: float) -> str:
    """Chapter 8.6: the ciphers whose key audit fails, each with its figure, and the random-key search's reach
    (``weakest_bound_bits``: the smallest lower bound it gave where it found nothing)."""
    reach = (f"The random-key search tried between {fewest_keys:,} and {most_keys:,} keys per cipher; where it found "
             f"nothing it shows a key space of at least about 2^{weakest_bound_bits:.0f}, far below 128 bits, so the "
             "other audits, not this one, decide a pass.")
    if not failures:
        return "No keyed cipher fails a key audit. " + reach
    listed = [f"{n} ({figure})" for n, figure in failures.items()]
    return f"Keyed ciphers that fail: {names(listed)}. " + reach


def hybrids_sentence(hybrids: list[str], cipher: str = "AES-GCM") -> str:
    """Chapter 8.1: the codec + standard-cipher hybrids, and why they are not counted as learned ciphers."""
    if not hybrids:
        return ""
    one = len(hybrids) == 1
    return (f"{names(hybrids)} {'compresses' if one else 'compress'} with a trained codec and then "
            f"{'encrypts' if one else 'encrypt'} with {cipher}: {'its' if one else 'their'} secret is the AES key, "
            f"so {'it is' if one else 'they are'} counted as codec + {cipher}, not as learned ciphers.")
