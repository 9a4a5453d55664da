"""Sentences of chapters 5 and 6: invertible networks, feed-forward and recurrent networks, chosen or filled by computed values."""

from __future__ import annotations

import math
from typing import Iterable

import pandas as pd

from .common import duration, names, p_value_text

DIRECTION_NAMES = ("horizontal", "vertical", "diagonal")


def _ch56_superscript(text: str) -> str:
    return text.translate(str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻˙"))


def _ch56_scientific(value: float) -> str:
    """'6.5 × 10⁻⁶' (two significant digits)."""
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa} × 10{_ch56_superscript(str(int(exponent)))}"


def value_change(first: float, last: float, unit: str = "", digits: int = 3) -> str:
    """'fell from 0.812 to 0.430', 'rose from … to …' or 'stayed at …' (equal at the shown precision)."""
    a, b = f"{first:.{digits}f}", f"{last:.{digits}f}"
    if a == b:
        return f"stayed at {a}{unit}"
    return f"{'fell' if last < first else 'rose'} from {a}{unit} to {b}{unit}"


def training_loss(values: list[float], what: str = "loss", unit: str = "", digits: int = 3) -> str:
    """'over 3 epochs the loss fell from … to …', or the one value of a single epoch."""
    values = [float(v) for v in values]
    if not values:
        return f"no {what} was recorded"
    if len(values) == 1:
        return f"after its single epoch the {what} is {values[0]:.{digits}f}{unit}"
    return f"over {len(values)} epochs the {what} {value_change(values[0], values[-1], unit, digits)}"


def nist_count(passed: int | None, run: int | None) -> str:
    """'k of n' NIST rows with the cipher's own n, or a phrase when no sequence was long enough."""
    if not run or passed is None:
        return "none run (too few cipher bits for one sequence)"
    return f"{int(passed)} of {int(run)}"


def nist_denominator(runs: dict[str, int], sequence_bits: int, min_bits: dict[str, int], tests: int = 7) -> str:
    """Why the n of 'k of n NIST rows' can differ (from medcrypt.nist and metrics), and what it is here."""
    too_long = sorted(k for k, v in min_bits.items() if v > sequence_bits)
    if not too_long:
        why = (f"our sequences of {sequence_bits:,} bits are long enough for all of them, so n differs only for a "
               "cipher whose cipher bits fill no sequence")
    else:
        why = (f"our sequences of {sequence_bits:,} bits are too short for {names(too_long)}, so those rows are "
               "missing, and a cipher whose cipher bits fill no sequence gets none")
    sentence = (f"A NIST count is out of the rows that ran on that cipher's bits, {tests + 1} when all {tests} tests "
                "run (cumulative sums counts forwards and backwards); a test runs only on sequences as long as "
                f"SP 800-22 requires for it, and {why} (section 1.8).")
    judged = sorted({int(n) for n in runs.values() if n})
    missing = [name for name, n in runs.items() if not n]
    if len(judged) == 1 and not missing:
        return f"{sentence} Here every cipher was judged on {judged[0]} rows."
    parts = [f"the ciphers were judged on {names(str(n) for n in judged)} rows"] if judged else []
    if missing:
        parts.append(f"{names(missing)} got no NIST verdict")
    return f"{sentence} Here {'; '.join(parts)}."


def correlation_change(trained: dict[str, float], untrained: dict[str, float]) -> str:
    """Whether training lowered |r| in each neighbour direction, against the random initialisation."""
    lower = [d for d in DIRECTION_NAMES if abs(trained[d]) < abs(untrained[d])]
    higher = [d for d in DIRECTION_NAMES if d not in lower]

    def listed(directions):
        values = [f"{d} ({trained[d]:.4f} against {untrained[d]:.4f})" for d in directions]
        if len(values) == 1:
            d = directions[0]
            return f"the {d} direction ({trained[d]:.4f} against {untrained[d]:.4f})"
        return f"the {names(values)} directions"

    head = "Compared with random initialisation, training lowered the size |r| of the neighbour correlation"
    if not higher:
        return f"{head} in every direction: {names(f'{d} ({trained[d]:.4f} against {untrained[d]:.4f})' for d in lower)}."
    if not lower:
        return f"{head} in no direction: {names(f'{d} ({trained[d]:.4f} against {untrained[d]:.4f})' for d in higher)}."
    return f"{head} in {listed(lower)}, but not in {listed(higher)}."


