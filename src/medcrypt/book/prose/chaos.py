"""Sentences on chaotic ciphers: Lyapunov exponents, attractors, state guessing and the nonce."""

from __future__ import annotations

import math

from ...formatting import duration
from .common import names
from .statistics import _SUPERSCRIPT_DIGITS, _ch56_scientific, _ch56_superscript, nist_count


def logistic_lyapunov_sentence(exponents: dict[str, float], transient: int, mantissa_bits: int = 52) -> str:
    """Chapter 2: what the Lyapunov exponents of the cipher's two maps mean (``exponents``: map -> λ per step)."""
    import math

    shown = names([f"{value:.3f} for the {name} map" for name, value in exponents.items()])
    smallest = min(exponents.values())
    if smallest <= 0:
        return (f"The orbits give λ = {shown}: not positive for every map, so for this key the orbit settles "
                "instead of wandering, and the key-stream it gives cannot be trusted to look random.")
    steps = mantissa_bits * math.log(2) / smallest
    relation = "well within" if steps < transient else "beyond"
    return (f"The orbits give λ = {shown}, positive, as chaos requires. A change in the last bit of a "
            f"double-precision initial value, a relative change of 2⁻{str(mantissa_bits).translate(_SUPERSCRIPT_DIGITS)}, "
            f"therefore grows to the size of the orbit itself in about {steps:.0f} steps, {relation} the "
            f"{transient:,} iterations that the cipher drops before it uses the orbit.")


def chaos_attack_sentence(n_chosen: int, seconds: str, bit_exact_rate: float, n_unseen: int, key_bits: int) -> str:
    """Chapter 2.7: what the chosen-plaintext attack achieved (``seconds`` already written as a duration)."""
    recovered = int(round(bit_exact_rate * n_unseen))
    chosen = f"{n_chosen} chosen image{'s' if n_chosen != 1 else ''}"
    if recovered == n_unseen:
        outcome = f"the attacker decrypts all {n_unseen} X-rays they never chose, bit for bit"
    elif recovered:
        outcome = f"the attacker decrypts {recovered} of the {n_unseen} X-rays they never chose bit for bit"
    else:
        outcome = f"the attacker decrypts none of the {n_unseen} X-rays they never chose bit for bit"
    return f"With {chosen} and {seconds} of computation, {outcome}, without learning one of the {key_bits} key bits."


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
    tail = (" None of these ciphers is fit to protect patient data; AES-GCM from a maintained library, with proper "
            "key management (chapter 2), is.")
    if not failed:
        return "A fresh nonce per image did not stop that attack in this run." + tail
    cost = f"2{_ch56_superscript(str(round(guessing_bits)))}"
    if guessing_bits < minimum_bits:
        return ("A fresh nonce per image stops that attack, not a search: the dissipative map squeezes each hashed "
                f"state onto its attractor, where guessing it costs about {cost} trials, below {minimum_bits} bits; "
                "the chaos weakens what the hash and the nonce set up." + tail)
    return (f"A fresh nonce per image stops that attack, and guessing an image's state costs about {cost} trials, "
            f"at least {minimum_bits} bits: the hash and the nonce do the work." + tail)
