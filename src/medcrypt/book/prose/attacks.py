"""Sentences on attacks and their verdicts: keys and key streams, known and chosen plaintexts, the summary."""

from __future__ import annotations

import pandas as pd

from .common import count_range, names


def two_time_pad_sentence(equal_pixels: int, total_pixels: int) -> str:
    """Whether the difference of two cipher images under one seed equals the difference of the plaintexts."""
    if equal_pixels == total_pixels:
        return (f"The difference of the two cipher images equals the difference of the two plaintexts at all "
                f"{total_pixels} pixels")
    return (f"The difference of the two cipher images equals the difference of the two plaintexts at only "
            f"{equal_pixels} of {total_pixels} pixels, so the key did not cancel")


def wrong_seed_sentence(wrong_psnr: float | None, noise_psnr: float, margin_db: float = 3.0) -> str:
    """What decryption under a seed one bit off reveals, against the PSNR of noise (AES-CTR's wrong key)."""
    if wrong_psnr is None:
        return "A wrong seed was rejected, so it reveals nothing."
    if wrong_psnr > noise_psnr + margin_db:
        return (f"A wrong seed reveals much of the X-ray: its {wrong_psnr:.2f} dB are {wrong_psnr - noise_psnr:.2f} dB "
                "above the noise level, because a seed one bit away yields a key image close to the right one, and a "
                "near-right key decrypts to a near-right image.")
    return (f"A wrong seed decrypts to noise, as a wrong AES key does: its {wrong_psnr:.2f} dB are within "
            f"{margin_db:g} dB of the noise level.")


def keyed_outcome(right_psnr: float, wrong_psnr: float | None, noise_psnr: float, tolerance_db: float = 1.0,
                  margin_db: float = 3.0) -> str:
    """Which term of the key-conditioned autoencoder's loss won, by the measured decryptions: 'none' (even the right
    key decrypts to about noise), 'reconstruction' (a key one bit off decrypts as well as the right key), 'wrong key'
    (a key one bit off decrypts to about noise, or is rejected) or 'neither' (in between)."""
    if right_psnr <= noise_psnr + margin_db:
        return "none"
    if wrong_psnr is None or wrong_psnr <= noise_psnr + margin_db:
        return "wrong key"
    if wrong_psnr >= right_psnr - tolerance_db:
        return "reconstruction"
    return "neither"


def keyed_outcome_sentence(outcome: str, right_psnr: float, wrong_psnr: float | None, noise_psnr: float) -> str:
    """The sentence for :func:`keyed_outcome`'s verdict, with the measured values."""
    wrong = "nothing (the key is rejected)" if wrong_psnr is None else f"{wrong_psnr:.2f} dB"
    if outcome == "none":
        return (f"Neither term won: even the right key decrypts to only {right_psnr:.2f} dB, close to the "
                f"{noise_psnr:.2f} dB of noise, so this model has not yet learned to decrypt.")
    if outcome == "reconstruction":
        return (f"Reconstruction won: with the key one bit off the decoder still reaches {wrong}, against "
                f"{right_psnr:.2f} dB with the right key. It reads the image out of the cipher image without the key, "
                "so the key protects nothing, whatever the cipher statistics say.")
    if outcome == "wrong key":
        return (f"The wrong-key term won: with the key one bit off, decryption gives {wrong}, close to the "
                f"{noise_psnr:.2f} dB of noise, against {right_psnr:.2f} dB with the right key.")
    if outcome == "neither":
        return (f"Neither term won outright: a key one bit off costs {right_psnr - wrong_psnr:.2f} dB "
                f"({wrong} against {right_psnr:.2f} dB), but stays well above the {noise_psnr:.2f} dB of noise, "
                "so a near-right key still reveals much of the image.")
    raise ValueError(f"unknown outcome {outcome!r}")


def keyed_summary(outcome: str, chi2_p: float, alpha: float) -> str:
    """The summary's sentence on the key-conditioned autoencoder: what it was trained towards, and what this run shows."""
    histogram = ("its pooled histogram was not uniform" if chi2_p < alpha
                 else "its pooled histogram passed the uniformity test")
    wrong = {"none": "even the right key decrypted to about noise",
             "reconstruction": "a key one bit off decrypted as well as the right key: there was no wrong-key failure",
             "wrong key": "a key one bit off decrypted to about noise",
             "neither": "a key one bit off decrypted worse than the right key but far better than noise"}[outcome]
    return (f"A key-conditioned autoencoder is trained towards flat histograms and wrong-key failure; in this run "
            f"{histogram} and {wrong}.")


