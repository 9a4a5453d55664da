"""Chosen-plaintext equivalent-key recovery for permutation–diffusion ciphers.

Target: any cipher of the form E(p) = M·P·p + b (mod 256), where P permutes pixel
positions and b is a fixed mask, both secret, and M is a public linear diffusion that can
be inverted. Every plaintext-independent permutation–diffusion cipher whose diffusion
is modular addition with chaining has this form, including
:class:`medcrypt.ciphers.LogisticPermutationDiffusion`. The attacker never learns the
chaotic key; they learn (P, b), an *equivalent key* that decrypts everything the real
key does (Li et al. 2004, 2005; chapter 8 cites the later breaks).

Queries: one all-zero image gives b. Then ceil(log_256 T) "coordinate" images, whose
pixel j holds the base-256 digits of j, label every position, so that undoing M exposes
where each pixel was sent. For a 28×28 image that is 3 chosen images in all.

The equivalent-key attack fits one form of cipher only; where the form does not fit it
says so (``applies`` false), which is not a pass. :func:`chosen_plaintext_attacks` runs it
beside two generic chosen-plaintext attacks that need no assumption about the cipher's
inside, only about the bytes it returns:

* **key-stream recovery** (:func:`keystream_attack`): a cipher that removes the same
  key-stream from every image (a reused nonce, a stream derived from the key alone, the
  identity) gives the stream away when asked to encrypt an all-zero image.
* **codebook** (:func:`codebook_attack`): a cipher that encrypts equal blocks of bytes to
  equal blocks (ECB mode) is a dictionary; the attacker fills it with the encryptions of
  images she chooses and looks the blocks of a cipher image up.

Both read the *whole ciphertext* of an image: its output bytes (any shape, first axis N)
followed by its public side data (:attr:`~medcrypt.ciphers.base.CipherImages.side`), if any.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..ciphers.base import ciphertext_bytes  # noqa: F401  (also part of this module's API)
from ..ciphers.chaos import undiffuse


class AttackFailed(RuntimeError):
    """The oracle's answers are not those of a cipher of the assumed form."""


def _public_inverse(d: np.ndarray) -> np.ndarray:
    """M^{-1}: the diffusion with all-zero key-streams is the public linear part."""
    zeros = np.zeros(d.shape[-1], dtype=np.uint8)
    return undiffuse(d, zeros, zeros)


