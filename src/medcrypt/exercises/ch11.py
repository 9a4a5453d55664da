"""Chapter 11's checked exercise and "break it" challenge, both on the chapter's example cipher, ArnoldXOR.

The exercise asks how many pixel permutations ArnoldXOR's 128-bit key can actually select.
The challenge hands out two known X-rays with their cipher images and a third cipher image
under the same hidden key; the target is the third X-ray, bit for bit. The reference solution
searches those few permutations for the one that maps the XOR of the two known plaintexts
onto the XOR of their cipher images (the keystream cancels), then strips the keystream.
"""

from __future__ import annotations

import numpy as np

from .core import Challenge, Exercise, Result, Setup, image_answer, near

#: What chapter 11's ArnoldXOR draws from its key: 1 + key[0] % 8 iterations, a = key[1] % N or 1, b likewise.
ITERATIONS = 8
#: The challenge's key and images come from this seed, so a student who restarts gets the same task.
SEED = 20261111
SIDE = 28


def _cat_map(x: np.ndarray, y: np.ndarray, a: int, b: int, side: int) -> tuple[np.ndarray, np.ndarray]:
    """One step of the generalised cat map [[1, a], [b, ab + 1]] (determinant 1, so a bijection mod side)."""
    return (x + a * y) % side, (b * x + (a * b + 1) * y) % side


def arnold_schedule(key: bytes, side: int) -> tuple[np.ndarray, np.ndarray]:
    """ArnoldXOR's key schedule as ``arnold_xor.py`` has it: where each pixel goes (flat index), and the keystream."""
    x, y = np.divmod(np.arange(side * side), side)
    a, b = key[1] % side or 1, key[2] % side or 1
    for _ in range(1 + key[0] % ITERATIONS):
        x, y = _cat_map(x, y, a, b, side)
    stream = np.random.default_rng(int.from_bytes(key[3:], "big")).integers(0, 256, (side, side), dtype=np.uint8)
    return (x * side + y).astype(np.int64), stream


def arnold_encrypt(images: np.ndarray, key: bytes) -> np.ndarray:
    """ArnoldXOR's encryption (chapter 11's ``arnold_xor.py``): move each pixel, then XOR the keystream."""
    images = np.asarray(images, dtype=np.uint8)
    destination, stream = arnold_schedule(key, images.shape[-1])
    moved = np.empty_like(images.reshape(len(images), -1))
    moved[:, destination] = images.reshape(len(images), -1)
    return moved.reshape(images.shape) ^ stream


def arnold_permutations(side: int, iterations: int = ITERATIONS) -> set[bytes]:
    """Every pixel permutation that ArnoldXOR's key can select on a side × side image.

    The cat map for a, b in 1..side-1 and 1..iterations iterations; each permutation is kept as
    the bytes of its destination array (int64), so equal maps count once.
    """
    found: set[bytes] = set()
    start_x, start_y = np.divmod(np.arange(side * side), side)
    for a in range(1, side):
        for b in range(1, side):
            x, y = start_x, start_y
            for _ in range(iterations):
                x, y = _cat_map(x, y, a, b, side)
                found.add((x * side + y).astype(np.int64).tobytes())
    return found


def _plaintexts() -> np.ndarray:
    """Three test X-rays when the offline data is there, else smooth synthetic ones (same task, no download)."""
    try:
        from .. import data

        with data.accepting_subsets():
            images = data.load("pneumoniamnist", "test", size=SIDE, limit=3).images
        return images.reshape(3, SIDE, SIDE)  # grey X-rays: drop a channel axis if the loader keeps one
    except Exception:  # no data root: a deterministic stand-in with an X-ray's smooth structure
        y, x = np.mgrid[0:SIDE, 0:SIDE] / (SIDE - 1)
        return np.stack([(255 * (0.5 + 0.4 * np.sin(3 * x + i) * np.cos(2 * y - i))).astype(np.uint8)
                         for i in range(3)])


def _setup() -> Setup:
    key = np.random.default_rng(SEED).bytes(16)
    plain = _plaintexts()
    cipher = arnold_encrypt(plain, key)
    return Setup({"known_plain": plain[:2], "known_cipher": cipher[:2], "target_cipher": cipher[2]},
                 {"plain": plain[2], "stream_only": (cipher[2] ^ arnold_schedule(key, SIDE)[1])})


def break_arnold(public: dict) -> np.ndarray:
    """The reference solution: find the permutation from the two known pairs, strip the keystream, move back."""
    p1, p2 = (np.asarray(p, np.uint8).ravel() for p in public["known_plain"])
    c1, c2 = (np.asarray(c, np.uint8).ravel() for c in public["known_cipher"])
    plain_xor, cipher_xor = p1 ^ p2, c1 ^ c2  # the keystream cancels: cipher_xor[destination] == plain_xor
    for candidate in arnold_permutations(SIDE):
        destination = np.frombuffer(candidate, dtype=np.int64)
        if np.array_equal(cipher_xor[destination], plain_xor):
            stream = c1.copy()
            stream[destination] ^= p1  # c1 = moved(p1) ^ stream
            target = np.asarray(public["target_cipher"], np.uint8).ravel() ^ stream
            return target[destination].reshape(SIDE, SIDE)
    raise ValueError("no permutation of ArnoldXOR's key space maps the known pairs onto each other")


def _judge(answer, setup: Setup) -> Result:
    plain = setup.secret["plain"]
    decided, answer = image_answer(answer, plain, "Right: the X-ray, bit for bit, from two known pairs and no key.")
    if decided is not None:
        return decided
    if np.array_equal(answer, setup.secret["stream_only"]):
        return Result(False, "Not yet: the keystream is gone but the pixels are still in their moved places; undo "
                             "the permutation too (plain pixel i is at position destination[i]).")
    if np.array_equal(np.sort(answer.ravel()), np.sort(plain.ravel())):
        return Result(False, "Not yet: right pixel values, wrong order: check the direction of the permutation "
                             "(read target[destination], do not write into it).")
    return Result(False, "Not yet: the keystream cancels in the XOR of two cipher images; find the permutation that "
                         "maps the XOR of the two known X-rays onto it.")


ITEMS = (
    Exercise("11_evaluate", 3, "the number of distinct pixel permutations ArnoldXOR's key can select at 28×28",
             lambda: len(arnold_permutations(SIDE)), 0.5, "permutations",
             ((near(lambda e: float(ITERATIONS * 27 * 27), 0.5), "that counts the schedules (iterations, a, b); "
                                                                  "different schedules can give the same permutation, "
                                                                  "so compare the permutations themselves."),
              (near(lambda e: float(2 ** 24), 0.5), "the three key bytes are reduced first: key[0] % 8 and key[1], "
                                                    "key[2] modulo 28 (0 becomes 1)."))),
    Challenge("11_evaluate", 4, f"the target X-ray, one {SIDE}×{SIDE} uint8 image", _setup, _judge, break_arnold,
              lambda public: [public["target_cipher"], public["known_plain"][0],
                              np.asarray(public["target_cipher"]) ^ np.asarray(public["known_cipher"][0])]),
)