def ecb_leak(cipher_distinct: int, plain_distinct: int, n_blocks: int) -> str:
    """What the cipher of an image with few distinct blocks shows."""
    head = (f"The cipher image of the two-tone image holds {cipher_distinct} distinct blocks among {n_blocks}, "
            f"and the plaintext {plain_distinct}")
    if cipher_distinct == plain_distinct:
        return head + ": equal plaintext blocks give equal cipher blocks, and the layout shows through."
    if cipher_distinct < plain_distinct:
        return head + ": some different plaintext blocks even share a cipher block, and the layout shows through."
    return head + ": equal plaintext blocks do not always give equal cipher blocks."


def weights_search(reproduced: bool) -> str:
    """Whether rerunning the search gives the matrix the library stores."""
    if reproduced:
        return ("Rerun here, the search returns exactly the matrix W that the library stores "
                "(hopfield.WEIGHTS), so our weights are reproducible from the seed.")
    return ("Rerun here, the search returns a different matrix from the one the library stores "
            "(hopfield.WEIGHTS): on this software stack the stored W is not reproduced from the seed.")


def wrong_key_sentence(wrong_psnr: float, right_psnr: float, margin: float = 1.0) -> str:
    """Bob's decryption with a key one bit off against the right key, chosen by the values."""
    if wrong_psnr >= right_psnr:
        return (f"Bob, given that key, decrypts to {wrong_psnr:.2f} dB, no worse than the {right_psnr:.2f} dB he "
                "reaches with the right key: this key bit protects nothing.")
    if wrong_psnr >= right_psnr - margin:
        return (f"Bob, given that key, still decrypts to {wrong_psnr:.2f} dB, against {right_psnr:.2f} dB with the "
                "right key: the wrong bit barely matters.")
    return f"Bob, given that key, decrypts to {wrong_psnr:.2f} dB, against {right_psnr:.2f} dB with the right key."


def wrong_key_noise(psnr: float, aes_psnr: float, margin: float = 1.0) -> str:
    """A cipher's wrong-key PSNR against AES-CTR's (noise)."""
    if abs(psnr - aes_psnr) <= margin:
        return (f"For the Hopfield cipher a wrong key gives {psnr:.2f} dB, within {margin:g} dB of AES-CTR's "
                f"{aes_psnr:.2f} dB: noise.")
    closer = "closer to the image" if psnr > aes_psnr else "further from the image"
    return (f"For the Hopfield cipher a wrong key gives {psnr:.2f} dB, against {aes_psnr:.2f} dB for AES-CTR: "
            f"{closer} than AES-CTR's noise.")


def key_bit_sweep(within: int, key_bits: int, margin: float = 1.0) -> str:
    """What flipping each key bit in turn shows."""
    if within == key_bits:
        return (f"Every one of the {key_bits} bits costs less than {margin:g} dB: a key that is almost right decrypts "
                f"almost as well as the right one, so the key can be searched bit by bit, and the {key_bits}-bit key "
                "is much weaker than its length says.")
    if within == 0:
        return f"Every one of the {key_bits} bits costs at least {margin:g} dB: Bob ignores none of them."
    return (f"{within} of the {key_bits} bits cost less than {margin:g} dB: a key with one of those wrong decrypts "
            "almost as well as the right one, so those bits add little to the key's strength.")


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


#: How each summary column reads inside a sentence (a column's name is a table header, not prose).
COLUMN_PHRASES = {"IND-CPA": "the IND-CPA game", "known plaintext (best attack)": "the known-plaintext attacks",
                  "chosen plaintext": "the chosen-plaintext attacks", "chosen ciphertext (bit flip)": "the bit-flip forgery",
                  "diagnosis leak": "the diagnosis-leak test", "key audit": "the key audit",
                  "one pixel (NPCR, UACI)": "the one-pixel test", "one key bit (NPCR, UACI)": "the one-key-bit test"}


def control_clause(description: str, failed: list[str]) -> str:
    """'AES-CTR with a fresh nonce passes every attack' or '… fails the IND-CPA game and the diagnosis-leak test'."""
    if not failed:
        return f"{description} passes every attack"
    return f"{description} fails {names([COLUMN_PHRASES.get(column, column) for column in failed])}"


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


#: The one column a sound but unauthenticated reference (AES-CTR) fails by design.
UNAUTHENTICATED_FAILS = "chosen ciphertext (bit flip)"


def evaluate_sentence(name: str, failed: list[str], n_columns: int, reference: str, reference_failed: list[str],
                      not_applicable: list[str] = ()) -> str:
    """What the report card says about the candidate, and whether the reference beside it behaved as a sound cipher.

    A column in ``not_applicable`` had no attack that applies: it is neither a pass nor a FAIL.
    """
    if failed:
        first = f"{name} fails {len(failed)} of the {n_columns} attacks: {names(failed)}"
    elif not_applicable:
        first = (f"No attack that applied broke {name}, but {names(list(not_applicable))} had no attack that applies "
                 "(n/a), which is not a pass")
    else:
        first = f"{name} passes all {n_columns} attacks of the suite, which is necessary for security, not sufficient"
    unexpected = [c for c in reference_failed if c != UNAUTHENTICATED_FAILS]
    if unexpected:
        return (f"{first}. {reference}, run beside it on the same images, fails {names(unexpected)}, which a sound "
                "cipher should not: read this run's verdicts with care.")
    if reference_failed:
        return (f"{first}. {reference}, run beside it on the same images, fails only the {UNAUTHENTICATED_FAILS} "
                "column, as every cipher without an integrity check must, and passes the rest.")
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


