"""The bit-flip test: a chosen-ciphertext test of integrity (and a measure of malleability).

An attacker who can alter a stored or transmitted cipher image flips one bit of it and
hands it to the receiver. A cipher with integrity (authenticated encryption: AES-GCM, the
latent hybrids that seal their code with it) refuses every such forgery; an
unauthenticated cipher decrypts it to *some* image, which the receiver cannot tell from
the real one. A stream cipher is moreover *malleable*: a flipped cipher bit flips the same
plaintext bit, so the attacker changes the diagnosis image exactly where she likes.

Each trial flips one bit chosen uniformly over the image's *whole ciphertext*: its output
bytes and its public side data (nonce, tag) together, as
:func:`medcrypt.ciphers.base.ciphertext_bytes` reads them. What ``decrypt``
does with the forgery is one of:

* **rejected**: it raised :class:`~medcrypt.ciphers.base.AuthenticationError`, the
  contract's refusal of altered input;
* **refused**: it raised ``ValueError``, the contract's refusal of malformed input. No
  plaintext came back, so no forgery was accepted; this counts as a rejection (a cipher
  that checks a format or padding refuses this way) but is reported apart;
* **crashed**: it raised any other exception. That is not an integrity check but a fault
  (an ``IndexError`` deep inside a model is not a refusal the receiver can act on), so it
  is *not* counted as a rejection and the test is not passed; the first such exception is
  kept in ``crash``;
* **accepted**: it returned a plaintext: a forgery got through.

The test is passed only when every trial was rejected or refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..ciphers.base import AuthenticationError, CipherImages


@dataclass(frozen=True)
class Integrity:
    """The bit-flip test's outcome for one cipher.

    * ``trials``: forgeries tried, one flipped bit each.
    * ``rejected``: refused with :class:`AuthenticationError`; ``refused``: with ``ValueError``;
      ``crashed``: another exception (not counted as a refusal); ``accepted``: decrypted.
    * ``changed_plaintext``: accepted forgeries whose plaintext differs from the decryption
      of the untouched ciphertext.
    * ``one_pixel``: accepted forgeries that changed exactly one pixel (byte) of it;
      ``same_bit``: of those, the ones whose change is the flipped bit itself, at the
      flipped position (a stream cipher's malleability: the attacker chose the change).
    * ``where``: per trial, where the flipped bit lay: "pixels" or "side".
    * ``outcomes``: per trial, "rejected", "refused", "crashed" or "accepted".
    * ``crash``: the first unexpected exception, as text (empty when none).
    """

    trials: int
    rejected: int
    refused: int
    crashed: int
    accepted: int
    changed_plaintext: int
    one_pixel: int
    same_bit: int
    where: tuple[str, ...]
    outcomes: tuple[str, ...]
    crash: str = ""

    @property
    def passed(self) -> bool:
        """Every forgery was refused (AuthenticationError or ValueError), none accepted, nothing crashed."""
        return self.trials > 0 and self.rejected + self.refused == self.trials

    @property
    def malleable(self) -> bool:
        """Some accepted forgery changed exactly one pixel: the attacker controls the change."""
        return self.one_pixel > 0

    @property
    def detail(self) -> str:
        """One sentence for a table."""
        in_side = sum(w == "side" for w in self.where)
        head = (f"{self.trials} one-bit forgeries ({self.trials - in_side} in the pixels, {in_side} in the side data): "
                f"{self.rejected} rejected, {self.refused} refused as malformed, {self.accepted} accepted")
        if self.crashed:
            head += f", {self.crashed} crashed ({self.crash})"
        if self.accepted:
            head += (f"; {self.changed_plaintext} of the accepted changed the plaintext, {self.one_pixel} in exactly "
                     f"one pixel ({self.same_bit} by the flipped bit itself)")
        return head

    def to_dict(self) -> dict:
        """The counts, the verdict and the detail, for a table row."""
        return {"trials": self.trials, "rejected": self.rejected, "refused": self.refused, "crashed": self.crashed,
                "accepted": self.accepted, "changed_plaintext": self.changed_plaintext, "one_pixel": self.one_pixel,
                "same_bit": self.same_bit, "passed": self.passed, "detail": self.detail}


def _forge(one: np.ndarray, position: int, bit: int) -> tuple[np.ndarray, str, int]:
    """A copy of the one-image ciphertext ``one`` with bit ``bit`` of whole-ciphertext byte ``position`` flipped.

    Returns the forgery (a :class:`CipherImages` when ``one`` carries side data), where the
    byte lay, and its index within the pixel bytes (-1 in the side data).
    """
    pixels = np.array(np.asarray(one).view(np.ndarray), copy=True, order="C")
    side = getattr(one, "side", None)
    pixel_bytes = pixels.reshape(-1).view(np.uint8)  # shares memory with ``pixels``
    if position < pixel_bytes.size:
        pixel_bytes[position] ^= np.uint8(1 << bit)
        return (CipherImages(pixels, np.array(side, copy=True)) if side is not None else pixels), "pixels", position
    side = np.array(np.asarray(side), copy=True, order="C")
    side.reshape(-1).view(np.uint8)[position - pixel_bytes.size] ^= np.uint8(1 << bit)
    return CipherImages(pixels, side), "side", -1


def bit_flip_attack(cipher, images: np.ndarray, key, *, trials: int, rng: np.random.Generator) -> Integrity:
    """Encrypt ``images`` under ``key`` once, then try ``trials`` one-bit forgeries on ``cipher.decrypt``.

    Each trial picks an image uniformly, then one bit uniformly among the bytes of its whole
    ciphertext (output bytes and side data), flips it in a copy (the encryption stays
    untouched) and decrypts that image alone. The reference plaintext is the decryption of
    the untouched ciphertext, so a lossy cipher's own error is not taken for a change.
    """
    if trials < 1:
        raise ValueError(f"trials must be at least 1; got {trials}")
    sealed = cipher.encrypt(images, key)
    reference = np.asarray(cipher.decrypt(sealed, key))
    counts = dict.fromkeys(("rejected", "refused", "crashed", "accepted", "changed", "one_pixel", "same_bit"), 0)
    where, outcomes, crash = [], [], ""
    for _ in range(trials):
        i = int(rng.integers(len(sealed)))
        one = sealed[i:i + 1]  # keeps the matching row of the side data
        pixel_bytes = np.asarray(one).view(np.ndarray).nbytes
        side = getattr(one, "side", None)
        total = pixel_bytes + (0 if side is None else np.asarray(side).nbytes)
        position, bit = int(rng.integers(total)), int(rng.integers(8))
        forged, place, index = _forge(one, position, bit)
        where.append(place)
        try:
            plain = np.asarray(cipher.decrypt(forged, key))
        except AuthenticationError:
            outcome = "rejected"
        except ValueError:
            outcome = "refused"
        except Exception as error:  # noqa: BLE001 - a fault, recorded and counted against the cipher
            outcome = "crashed"
            crash = crash or f"{type(error).__name__}: {error}"
        else:
            outcome = "accepted"
            expected = reference[i:i + 1]
            if plain.shape != expected.shape:
                counts["changed"] += 1
            else:
                before = np.ascontiguousarray(expected).reshape(-1).view(np.uint8)
                after = np.ascontiguousarray(plain).reshape(-1).view(np.uint8)
                differ = np.flatnonzero(before != after)
                counts["changed"] += bool(differ.size)
                if differ.size == 1:
                    counts["one_pixel"] += 1
                    counts["same_bit"] += bool(differ[0] == index and before[index] ^ after[index] == 1 << bit)
        counts[outcome] += 1
        outcomes.append(outcome)
    return Integrity(trials=trials, rejected=counts["rejected"], refused=counts["refused"], crashed=counts["crashed"],
                     accepted=counts["accepted"], changed_plaintext=counts["changed"], one_pixel=counts["one_pixel"],
                     same_bit=counts["same_bit"], where=tuple(where), outcomes=tuple(outcomes), crash=crash)
