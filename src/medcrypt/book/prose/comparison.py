"""Sentences of the comparison: the literature beside our runs, speed against the ceiling, AES-GCM."""

from __future__ import annotations

from .common import names
from .training import _ch34_rate


def gcm_clause(passed: bool | None) -> str:
    """The end of the decision guide's AES-GCM sentence: a claim about chapter 8 only when the run supports it."""
    return "; in chapter 8 no attack in the suite broke it" if passed else ""


def ceiling_sentence(rates: dict[str, dict[str, float]], ceiling: float, n_images: int | None = None) -> str:
    """Each cipher's encryption speed as a share of the run's ceiling (label -> rates with ``ratio_to_ceiling``);
    with ``n_images``, a word on why a small batch keeps even AES far from it."""
    def share(ratio: float) -> str:
        return f"{ratio:.1%}" if ratio >= 0.001 else "less than 0.1%"

    parts = [f"{label} {share(r['ratio_to_ceiling'])}" for label, r in rates.items()]
    text = (f"Against the ceiling of {ceiling:,.0f} MB/s measured in the same run (the library's AES-256-CTR over one "
            f"buffer of the same size, the dashed line), encryption reaches: {names(parts)}.")
    if n_images is not None:
        text += (f" On a batch of {n_images:,} images a cipher's fixed cost per call weighs heavily; chapter 9 times "
                 "every cipher again, all in one run on one batch, so that their speeds compare.")
    return text


def timing_repeats(repeats: int) -> str:
    """'timed once' or 'best of 3 runs'."""
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1; got {repeats}")
    return "timed once" if repeats == 1 else f"best of {repeats} runs"


def speed_sentence(rates: dict[str, dict[str, float]], ceiling: float) -> str:
    """Chapter 2.6's conclusion on speed, from the run's rates (name -> MB/s and share of the ceiling)."""
    ctr, gcm, chaos = rates["aes-ctr"], rates["aes-gcm"], rates["chaos-logistic"]
    first = (f"AES-CTR, one library call for the whole batch, encrypts at {ctr['encrypt_mb_per_s']:,.0f} MB/s, "
             f"{ctr['ratio_to_ceiling']:.0%} of the ceiling of {ceiling:,.0f} MB/s that the same library reaches on "
             "one buffer of the batch's size.")
    ratio = ctr["encrypt_mb_per_s"] / chaos["encrypt_mb_per_s"]
    if ratio >= 1:
        second = (f" The chaotic cipher encrypts at {chaos['encrypt_mb_per_s']:,.0f} MB/s, {ratio:,.1f} times slower "
                  "than AES-CTR: the speed argument for chaotic ciphers does not survive a comparison with AES at "
                  "library speed.")
    else:
        second = (f" The chaotic cipher encrypts at {chaos['encrypt_mb_per_s']:,.0f} MB/s, {1 / ratio:,.1f} times "
                  "faster than AES-CTR in this run; AES-CTR is the one held to the ceiling, so the gap is the "
                  "chaotic cipher's, not an artefact of a slow AES.")
    third = (f" AES-GCM makes one authenticated call per image, since each image has its own nonce and tag, and "
             f"reaches {gcm['ratio_to_ceiling']:.1%} of the ceiling.")
    return first + second + third


def throughput_sentence(encrypt: dict[str, float], decrypt: dict[str, float]) -> str:
    """The ciphers in order of encryption speed (MB/s), with their decryption speed."""
    if not encrypt:
        raise ValueError("throughput_sentence needs at least one cipher")
    order = sorted(encrypt, key=encrypt.get, reverse=True)
    shown = [f"{name} at {_ch34_rate(encrypt[name])} MB/s (decryption {_ch34_rate(decrypt[name])} MB/s)" for name in order]
    if len(order) == 1:
        return f"Only {shown[0]} was measured."
    text = f"Fastest to encrypt is {shown[0]}, then {names(shown[1:])}"
    if encrypt[order[-1]] <= 0:
        return f"{text}."
    ratio = encrypt[order[0]] / encrypt[order[-1]]
    times = f"{ratio:,.0f} times" if ratio >= 10 else f"{ratio:.1f} times"
    return f"{text}; the fastest encrypts {times} as fast as the slowest."