def p_value(p: float) -> str:
    """'p = 0.698' or 'p < 0.0001': :func:`p_value_text` after 'p'."""
    text = p_value_text(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"

def chi2_sentence(p_values: dict[str, float], alpha: float) -> str:
    """The pooled histograms' χ² p-values, and which of them reject a flat histogram at ``alpha``."""
    listed = names(f"{p_value(p)} ({name})" for name, p in p_values.items())
    rejected = [name for name, p in p_values.items() if p < alpha]
    if not rejected:
        verdict = f"none rejects a flat histogram at α = {alpha:g}"
    elif len(rejected) == len(p_values):
        verdict = f"every one rejects a flat histogram at α = {alpha:g}"
    else:
        verdict = f"at α = {alpha:g} a flat histogram is rejected for {names(rejected)} only"
    return f"The pooled histograms above give χ² {listed}: {verdict}."


def flow_summary(float_exact: list[float], stored_exact: list[float]) -> str:
    """The summary's line on the continuous flow."""
    if min(float_exact) == 1 and max(stored_exact) == 0:
        return ("In this run the real-valued flow decrypts every image exactly from its real-valued output, and none "
                "from its output stored in 8 bits, at every weight scale.")
    return (f"In this run the real-valued flow decrypts {min(float_exact):.0%} or more of the images exactly from its "
            f"real-valued output, and at most {max(stored_exact):.0%} from its output stored in 8 bits.")


def exact_decryption(trained_rate: float, untrained_rate: float) -> str:
    """Bit-exact decryption of the coupling cipher, trained and at random initialisation."""
    if trained_rate == 1 and untrained_rate == 1:
        return ("Decryption is bit-exact for every test image, with the trained weights and with the random ones "
                "alike, as the construction promises.")
    return (f"Decryption is bit-exact for {trained_rate:.0%} of the test images with the trained weights and "
            f"{untrained_rate:.0%} with the random ones: short of what the construction promises, so the shifts "
            "were not recomputed to the same bits (section 5.2).")


def npcr_against_critical(npcrs: dict[str, float], critical: float) -> str:
    """Which ciphers' one-pixel NPCR lies above the critical value of a random cipher, and which below."""
    above = [f"{name} ({value:.2%})" for name, value in npcrs.items() if value >= critical]
    below = [f"{name} ({value:.2%})" for name, value in npcrs.items() if value < critical]
    verb = {1: "is"}
    parts = []
    if above:
        parts.append(f"{names(above)} {verb.get(len(above), 'are')} at or above the critical value of a random "
                     f"cipher, {critical:.2%}")
    if below:
        parts.append(f"{names(below)} {verb.get(len(below), 'are')} below {'it' if above else f'the critical value of a random cipher, {critical:.2%}'}")
    return "; ".join(parts) + "."


def coupling_spread(trained_npcr: float, critical: float) -> str:
    """Why the coupling cipher's one-pixel change stays local, said only when it does."""
    if trained_npcr < critical:
        return ("A shift computed by a 3×3 convolution reaches only the neighbours of the changed pixel, and the "
                "layers do not spread it through the image; the permutations scatter the change but do not "
                "multiply it.")
    return "The layers and the permutations spread a one-pixel change through the whole image."


def uaci_band(uacis: dict[str, float], low: float, high: float) -> str:
    """Which pooled UACIs lie outside chapter 1's band for one image (two-sided), chosen by the values."""
    outside = [f"{name} ({value:.2%})" for name, value in uacis.items() if not low <= value <= high]
    band = f"chapter 1's band for one image ({low:.2%} to {high:.2%})"
    if not outside:
        return f"Every pooled UACI in the table lies inside {band}."
    if len(outside) == len(uacis):
        return f"No pooled UACI in the table lies inside {band}: {names(outside)}."
    return f"Outside {band} lie {names(outside)}; every other pooled UACI in the table lies inside it."


def flow_rounding(scales: list[float], float_exact: list[float], stored_exact: list[float],
                  stored_psnr: list[float]) -> str:
    """What storing the continuous flow's output in 8 bits does, per weight scale."""
    if min(float_exact) == 1:
        first = "The float round trip is bit-exact for every image at every weight scale."
    else:
        first = (f"Even the float round trip is bit-exact for only {min(float_exact):.0%} to "
                 f"{max(float_exact):.0%} of the images.")

    def psnr(v):
        return "∞" if math.isinf(v) else f"{v:.2f}"

    per_scale = names(f"{e:.0%} bit-exact at weight scale {s:g} (PSNR {psnr(p)} dB)"
                      for s, e, p in zip(scales, stored_exact, stored_psnr))
    finite = [p for p in stored_psnr if not math.isinf(p)]
    if len(stored_psnr) > 1 and all(b < a for a, b in zip(stored_psnr, stored_psnr[1:])):
        trend = " The stronger the scaling, the lower the PSNR."
    elif len(stored_psnr) > 1 and len(finite) == len(stored_psnr):
        trend = " The PSNR does not fall steadily with the scaling."
    else:
        trend = ""
    return f"{first} Decrypted from the stored 8-bit cipher, the images are {per_scale}.{trend}"


def reported_psnr(reported: float, measured: list[float], levels: int = 256) -> str:
    """What a reported recovery PSNR means on 8-bit images, set against our rounded flows' PSNRs."""
    peak = levels - 1
    mse = peak**2 / 10 ** (reported / 10)
    meaning = (f"On 8-bit images a PSNR of {reported:g} dB is a mean squared error of "
               f"{peak}²/10{_ch56_superscript(f'{reported / 10:g}')} ≈ {_ch56_scientific(mse)}: at most one pixel off by one "
               f"in {1 / mse:,.0f}, and none off by more, a decryption that is lossless for practical purposes.")
    if all(m < reported for m in measured):
        return (f"{meaning} Every rounded flow in the table stays below it, at {min(measured):.2f} to "
                f"{max(measured):.2f} dB, so rounding the output of a continuous flow does not produce such a "
                "value: the reported figure implies near-lossless decryption, which rounding alone does not "
                "explain.")
    if all(m >= reported for m in measured):
        return (f"{meaning} Every rounded flow in the table reaches at least that, so at these weight scales "
                "rounding a continuous flow's output costs less than the reported figure allows.")
    return (f"{meaning} Some of the rounded flows in the table reach it and some do not: how much rounding costs "
            "depends on how strongly the flow scales, which the reported figure alone does not tell.")


def eve_verdict(eve_mae: float, block_mae: float, median_mae: float) -> str:
    """What the fresh Eve's mean absolute error says, against the two guesses that need no ciphertext."""
    both = (f"Eve's mean absolute error, {eve_mae:.1f} grey levels, is {{}} the median block's {block_mae:.1f} "
            f"and {{}} the median image's {median_mae:.1f}")
    if eve_mae < block_mae and eve_mae < median_mae:
        return both.format("below", "below") + ": she learns from the ciphertext more than either guess knows."
    if eve_mae < block_mae:
        return (both.format("below", "not below") + ": she learns something from the ciphertext, less than the "
                "block's position tells the median image.")
    if eve_mae < median_mae:
        return both.format("not below", "below") + ": she does better than the median image but not the median block."
    return (both.format("not below", "not below") + ": this Eve learns nothing from the ciphertext that a guess "
            "without it does not already know.")


def bob_learned(bob_mae: float, guess_mae: float) -> str:
    """Whether Alice and Bob learned a usable cipher: Bob's error against the best guess without the ciphertext."""
    if bob_mae < guess_mae:
        return (f"Alice and Bob learn a lossy cipher on image blocks: Bob's error is {bob_mae:.1f} grey levels, "
                f"against {guess_mae:.1f} for the best guess without the ciphertext.")
    return (f"In this run Alice and Bob did not learn a usable cipher: Bob's error, {bob_mae:.1f} grey levels, is "
            f"no better than the {guess_mae:.1f} of the best guess without the ciphertext.")


def lossy_sentence(bit_exact_rate: float) -> str:
    """How often Bob recovers an image exactly."""
    if bit_exact_rate == 0:
        return ("Second, decryption is lossy: Bob recovers none of the test images exactly, so this cipher cannot "
                "serve where the exact pixels matter.")
    if bit_exact_rate == 1:
        return "Second, Bob recovers every test image exactly."
    return (f"Second, decryption is lossy: Bob recovers only {bit_exact_rate:.0%} of the test images exactly, so "
            "this cipher cannot serve where the exact pixels matter.")


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


def lyapunov_sentence(lmin: float, lmax: float, n_starts: int, transient: int, mantissa_bits: int = 53) -> str:
    """The largest Lyapunov exponents over the starting states, and what they mean for the key."""
    head = (f"From {n_starts} random starting states in the key's range the largest Lyapunov exponent lies between "
            f"{lmin:.3f} and {lmax:.3f} per iteration")
    if lmin <= 0:
        return (head + ": not positive from every start, so from some keys the orbit is not chaotic and nearby "
                "keys need not give unrelated key-streams.")
    gap = mantissa_bits - 1  # a state in (−1, 1) set from a 53-bit word moves by 2/2⁵³ per unit of the word
    needed = gap * math.log(2) / lmin
    grow = (f": positive from every start, so nearby orbits separate by a factor of about exp(λ) per step. "
            f"Two initial states that differ in the last of their {mantissa_bits} bits start "
            f"2{_ch56_superscript(str(-gap))} apart and reach the attractor's size after about "
            f"{gap} ln 2 / λ ≈ {needed:.0f} iterations at the smallest exponent, ")
    if needed < transient:
        return head + grow + f"well within the {transient} dropped iterations."
    return head + grow + f"more than the {transient} dropped iterations: the first outputs may still be related."


def lyapunov_spectrum_sentence(spectrum: list[float], n_starts: int, kaplan_yorke: float) -> str:
    """The Hopfield map's whole Lyapunov spectrum (mean over the starts), its sum and its Kaplan–Yorke dimension."""
    values = sorted((float(v) for v in spectrum), reverse=True)
    listed = names(f"{v:.3f}".replace("-", "−") for v in values)
    total = sum(values)
    head = (f"Carried with {len(values)} tangent vectors instead of one (the QR method), the orbits from the "
            f"{n_starts} starts give the whole spectrum, on average {listed} per iteration")
    if values[0] <= 0:
        return (head + f": no exponent is positive, so the map is not chaotic, and its Kaplan–Yorke dimension is "
                f"{kaplan_yorke:.2f}.")
    if total >= 0:
        return (head + f". Their sum, {total:.3f}, is not negative: the map does not shrink volumes, and its "
                f"Kaplan–Yorke dimension, {kaplan_yorke:.2f}, is that of the whole state space.")
    factor = _ch56_scientific(math.exp(total))
    return (head + f". Their sum, {total:.3f}".replace("-", "−") + f", is the mean log of the Jacobian's "
            f"determinant: every iteration multiplies small volumes by about e^({total:.2f})".replace("-", "−")
            + f" ≈ {factor}, so the map is strongly dissipative, stretching one direction while it squeezes the "
            f"others far faster. Its Kaplan–Yorke dimension is {kaplan_yorke:.2f}: after the transient the orbits "
            f"fill a set of that dimension in the {len(values)}-dimensional state space, whatever state the hash "
            "set at the start.")


def state_entropy_sentence(float32_bits: float, float32_interval: tuple[float, float], mantissas: tuple[int, int],
                           slope: float, intercept: float, float64_bits: float, float64_interval: tuple[float, float],
                           transient: int, state_bits: int, kaplan_yorke: float, confidence: float = 0.95) -> str:
    """The collision entropy of the post-transient state: float32, the fitted line and its float64 extrapolation."""
    level = f"{confidence:.0%}"
    lo32, hi32 = float32_interval
    lo, hi = float64_interval
    sign = "−" if intercept < 0 else "+"
    float32 = (f"In real float32 arithmetic the states after the {transient} dropped iterations collide as often as "
               f"states drawn uniformly from about 2{_ch56_superscript(str(round(float32_bits)))} values: a "
               f"collision entropy of {float32_bits:.1f} bits ({level} interval {lo32:.1f} to {hi32:.1f}).")
    if slope <= 0:
        return float32 + (f" Over emulated mantissas of {mantissas[0]} to {mantissas[1]} bits it does not grow with "
                          f"the precision (slope {slope:.2f} bits per bit), so no extrapolation to float64 is "
                          "meaningful.")
    trend = (f" Over emulated mantissas of {mantissas[0]} to {mantissas[1]} bits it grows by {slope:.2f} bits per "
             f"bit of precision (H₂ ≈ {slope:.2f} p {sign} {abs(intercept):.1f}): each extra bit splits every state "
             f"the orbit can end in into about 2{_ch56_superscript(f'{slope:.2f}')}, and the slope estimates the "
             "attractor's correlation dimension")
    if slope <= kaplan_yorke:
        trend += (f", which lies at or below the Kaplan–Yorke dimension ({kaplan_yorke:.2f}), as it should: orbits "
                  "visit parts of the attractor unevenly, and collisions count the busy parts most.")
    else:
        trend += (f", above the Kaplan–Yorke dimension ({kaplan_yorke:.2f}), which a correlation dimension should "
                  "not be: rounding or the finite transient bends the line, and the extrapolation is less sure.")
    extrapolated = (f" Extrapolated to float64's 53 bits the line gives {float64_bits:.1f} bits ({level} interval "
                    f"{lo:.1f} to {hi:.1f})")
    if hi < state_bits:
        return float32 + trend + extrapolated + f", far below the {state_bits} bits of the hashed initial state."
    return float32 + trend + extrapolated + f", as much as the {state_bits} bits of the hashed initial state hold."


def state_guessing_verdict(guessing_bits: float, key_bits: int, minimum_bits: int = 128, state_bits: int = 159) -> str:
    """What the post-transient state's entropy means for a key search on the nonce variant (chapter 8's verdict)."""
    cost = f"2{_ch56_superscript(str(round(guessing_bits)))}"
    how = ("An attacker need not search the key: the state after the transient fixes an image's whole "
           "permutation and key-streams, so the attacker can draw states the way this measurement does (a random "
           "start, the same iterations) and check each against the cipher image (with a known plaintext, or by "
           "whether the decryption looks like an image). Each draw matches with probability 2^−H₂, so one image's "
           f"state costs about {cost} trials, taking the lower end of the interval")
    if guessing_bits >= state_bits:
        how += f" (capped at the state's {state_bits} bits)"
    if guessing_bits < minimum_bits:
        return (how + f". That is below the {minimum_bits} bits a cipher must resist, so chaos-hopfield-nonce "
                f"fails the key-search verdict of chapter 8, its {key_bits}-bit key notwithstanding: the hash "
                "spreads the key over the initial state, and the dissipative map throws most of it away.")
    return (how + f". That is at least the {minimum_bits} bits a cipher must resist: guessing the state does not "
            "beat the key-search verdict of chapter 8.")


def keystream_nist(passed: int, run: int, sequences: int, bits: int, sequence_bits: int,
                   uniformity_min: int) -> str:
    """The key-stream's NIST result, and what passing does and does not say."""
    uniform = ("" if sequences >= uniformity_min else
               f"; with fewer than {uniformity_min} sequences the uniformity of the P-values is not judged")
    head = (f"The key-stream passes {nist_count(passed, run)} NIST rows on {bits:,} bits ({sequences} sequences "
            f"of {sequence_bits:,} bits, judged as in chapter 1{uniform}).")
    if run and passed == run:
        return head + (" Passing these tests is necessary, not sufficient: the statistics say nothing about how "
                       "the stream is used, which is where such ciphers break.")
    return head + " A failed row is evidence against the generator, although one can fail by chance."


def wrong_key_sentence(wrong_psnr: float, right_psnr: float, margin: float = 1.0) -> str:
    """Bob's decryption with a key one bit off against the right key, chosen by the values."""
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


def chosen_plaintext(n_chosen: int, seconds: float, bit_exact: float, n_images: int, key_bits: int) -> str:
    """The chosen-plaintext attack on the textbook Hopfield cipher."""
    head = (f"{n_chosen} chosen images and {duration(seconds)} of computation give an equivalent key that decrypts "
            f"{bit_exact:.0%} of the {n_images} test X-rays bit for bit, without the {key_bits}-bit key.")
    if bit_exact == 1:
        return head + (" The positive Lyapunov exponent and the NIST results of section 6.4 did not help: the "
                       "weakness is in how the key-stream is used, not in the key-stream.")
    return head + " The equivalent key is not exact for every image, so the cipher is not fully of the attacked form."


def nonce_attack(failed: bool, guessing_bits: float, minimum_bits: int = 128) -> str:
    """The chosen-plaintext attack on the nonce variant: what its outcome shows, beside the state-guessing cost."""
    if not failed:
        return ("and yet the attack recovered an equivalent key: the nonce did not stop it, and this variant is broken "
                "like the textbook one.")
    head = ("so the attack's equations have no common solution: the map it recovers is not a permutation of "
            "the pixels, and it fails. What stops it is the standard construction, a hash and a nonce")
    cost = f"2{_ch56_superscript(str(round(guessing_bits)))}"
    if guessing_bits < minimum_bits:
        return (head + f". The chaos adds nothing to it and even takes away, since guessing an image's state "
                f"after the transient costs about {cost} trials (section 6.4), far fewer than the "
                f"2{_ch56_superscript(str(minimum_bits))} a cipher must withstand, so the network is a weak "
                "pseudo-random generator, and AES-CTR remains the better choice.")
    return (head + f"; guessing an image's state after the transient costs about {cost} trials (section 6.4), "
            "and the network is then one more pseudo-random generator, with no security argument of its own, so "
            "AES-CTR remains the better choice.")


def hopfield_summary(stream_passed: int, stream_run: int, n_chosen: int, bit_exact: float) -> str:
    """The summary's line on the textbook Hopfield cipher."""
    stream = f"a key-stream that passes {nist_count(stream_passed, stream_run)} NIST rows"
    if bit_exact == 1:
        return (f"A chaotic Hopfield-type network makes {stream}, and the textbook cipher built on it falls to "
                f"{n_chosen} chosen images all the same.")
    return (f"A chaotic Hopfield-type network makes {stream}; {n_chosen} chosen images recover an equivalent key "
            f"of the textbook cipher that decrypts {bit_exact:.0%} of the test images exactly.")


def nonce_summary(failed: bool, guessing_bits: float, minimum_bits: int = 128) -> str:
    """The summary's line on the nonce variant."""
    tail = " None of these ciphers is fit to protect patient data; AES-GCM is."
    if not failed:
        return "A fresh nonce per image did not stop that attack in this run." + tail
    cost = f"2{_ch56_superscript(str(round(guessing_bits)))}"
    if guessing_bits < minimum_bits:
        return ("A fresh nonce per image stops that attack, not a search: the dissipative map squeezes each hashed "
                f"state onto its attractor, where guessing it costs about {cost} trials, below {minimum_bits} bits; "
                "the chaos weakens what the hash and the nonce set up." + tail)
    return (f"A fresh nonce per image stops that attack, and guessing an image's state costs about {cost} trials, "
            f"at least {minimum_bits} bits: the hash and the nonce do the work." + tail)


def anc_summary(within: int, key_bits: int) -> str:
    """The summary's line on the learned cipher's block structure and key."""
    key = (f"a key with one bit wrong still decrypts within 1 dB for {within} of its {key_bits} bits"
           if within else f"every wrong key bit costs Bob at least 1 dB")
    return ("The learned cipher works block by block: a changed pixel changes only its own block, equal blocks give "
            f"equal cipher blocks, and {key}.")