def contract_sentence(rows: list[dict]) -> str:
    """What the conformance checks of a report found (rows: check, passed True/False/None, detail).

    A failed check that reached the report is a finding, not fatal: a fatal one stops the run.
    """
    if not rows:
        raise ValueError("contract_sentence needs the report's contract rows")
    failed = [r for r in rows if r["passed"] is False]
    skipped = sum(r["passed"] is None for r in rows)
    head = (f"Of its {len(rows)} conformance checks, {sum(r['passed'] is True for r in rows)} passed"
            + (f" and {skipped} did not apply" if skipped else ""))
    if not failed:
        return head + "."
    found = names([f"{r['check']} ({r['detail']})" for r in failed])
    return (f"{head}; {'one' if len(failed) == 1 else len(failed)} failed as a finding, which does not stop the run: "
            f"{found}.")


def training_changes_sentence(table) -> str:
    """Chapter 8's sentence on what the strongest training attempts changed (:func:`compare.training_changes`).

    Only a key audit that turned to a pass counts as a key that now matters; a cipher is
    said to resist the suite only if that audit passes and no other attack wins.
    """
    if len(table) == 0:
        return "No family chapter recorded training attempts in this run."
    gained = [name for name, row in table.iterrows() if row["changed"] == "FAIL → pass"]
    lost = [name for name, row in table.iterrows() if row["changed"] == "pass → FAIL"]
    winning = {name: row["attacks that still win"] for name, row in table.iterrows()
               if row["attacks that still win"] != "none"}
    parts = [f"Stronger training turned the key audit of {names(gained)} from FAIL to pass." if gained
             else "Stronger training turned no key audit from FAIL to pass."]
    if lost:
        parts.append(f"The key audit of {names(lost)} passed for the first attempt and fails for the one attacked.")
    still = {name: attacks for name, attacks in winning.items() if name in gained}
    if still:
        listed = "; ".join(f"{name}: {attacks}" for name, attacks in still.items())
        parts.append(f"Other attacks still win against {'them' if len(still) > 1 else 'it'} ({listed}), so a key that "
                     "matters did not change the overall verdict.")
    clean = [name for name in gained if name not in winning]
    if clean:
        parts.append(f"No attack in the suite wins against {names(clean)} any more.")
    return " ".join(parts)


def protocol_glue(settings, n_ciphers: int, alpha: float, size: int) -> dict:
    """Chapter 8's protocol values for its prose (name -> value), computed in one place.

    ``settings`` is a :class:`medcrypt.attacks.protocol.AttackSettings`; the table's level
    is also given as ``level_shown``, written without an exponent.
    """
    from ... import formatting, verdicts
    from ...attacks import ind_cpa
    from .common import seeds_phrase

    seeds = len(settings.seeds)
    level = verdicts.table_level(alpha, n_ciphers, seeds)
    return {"n_seeds": seeds, "alpha_shown": alpha, "level": level, "level_shown": formatting.significant(level, 2),
            "tests_per_cipher": verdicts.tests_per_cipher(seeds), "n_tests": n_ciphers * verdicts.tests_per_cipher(seeds),
            "seeds_phrase": seeds_phrase(seeds), "image_side": size, "ind_cpa_trials_shown": settings.ind_cpa_trials,
            "ind_cpa_probes": ind_cpa.PROBES, "nonce_bits": ind_cpa.NONCE_BITS,
            "gain_threshold": verdicts.GAIN_THRESHOLD_DB, "n_columns": len(verdicts.COLUMNS)}


def threshold_sentence(gains: dict[str, float], low: float = 0.5, high: float = 3.0) -> str:
    """Chapter 8.3: which ciphers' best learned gain lies where moving the verdict's threshold would change it."""
    near = sorted(n for n, g in gains.items() if low < g <= high)
    if not near:
        return (f"No cipher's best learned gain lies between {low:g} and {high:g} dB, so any threshold in that range "
                "gives the same verdicts.")
    one = len(near) == 1
    return (f"{names(near)} {'has its' if one else 'have their'} best learned gain between {low:g} and {high:g} dB, "
            f"so {'its' if one else 'their'} learned-attack verdict depends on where in that range the threshold sits.")