def results_found_sentence(found: list[str], missing: list[str]) -> str:
    """Chapter 9: which chapters' results are there, and what a missing one means."""
    total = len(found) + len(missing)
    if not missing:
        return (f"Results were found for all {total} chapters whose results this one reads ({names(found)}), so "
                "every table below is complete.")
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


def gcm_caveat(passed: bool | None, failed: list[str], alpha: float, also_passed: list[str] = (),
               malleable_only: list[str] = ()) -> str:
    """Chapter 9.6: a sentence on AES-GCM's row of chapter 8 (the recommendation itself never carries it).

    ``also_passed``: the other ciphers that pass every column; ``malleable_only``: those whose one FAIL is the
    bit-flip column, the column that sets an authenticated cipher apart from an unauthenticated one."""
    if passed is None:
        return "AES-GCM was not attacked in this run."
    if passed:
        text = ("AES-GCM survived every attack, as did " + names(list(also_passed)) if also_passed else
                "AES-GCM is the only cipher that survived every attack")
        text += "; that is, no attack in the suite broke it, which is not a proof of security."
        if malleable_only:
            one = len(malleable_only) == 1
            text += (f" {names(list(malleable_only))} {'fails' if one else 'fail'} only the bit-flip column: "
                     f"without authentication a flipped bit decrypts to a changed image instead of being refused, "
                     f"which is what sets AES-GCM apart from {'it' if one else 'them'}.")
        return text
    return (f"This run's table marks AES-GCM as failing {names(failed, empty='a test')}. The suite holds a sound "
            f"cipher's chance of a FAIL anywhere in the table at {alpha:.0%} (section 8.8 checks it), so a FAIL for a "
            "standard authenticated cipher is either such a false alarm or a defect of the suite, and worth "
            "reporting.")


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


def cards_summary(table) -> str:
    """Chapter 9's sentence on the reproduction cards (:func:`medcrypt.book.reproduction.summary`)."""
    if len(table) == 0:
        return "No chapter saved a reproduction card in this run."
    key = table["key sensitivity"]
    kept = [name for name, status in key.items() if status == "reproduced"]
    lost = [name for name, status in key.items() if status == "not reproduced"]
    other = [name for name, status in key.items() if status not in ("reproduced", "not reproduced")]
    parts = [f"{names(kept)} reproduce{'s' if len(kept) == 1 else ''} the papers' claim that the key is the secret"
             if kept else "none reproduces the papers' claim that the key is the secret"]
    if lost:
        parts.append(f"{names(lost)} do{'es' if len(lost) == 1 else ''} not")
    if other:
        parts.append(f"for {names(other)} the claim could not be compared")
    return f"Of the {len(table)} learned ciphers with a card, {'; '.join(parts)} (chapter 8 audits the same checkpoints)."


# ------------------------------------------------------------------ chapter 12: the leaderboard

BIT_FLIP = "chosen ciphertext (bit flip)"