def probe_images(shape: tuple[int, ...]) -> np.ndarray:
    """The chosen plaintexts: an all-zero image, then one image per base-256 digit of the pixel index."""
    n_pixels = int(np.prod(shape))
    digits = max(1, math.ceil(math.log(n_pixels, 256))) if n_pixels > 1 else 1
    index = np.arange(n_pixels)
    probes = [np.zeros(n_pixels, dtype=np.uint8)]
    probes += [((index // 256**d) % 256).astype(np.uint8) for d in range(digits)]
    return np.stack(probes).reshape(len(probes), *shape)


@dataclass(frozen=True)
class EquivalentKey:
    """(P, b) recovered by the attack: ``source[i]`` is the plaintext position sent to cipher position i."""

    source: np.ndarray
    mask: np.ndarray
    shape: tuple[int, ...]

    def decrypt(self, cipher: np.ndarray) -> np.ndarray:
        flat = np.asarray(cipher, dtype=np.uint8).reshape(len(cipher), -1)
        if flat.shape[1] != self.source.size:
            raise ValueError(f"this equivalent key decrypts images of shape {self.shape}; got {np.shape(cipher)[1:]}")
        permuted = _public_inverse(flat - self.mask)  # uint8 arithmetic is already mod 256
        out = np.empty_like(permuted)
        out[:, self.source] = permuted
        return out.reshape(np.shape(cipher))


def chosen_plaintext_attack(encrypt: Callable[[np.ndarray], np.ndarray], shape: tuple[int, ...]) -> tuple[EquivalentKey, int]:
    """Recover an equivalent key from an encryption oracle; returns it and the number of chosen images used."""
    probes = probe_images(shape)
    answers = np.asarray(encrypt(probes), dtype=np.uint8).reshape(len(probes), -1)
    mask = answers[0]
    labels = _public_inverse(answers[1:] - mask).astype(np.int64)  # row d: digit d of each position's source
    source = (labels * (256 ** np.arange(len(labels)))[:, None]).sum(axis=0)
    if not np.array_equal(np.sort(source), np.arange(source.size)):
        raise AttackFailed("the recovered map is not a permutation: the cipher is not of the form M·P·p + b")
    return EquivalentKey(source, mask, tuple(shape)), len(probes)


def _equivalent_key_decryption(encrypt: Callable[[np.ndarray], np.ndarray],
                               test_plain: np.ndarray) -> tuple[np.ndarray, int] | None:
    """The equivalent-key attack's decryption of ``encrypt(test_plain)`` and the chosen images used, or None."""
    shape = tuple(test_plain.shape[1:])
    try:
        key, n_chosen = chosen_plaintext_attack(encrypt, shape)
        cipher = np.asarray(encrypt(test_plain)).view(np.ndarray)
        if cipher.shape != test_plain.shape:
            return None
        return key.decrypt(cipher), n_chosen
    except AttackFailed:
        return None
    except ValueError:  # the oracle's output cannot be read as pixel arrays of the plaintext's size
        return None


def _gain(test_plain: np.ndarray, decrypted: np.ndarray, guess) -> float:
    """PSNR of ``decrypted`` over that of the no-ciphertext ``guess``, in dB (pooled over the batch)."""
    from .. import metrics

    guess = np.broadcast_to(np.asarray(guess, dtype=np.uint8), test_plain.shape)
    return metrics.psnr(test_plain, decrypted).pooled - metrics.psnr(test_plain, guess).pooled


def chosen_plaintext_gain(encrypt: Callable[[np.ndarray], np.ndarray], test_plain: np.ndarray,
                          guess: np.ndarray) -> tuple[float, int] | None:
    """Run the attack against any cipher and score the equivalent key on ``test_plain``.

    Returns (PSNR gain in dB over the no-ciphertext ``guess``, chosen images used), or None
    when the oracle's answers are not those of a cipher of the form M·P·p + b (including
    ciphertexts not shaped like the image).
    """
    found = _equivalent_key_decryption(encrypt, test_plain)
    if found is None:
        return None
    decrypted, n_chosen = found
    return _gain(test_plain, decrypted, guess), n_chosen


# ---------------------------------------------------------------- generic chosen-plaintext attacks


@dataclass(frozen=True)
class ChosenOutcome:
    """One chosen-plaintext attack on one cipher.

    * ``attack``: "equivalent key", "key-stream" or "codebook".
    * ``applies``: whether the cipher showed the structure the attack needs. False means
      the attack *does not apply*, which says nothing about the cipher's security: it is
      neither a pass nor a failure.
    * ``gain_db``: PSNR gain of the attack's decryption of the test images over the
      no-ciphertext guess (``inf`` when every test image was recovered exactly); None when
      the attack does not apply.
    * ``chosen_images``: images the attacker had encrypted (detection queries included).
    * ``recovered``: share of test images (equivalent key, key-stream) or of test blocks
      (codebook) decrypted bit-exactly.
    * ``detail``: one sentence on what was found.
    """

    attack: str
    applies: bool
    gain_db: float | None
    chosen_images: int
    recovered: float
    detail: str


def _oracle_bytes(encrypt: Callable[[np.ndarray], np.ndarray], images: np.ndarray) -> np.ndarray:
    return ciphertext_bytes(encrypt(images))


def _not_applicable(attack: str, chosen: int, detail: str) -> ChosenOutcome:
    return ChosenOutcome(attack, False, None, chosen, 0.0, detail)


#: Ways of removing a key-stream s from a cipher text c: c = p ⊕ s, c = p + s and c = s − p (mod 256).
#: With an all-zero plaintext each of them gives c = s, so one query reveals s for all three.
_REMOVALS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "XOR": np.bitwise_xor,
    "subtraction mod 256": np.subtract,  # uint8 arithmetic wraps modulo 256
    "reversed subtraction mod 256": lambda c, s: np.subtract(s, c),
}


def _alignments(length: int, plain: int) -> list[tuple[str, int]]:
    """Where the plaintext's ``plain`` bytes may sit in ``length`` ciphertext bytes: at the start, or at the end
    (after a prepended IV)."""
    if length < plain:
        return []
    out = [("offset 0", 0)]
    if length > plain:
        out.append((f"offset {length - plain} (after a {length - plain}-byte prefix)", length - plain))
    return out


def keystream_attack(encrypt: Callable[[np.ndarray], np.ndarray], test_plain: np.ndarray, guess,
                     *, rng: np.random.Generator) -> ChosenOutcome:
    """Recover a reused key-stream from E(0) and check it on one random chosen image m.

    Two chosen images: all zeros, and m drawn from ``rng``. For every way of removing a
    stream (:data:`_REMOVALS`) and every alignment of the image's T bytes inside the L bytes
    of its whole ciphertext (offset 0; offset L − T when there is a prefix such as an IV),
    the stream read off E(0) decrypts E(m), and the variant that gives back most of m
    decrypts ``encrypt(test_plain)``. It applies to every cipher whose ciphertext holds at
    least the image's bytes (the gain decides, so a sound cipher passes it); only a shorter
    ciphertext, such as an encrypted latent code, leaves nothing to try.
    """
    attack = "key-stream"
    test_plain = np.asarray(test_plain)
    shape = test_plain.shape[1:]
    plain_bytes = int(np.prod(shape)) * test_plain.dtype.itemsize
    chosen = np.stack([np.zeros(shape, dtype=test_plain.dtype),
                       rng.integers(0, np.iinfo(test_plain.dtype).max + 1, size=shape, dtype=test_plain.dtype)])
    try:
        answers = _oracle_bytes(encrypt, chosen)
    except ValueError as error:
        return _not_applicable(attack, 0, f"the oracle refused the chosen images: {error}")
    zero, answer = answers
    m = chosen[1].reshape(-1).view(np.uint8)
    best = (-1.0, "", "", 0)
    for place, offset in _alignments(answers.shape[1], plain_bytes):
        stream = zero[offset:offset + plain_bytes]
        for how, remove in _REMOVALS.items():
            share = float(np.mean(remove(answer[offset:offset + plain_bytes], stream) == m))
            if share > best[0]:
                best = (share, how, place, offset)
    share, how, place, offset = best
    if share < 0:  # nowhere to read a stream of the image's length from: the attack cannot be tried
        return _not_applicable(attack, 2, "its ciphertext is shorter than the image")
    try:
        cipher = _oracle_bytes(encrypt, test_plain)
    except ValueError as error:
        return _not_applicable(attack, 2, f"the oracle refused the test images: {error}")
    if cipher.shape[1] != answers.shape[1]:
        return _not_applicable(attack, 2, f"the test images' ciphertexts have {cipher.shape[1]} bytes, the chosen "
                                          f"images' {answers.shape[1]}")
    decrypted = _REMOVALS[how](cipher[:, offset:offset + plain_bytes], zero[offset:offset + plain_bytes])
    decrypted = np.ascontiguousarray(decrypted).view(test_plain.dtype).reshape(test_plain.shape)
    exact = float(np.mean(np.all(decrypted.reshape(len(test_plain), -1) == test_plain.reshape(len(test_plain), -1),
                                 axis=1)))
    found = (f"E(0) is a reused key-stream removed by {how} at {place}" if share == 1 else
             f"no fixed key-stream: the best variant ({how} at {place}) gives back {share:.1%} of the chosen "
             "image's bytes")
    return ChosenOutcome(attack, True, _gain(test_plain, decrypted, guess), 2, exact,
                         f"{found}; {exact:.1%} of the test images decrypted exactly")


#: Block sizes (bytes) the codebook attack tries, smallest first.
CODEBOOK_BLOCKS = (8, 16, 32)


def _blocks(rows: np.ndarray, offset: int, block: int, count: int) -> np.ndarray:
    """``count`` blocks of ``block`` bytes of every row, from ``offset``, as one void scalar per block: (N, count)."""
    part = np.ascontiguousarray(rows[:, offset:offset + count * block])
    return part.view(np.dtype((np.void, block))).reshape(len(rows), count)


def _detect_codebook(encrypt, shape, dtype, rng) -> tuple[tuple[int, str] | str, int]:
    """Find the smallest block size b at which a repeated random block encrypts to a repeated block.

    Returns ((b, alignment "start" or "end"), chosen images asked for), or (a sentence
    saying why not, chosen images asked for).
    """
    plain_bytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
    asked = 0
    for block in CODEBOOK_BLOCKS:
        count = plain_bytes // block
        if count < 2:
            continue
        pattern = rng.integers(0, 256, size=block, dtype=np.uint8)
        image = np.resize(pattern, plain_bytes).view(dtype).reshape(1, *shape)
        try:
            answer = _oracle_bytes(encrypt, image)
        except ValueError as error:
            return f"the oracle refused a chosen image: {error}", asked
        asked += 1
        for place, offset in _alignments(answer.shape[1], plain_bytes):
            cells = _blocks(answer, offset, block, count)[0]
            if np.all(cells == cells[0]):
                return (block, "start" if offset == 0 else "end"), asked
    if not asked:
        return "the image is too small for two blocks of 8 bytes", asked
    return ("no block structure: a repeated block of " + ", ".join(map(str, CODEBOOK_BLOCKS)) +
            " bytes does not encrypt to a repeated block"), asked


def codebook_attack(encrypt: Callable[[np.ndarray], np.ndarray], test_plain: np.ndarray, guess, *,
                    attacker_images: np.ndarray | None, rng: np.random.Generator,
                    batch: int = 512) -> ChosenOutcome:
    """The electronic-codebook attack: a dictionary of cipher blocks → plain blocks from chosen images.

    Detection: an image made of one random block of b bytes repeated (b in
    :data:`CODEBOOK_BLOCKS`) is encrypted; the cipher is codebook-like at b when its
    ciphertext repeats with period b at the plaintext's alignment (offset 0, or after a
    prefix). If so, the attacker encrypts ``attacker_images`` (public images of the same
    kind, e.g. a training split) and 256 constant images, records every (cipher block,
    plain block) pair, and decrypts the test images block by block where the cipher block
    is in the codebook, the rest (and any tail shorter than a block) from ``guess``.
    ``recovered`` is the share of the test images' blocks decrypted exactly.
    """
    attack = "codebook"
    test_plain = np.asarray(test_plain)
    shape, dtype = test_plain.shape[1:], test_plain.dtype
    found, asked = _detect_codebook(encrypt, shape, dtype, rng)
    if isinstance(found, str):
        return _not_applicable(attack, asked, found)
    block, where = found

    def encrypted_blocks(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(plain blocks, cipher blocks) of ``images``, as void scalars (N, count) each."""
        plain = np.ascontiguousarray(images).reshape(len(images), -1).view(np.uint8)
        count = plain.shape[1] // block
        cipher = _oracle_bytes(encrypt, images)
        if cipher.shape[1] < plain.shape[1]:
            raise ValueError("ciphertext shorter than the image")
        offset = 0 if where == "start" else cipher.shape[1] - plain.shape[1]
        return _blocks(plain, 0, block, count), _blocks(cipher, offset, block, count)

    constants = np.repeat(np.arange(256, dtype=np.uint8), int(np.prod(shape)) * dtype.itemsize)
    pools = [constants.view(dtype).reshape(256, *shape)]
    if attacker_images is not None and len(attacker_images):
        pools.insert(0, np.asarray(attacker_images, dtype=dtype))
    codebook: dict[bytes, bytes] = {}
    chosen = asked
    try:
        for pool in pools:
            for start in range(0, len(pool), batch):
                plain, cipher = encrypted_blocks(pool[start:start + batch])
                chosen += len(plain)
                codebook.update(zip(cipher.ravel().tolist(), plain.ravel().tolist()))
        truth, cipher = encrypted_blocks(test_plain)
    except ValueError as error:
        return _not_applicable(attack, chosen, f"codebook-like at {block} bytes, but the oracle refused: {error}")
    guess_bytes = np.ascontiguousarray(np.broadcast_to(np.asarray(guess, dtype=dtype), test_plain.shape))
    out = guess_bytes.reshape(len(test_plain), -1).view(np.uint8).copy()
    hits = np.zeros(cipher.shape, dtype=bool)
    for i, row in enumerate(cipher):
        for k, cell in enumerate(row.tolist()):
            plain = codebook.get(cell)
            if plain is not None:
                hits[i, k] = True
                out[i, k * block:(k + 1) * block] = np.frombuffer(plain, dtype=np.uint8)
    decrypted = out.view(dtype).reshape(test_plain.shape)
    exact = hits & (_blocks(out, 0, block, cipher.shape[1]) == truth)
    recovered = float(exact.mean()) if exact.size else 0.0
    return ChosenOutcome(attack, True, _gain(test_plain, decrypted, guess), chosen, recovered,
                         f"equal {block}-byte blocks encrypt to equal blocks; a codebook of {len(codebook)} blocks "
                         f"from {chosen} chosen images decrypts {int(exact.sum())} of {exact.size} test blocks "
                         f"({recovered:.1%}) exactly")


def chosen_plaintext_attacks(encrypt: Callable[[np.ndarray], np.ndarray], test_plain: np.ndarray, guess, *,
                             attacker_images: np.ndarray | None, rng: np.random.Generator) -> list[ChosenOutcome]:
    """Every chosen-plaintext attack against one encryption oracle: equivalent key, key-stream, codebook.

    ``encrypt`` maps a batch of images to cipher images (any shape, first axis N, side
    data allowed); ``test_plain`` are the images to decrypt, ``guess`` the no-ciphertext
    baseline, ``attacker_images`` public images of the same shape that the attacker may
    encrypt (the codebook), ``rng`` draws the random chosen images. Each outcome says
    whether its attack applies; none raises for an oracle that meets the cipher contract.
    """
    test_plain = np.asarray(test_plain)
    found = _equivalent_key_decryption(encrypt, test_plain)
    if found is None:
        equivalent = _not_applicable("equivalent key", len(probe_images(test_plain.shape[1:])),
                                     "the cipher is not of the form M·P·p + b")
    else:
        decrypted, n_chosen = found
        flat = decrypted.reshape(len(test_plain), -1) == test_plain.reshape(len(test_plain), -1)
        exact = float(np.mean(np.all(flat, axis=1)))
        equivalent = ChosenOutcome("equivalent key", True, _gain(test_plain, decrypted, guess), n_chosen, exact,
                                   f"an equivalent key (P, b) from {n_chosen} chosen images decrypts {exact:.1%} of "
                                   "the test images exactly")
    return [equivalent, keystream_attack(encrypt, test_plain, guess, rng=rng),
            codebook_attack(encrypt, test_plain, guess, attacker_images=attacker_images, rng=rng)]