def _counted(n: int, word: str, plural: str | None = None) -> str:
    """'1 cell', '2 cells' (``plural`` where adding an s is wrong)."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _rows_named(rows, several_sizes: bool) -> str:
    """'a and b on breastmnist; c on pneumoniamnist', with the size where the table has several."""
    keys = ["dataset", "size"] if several_sizes else ["dataset"]
    return "; ".join(f"{names(sorted(g['cipher']))} on {key[0]}" + (f" at {key[1]}×{key[1]}" if several_sizes else "")
                     for key, g in rows.groupby(keys))


def leaderboard_sentences(cells, table) -> dict[str, str]:
    """Chapter 12's measured sentences from the store's cells and the leaderboard built from them:
    ``lb_scope`` (what the store holds), ``lb_won`` (the rows no adversary won, and the others by kind),
    ``lb_reference`` (how the reference AES-CTR fared beside the candidates), ``lb_times`` and ``lb_grid``
    (the full grid's cell count)."""
    from ...data import flags_2d
    from ...leaderboard import NOT_JUDGED, SMOKE, WON
    from ...metrics import ALPHA
    from ...sweep import SIZES

    if cells.empty:
        empty = "The store is empty: run medcrypt sweep into it (section 12.5) and rebuild the page."
        return {"lb_scope": empty, "lb_won": "", "lb_reference": "", "lb_times": "", "lb_grid": ""}
    ran = cells[cells["status"] == "ok"]
    raised = len(cells) - len(ran)
    scope = (f"The store holds {_counted(len(cells), 'cell')}: {_counted(cells['cipher'].nunique(), 'cipher')} on "
             f"{names(sorted(set(cells['dataset'])))} at {names(f'{s}×{s}' for s in sorted(set(cells['size'])))}, "
             f"{'seed' if cells['seed'].nunique() == 1 else 'seeds'} {names(sorted(set(cells['seed'])))}, with the "
             f"{names(sorted(set(cells['profile'])))} attack sizes, run by medcrypt "
             f"{names(sorted(set(cells['medcrypt_version'].dropna())), 'an unknown version')} at commit "
             f"{names(sorted(set(cells['git_commit'].dropna())), 'unknown')}"
             + (f" on {names(sorted(set(ran['device'].dropna())), 'an unrecorded device')}. " if len(ran) else ". ")
             + (f"{_counted(raised, 'cell')} raised, recorded with {'its' if raised == 1 else 'their'} error. "
                if raised else "Every cell ran to its end. "))
    several_sizes = table["size"].nunique() > 1
    kinds = {kind: table[table["result"].str.startswith(prefix)]
             for kind, prefix in (("won", WON), ("broken", "FAIL"), ("unjudged", NOT_JUDGED), ("smoke", SMOKE))}
    won, broken, unjudged, smoke = kinds["won"], kinds["broken"], kinds["unjudged"], kinds["smoke"]
    if won.empty:
        won_text = "In no row did every adversary of the battery lose on every seed."
    else:
        won_text = (f"In {len(won)} of {_counted(len(table), 'row')} no adversary in the battery won, over every "
                    f"seed: {_rows_named(won, several_sizes)}.")
    one = len(broken) == 1
    won_text += f" {_counted(len(broken), 'row')} FAIL{'s' if one else ''} at least one column"
    won_text += (f"; {len(unjudged)} {'has' if len(unjudged) == 1 else 'have'} no FAIL but a column that no attack "
                 f"could judge, which is not a pass ({_rows_named(unjudged, several_sizes)})." if len(unjudged) else ".")
    if len(smoke):
        won_text += (f" {_counted(len(smoke), 'row')} ran at the smoke profile's sizes only, which check plumbing "
                     "and give no verdict.")
    others = len(table) - sum(len(k) for k in kinds.values())
    if others:
        won_text += f" The other {others} did not run on every seed; their result says which."
    reference = ran["reference_broken_by"].fillna("")
    extra = reference.map(lambda s: [c for c in s.split("; ") if c and c != BIT_FLIP])
    chance = extra[extra.map(bool)]
    flipped = int(reference.str.contains(BIT_FLIP, regex=False).sum())
    if ran.empty:
        reference_text = "No cell ran to its end, so there is no reference to read."
    else:
        reference_text = (f"The reference AES-CTR ran beside the candidate in each of the {_counted(len(ran), 'cell')} "
                          f"that finished, at the same level: it FAILed the bit-flip column in {flipped} of them, "
                          "as an unauthenticated mode must")
        if chance.empty:
            reference_text += ", and no other column in any cell."
        else:
            columns = sorted({c for found in chance for c in found})
            reference_text += (f"; in {_counted(len(chance), 'cell')} it also FAILed {names(columns)}. AES-CTR is not "
                               "broken by these attacks, so these are false FAILs, which a cell's table allows with "
                               f"probability at most α = {ALPHA:g}; the rows of the candidates in the same cells "
                               "deserve a rerun before a FAIL in those columns is read as a break.")
    started, finished = sorted(ran["started_utc"].dropna()), sorted(ran["finished_utc"].dropna())
    times = (f"The cells took {ran['wall_s'].min():.1f} to {ran['wall_s'].max():.1f} s each (median "
             f"{ran['wall_s'].median():.1f} s), on {_counted(ran['worker'].nunique(), 'worker process', 'worker processes')}; the "
             f"whole sweep ran from {started[0].replace('T', ' ')[:16]} to {finished[-1].replace('T', ' ')[:16]} UTC."
             if started and finished else "")
    ciphers = cells["cipher"].nunique()
    grid = (f"{ciphers * len(flags_2d()) * len(SIZES) * 3:,} cells ({_counted(ciphers, 'cipher')} × "
            f"{len(flags_2d())} datasets × {len(SIZES)} sizes × 3 seeds).")
    return {"lb_scope": scope, "lb_won": won_text, "lb_reference": reference_text, "lb_times": times,
            "lb_grid": grid}
