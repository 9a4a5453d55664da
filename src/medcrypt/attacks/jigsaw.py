"""Jigsaw-puzzle attacks on learnable encryption (chapter 7): EtC's blocks, and the 4-bit values inside LE's blocks.

**Jigsaw-puzzle solver (ciphertext only).** EtC block scrambling
(:class:`~medcrypt.ciphers.learnable.BlockScramblingEtC`) moves, rotates, flips and
negates whole blocks but leaves the pixels inside each block next to each other. Each
block is a puzzle piece; the solver tries every piece in all its 8 orientations, negated
or not, and reassembles the image by *edge continuity*, as the attacks on EtC images do
(Chuman, Kurihara and Kiya): the cost of putting piece b to the right of piece a is how
badly a's right edge, extrapolated one pixel by its gradient, predicts b's left edge, and
the other way round (the prediction-based compatibility of Pomeranz et al.). Each cost is
divided by the next-best cost of the same edges, so that a match clearly better than any
other counts more. A greedy placer then starts from the most confident pair and adds, one
at a time, the unused piece-and-orientation that fits the pieces already placed best,
inside a frame of the image's size in blocks. The key is never searched, so the key space
(:meth:`~medcrypt.ciphers.learnable.BlockScramblingEtC.key_space_bits`) does not enter.

A solution is only defined up to a rotation or flip of the whole image and a global
negative–positive swap (every piece has all of them); :func:`score` compares the
reconstruction with the original under the best of these 16, as a reader who looks at it
would. It reports the *direct comparison* (the share of block positions whose block is
exactly the original block) and the *neighbour comparison* (the share of the original's
adjacent block pairs that are adjacent in the same way in the reconstruction), the two
measures of the jigsaw literature, with PSNR and SSIM.

**LE's values (ciphertext only).** Tanaka's LE leaves the blocks in place and shuffles
the 4-bit values inside them, the same way in every block of every image. The same idea
solves it: the upper halves of neighbouring pixels are alike, so the attacker finds which
shuffled values are upper halves, where each goes, and then where each lower half goes,
from the cipher images alone (:func:`le_ciphertext_only`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import metrics
from ..ciphers.learnable import ORIENTATIONS, block_values, from_blocks, orient, to_blocks

EPSILON = 1e-6


def _variants(pieces: np.ndarray, negative: bool) -> np.ndarray:
    """(n, M, M, C) pieces as (n, k, M, M, C): every orientation, and its negative when ``negative``."""
    out = np.stack([orient(pieces, code) for code in range(ORIENTATIONS)], axis=1)
    return np.concatenate([out, 255.0 - out], axis=1) if negative else out


def _squared_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """||a_i − b_j||² for rows a_i of ``a`` (V, D) and b_j of ``b`` (V, D)."""
    return np.maximum((a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T, 0.0)


def _normalised(cost: np.ndarray) -> np.ndarray:
    """Each cost divided by the second-best cost of its row and of its column (a confident match is < 1)."""
    row = np.partition(cost, 1, axis=1)[:, 1]
    column = np.partition(cost, 1, axis=0)[1, :]
    return cost / (0.5 * (row[:, None] + column[None, :]) + EPSILON)


def edge_costs(variants: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(right, below): cost[a, b] of putting variant b to the right of (below) variant a; variants (V, M, M, C)."""
    v = variants.astype(np.float64)
    inner = 1 if v.shape[1] > 1 else 0

    def cost(last, before, first, after):
        predicted_next = (2 * last - before).reshape(len(v), -1)
        predicted_previous = (2 * first - after).reshape(len(v), -1)
        return (_squared_distances(predicted_next, first.reshape(len(v), -1))
                + _squared_distances(last.reshape(len(v), -1), predicted_previous))

    right = cost(v[:, :, -1], v[:, :, -1 - inner], v[:, :, 0], v[:, :, inner])
    below = cost(v[:, -1], v[:, -1 - inner], v[:, 0], v[:, inner])
    return right, below


@dataclass
class Solution:
    """A reassembled image and, per grid cell, the piece and variant placed there."""

    image: np.ndarray
    pieces: np.ndarray  # (rows, cols) index of the cipher block placed in each cell
    variants: np.ndarray  # (rows, cols) its variant: orientation code (orient), + 8 when negated


def _place(right: np.ndarray, below: np.ndarray, owner: np.ndarray, rows: int, cols: int,
           start: tuple[int, int]) -> dict[tuple[int, int], int]:
    """Greedy placement from the pair ``start`` (variant a, variant b to its right): cell -> variant."""
    n = int(owner.max()) + 1
    placed: dict[tuple[int, int], int] = {(0, 0): int(start[0]), (0, 1): int(start[1])}
    used = np.zeros(n, dtype=bool)
    used[owner[list(start)]] = True
    looks = (((0, -1), lambda v: right[v, :]), ((0, 1), lambda v: right[:, v]),
             ((-1, 0), lambda v: below[v, :]), ((1, 0), lambda v: below[:, v]))
    while len(placed) < n:
        r_low, r_high = min(r for r, _ in placed), max(r for r, _ in placed)
        c_low, c_high = min(c for _, c in placed), max(c for _, c in placed)
        best = (np.inf, None, None)
        banned = used[owner]
        for cell in {(r + dr, c + dc) for r, c in placed for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0))}:
            r, c = cell
            if cell in placed or max(r_high, r) - min(r_low, r) >= rows or max(c_high, c) - min(c_low, c) >= cols:
                continue
            total, count = 0.0, 0
            for (dr, dc), pick in looks:
                neighbour = placed.get((r + dr, c + dc))
                if neighbour is not None:
                    total = total + pick(neighbour)
                    count += 1
            total = np.where(banned, np.inf, total / count)
            variant = int(np.argmin(total))
            # A cell with more placed neighbours is constrained more: prefer it at equal cost.
            score = total[variant] / (1.0 + 0.25 * (count - 1))
            if score < best[0]:
                best = (score, cell, variant)
        _, cell, variant = best
        placed[cell] = variant
        used[owner[variant]] = True
    return placed


def _seam_cost(placed: dict[tuple[int, int], int], right: np.ndarray, below: np.ndarray) -> float:
    """The sum of the raw edge costs between adjacent placed pieces: how the attacker ranks her solutions."""
    total = 0.0
    for (r, c), variant in placed.items():
        if (r, c + 1) in placed:
            total += right[variant, placed[(r, c + 1)]]
        if (r + 1, c) in placed:
            total += below[variant, placed[(r + 1, c)]]
    return total


def _pieces(images: np.ndarray, block_size: int, who: str) -> tuple[np.ndarray, int, int, bool]:
    """(N, H, W[, C]) cipher images as (N, pieces, M, M, C) floats, with the grid's rows and columns."""
    images = np.asarray(images).view(np.ndarray)
    grey = images.ndim == 3
    images = images[..., None] if grey else images
    if images.ndim != 4 or images.shape[1] % block_size or images.shape[2] % block_size:
        raise ValueError(f"{who}: cipher images must be (N, H, W) or (N, H, W, C) with H and W multiples of the "
                         f"block size {block_size}; got {images.shape}")
    blocks = to_blocks(images.astype(np.float64), block_size)
    rows, cols = blocks.shape[1:3]
    return blocks.reshape(len(images), rows * cols, *blocks.shape[3:]), rows, cols, grey


def placement(cipher_images: np.ndarray, block_size: int, *, negative: bool = True, starts: int = 4) -> Solution:
    """The arrangement of pieces that reassembles ``cipher_images`` (N, H, W[, C]), all scrambled under one key.

    With one image this is the classic puzzle. With several, the edge costs of each pair
    of cipher positions are summed over the images before placing: a learnable scheme
    scrambles every image the same way (that is what lets a network learn from them), so
    the attacker solves one puzzle with N times the evidence. ``negative``: whether the
    scheme may have negated blocks (EtC's step 3), so that every piece's negative is
    tried. The greedy placer runs from the ``starts`` most confident pairs and keeps the
    solution with the smallest total seam cost (the attacker's own criterion: no
    plaintext is used). Returns the arrangement, with the first image reassembled.
    """
    if starts < 1:
        raise ValueError(f"placement: starts must be >= 1; got {starts}")
    pieces, rows, cols, grey = _pieces(cipher_images, block_size, "placement")
    n = pieces.shape[1]
    if n == 1:
        return Solution(np.asarray(cipher_images)[0], np.zeros((1, 1), int), np.zeros((1, 1), int))
    raw_right, raw_below = 0.0, 0.0
    for image_pieces in pieces:
        variants = _variants(image_pieces, negative)
        right, below = edge_costs(variants.reshape(-1, *variants.shape[2:]))
        raw_right, raw_below = raw_right + right, raw_below + below
    k = 2 * ORIENTATIONS if negative else ORIENTATIONS
    owner = np.repeat(np.arange(n), k)
    same = owner[:, None] == owner[None, :]
    raw_right[same], raw_below[same] = np.inf, np.inf
    right, below = _normalised(raw_right), _normalised(raw_below)
    # Seeds: the most confident pairs, one per first piece, so that the starts differ.
    seeds, seen = [], set()
    for a in np.argsort(right.min(axis=1), kind="stable"):
        if owner[a] not in seen:
            seen.add(owner[a])
            seeds.append((int(a), int(np.argmin(right[a]))))
        if len(seeds) == starts:
            break
    placed = min((_place(right, below, owner, rows, cols, seed) for seed in seeds),
                 key=lambda p: _seam_cost(p, raw_right, raw_below))
    top, left = min(r for r, _ in placed), min(c for _, c in placed)
    piece_of, variant_of = np.zeros((rows, cols), int), np.zeros((rows, cols), int)
    for (r, c), variant in placed.items():
        piece_of[r - top, c - left], variant_of[r - top, c - left] = owner[variant], variant % k
    solution = Solution(None, piece_of, variant_of)
    solution.image = reassemble(np.asarray(cipher_images)[:1], solution, block_size)[0]
    return solution


def reassemble(cipher_images: np.ndarray, solution: Solution, block_size: int) -> np.ndarray:
    """Apply an arrangement (:func:`placement`) to cipher images scrambled under the same key."""
    pieces, rows, cols, grey = _pieces(cipher_images, block_size, "reassemble")
    if solution.pieces.shape != (rows, cols):
        raise ValueError(f"reassemble: the arrangement is for a {solution.pieces.shape} grid of blocks; these images "
                         f"have {rows}×{cols}")
    grid = np.empty((len(pieces), rows, cols, *pieces.shape[2:]))
    for r in range(rows):
        for c in range(cols):
            variant = int(solution.variants[r, c])
            block = orient(pieces[:, solution.pieces[r, c]], variant % ORIENTATIONS)
            grid[:, r, c] = 255.0 - block if variant >= ORIENTATIONS else block
    out = from_blocks(grid).round().clip(0, 255).astype(np.asarray(cipher_images).dtype)
    return out[..., 0] if grey else out


def solve(cipher_image: np.ndarray, block_size: int, *, negative: bool = True, starts: int = 4) -> Solution:
    """Reassemble one block-scrambled image (H, W) or (H, W, C): :func:`placement` of a batch of one."""
    image = np.asarray(cipher_image).view(np.ndarray)
    if image.ndim not in (2, 3):
        raise ValueError(f"solve: cipher_image must be one image (H, W) or (H, W, C); got shape {image.shape}")
    return placement(image[None], block_size, negative=negative, starts=starts)


def _symmetries(image: np.ndarray, negative: bool):
    """The image under every rotation and flip that keeps its shape, and their negatives when ``negative``."""
    for code in range(ORIENTATIONS):
        turned = orient(image[..., None] if image.ndim == 2 else image, code)
        turned = turned[..., 0] if image.ndim == 2 else turned
        if turned.shape != image.shape:
            continue
        yield turned
        if negative:
            yield (255 - turned).astype(image.dtype)


def _block_keys(image: np.ndarray, block_size: int) -> np.ndarray:
    blocks = to_blocks((image[..., None] if image.ndim == 2 else image)[None], block_size)[0]
    rows, cols = blocks.shape[:2]
    flat = np.ascontiguousarray(blocks.reshape(rows, cols, -1))
    keys = np.empty((rows, cols), dtype=object)  # each block's bytes, hashable and comparable
    for r in range(rows):
        for c in range(cols):
            keys[r, c] = flat[r, c].tobytes()
    return keys


def _adjacent_pairs(keys: np.ndarray) -> list[tuple]:
    """(block, block to its right or below, direction) for every adjacent pair of a grid of block keys."""
    return [(a, b, "right") for a, b in zip(keys[:, :-1].ravel(), keys[:, 1:].ravel())] + \
           [(a, b, "below") for a, b in zip(keys[:-1].ravel(), keys[1:].ravel())]


def _neighbour_share(original: np.ndarray, reconstruction: np.ndarray, block_size: int) -> float:
    wanted = _adjacent_pairs(_block_keys(original, block_size))
    found = set(_adjacent_pairs(_block_keys(reconstruction, block_size)))
    return float(np.mean([pair in found for pair in wanted])) if wanted else 1.0


@dataclass
class Score:
    direct: float  # share of block positions holding exactly the original block
    neighbour: float  # share of the original's adjacent block pairs adjacent the same way
    aligned: np.ndarray  # the reconstruction under the global symmetry that matches the original best


def score(original: np.ndarray, reconstruction: np.ndarray, block_size: int, *, negative: bool = True) -> Score:
    """Direct and neighbour comparison of one reconstruction, under its best global rotation, flip and negation."""
    if np.shape(original) != np.shape(reconstruction):
        raise ValueError(f"score: original {np.shape(original)} and reconstruction {np.shape(reconstruction)} differ "
                         "in shape")
    truth = _block_keys(original, block_size)
    best = None
    for candidate in _symmetries(np.asarray(reconstruction), negative):
        direct = float(np.mean(_block_keys(candidate, block_size) == truth))
        if best is None or direct > best[0]:
            best = (direct, candidate)
    direct, aligned = best
    return Score(direct, _neighbour_share(original, aligned, block_size), aligned)


@dataclass
class JigsawResult:
    """The solver on a batch of cipher images, scored against their plaintexts."""

    direct: np.ndarray  # per image
    neighbour: np.ndarray  # per image
    psnr: float  # pooled, of the aligned reconstructions
    ssim: float
    reconstructions: np.ndarray  # aligned to the originals


def jigsaw_attack(cipher_images: np.ndarray, originals: np.ndarray, block_size: int, *, shared: int = 0,
                  negative: bool = True, starts: int = 4, progress: Callable | None = None) -> JigsawResult:
    """Reassemble ``cipher_images`` without the key (the attacker's part), then :func:`score` them against their
    plaintexts ``originals`` (ours).

    ``shared=0``: every image is solved on its own, the puzzle of the jigsaw literature.
    ``shared=n``: the arrangement is solved once from the first ``n`` cipher images together
    (:func:`placement`), then applied to all, which is possible because every image is
    scrambled under the same key.
    """
    cipher_images = np.asarray(cipher_images).view(np.ndarray)
    originals = np.asarray(originals)
    if cipher_images.shape != originals.shape:
        raise ValueError(f"jigsaw_attack: {cipher_images.shape} cipher images for {originals.shape} originals")
    if not 0 <= shared <= len(cipher_images):
        raise ValueError(f"jigsaw_attack: shared must be between 0 and the {len(cipher_images)} images; got {shared}")
    if shared:
        solution = placement(cipher_images[:shared], block_size, negative=negative, starts=starts)
        reassembled = reassemble(cipher_images, solution, block_size)
    else:
        wrap = progress or (lambda items: items)
        reassembled = np.stack([solve(c, block_size, negative=negative, starts=starts).image
                                for c in wrap(list(cipher_images))])
    return score_all(originals, reassembled, block_size, negative=negative)


def score_all(originals: np.ndarray, reconstructions: np.ndarray, block_size: int, *,
              negative: bool = True) -> JigsawResult:
    """:func:`score` every reconstruction against its original, with pooled PSNR and mean SSIM of the aligned ones."""
    scores = [score(o, r, block_size, negative=negative) for o, r in zip(originals, reconstructions)]
    aligned = np.stack([s.aligned for s in scores])
    return JigsawResult(np.array([s.direct for s in scores]), np.array([s.neighbour for s in scores]),
                        metrics.psnr(originals, aligned).pooled, metrics.ssim(originals, aligned).mean, aligned)


# ------------------------------------------------------------------ the same puzzle inside LE's blocks

def _le_values(images: np.ndarray, block_size: int) -> np.ndarray:
    """Grey (N, H, W) images as LE's (N, rows, cols, 2·M²) 4-bit values per block, as floats."""
    return block_values(images[..., None], block_size).astype(np.float64)


def _slot_image(values: np.ndarray, block_size: int) -> np.ndarray:
    """(N, rows, cols, M²) values in slot (pixel) order as (N, H, W) images."""
    n, rows, cols, _ = values.shape
    m = block_size
    return values.reshape(n, rows, cols, m, m).transpose(0, 1, 3, 2, 4).reshape(n, rows * m, cols * m)


def _place_upper(upper: np.ndarray, block_size: int, restarts: int, seed: int) -> np.ndarray:
    """Which upper-half position goes to which pixel of a block: pos[slot] = column of ``upper``.

    The objective is the negative mean squared difference of the upper halves of
    neighbouring pixels, inside a block and across the borders of neighbouring blocks
    (which stay in place under LE and so fix the block's orientation); a swap local search
    from ``restarts`` random starts keeps the best arrangement.
    """
    m, p = block_size, block_size ** 2
    flat = upper.reshape(-1, p)
    within = -((flat[:, :, None] - flat[:, None, :]) ** 2).mean(0)
    right = -((upper[:, :, :-1, :, None] - upper[:, :, 1:, None, :]) ** 2).reshape(-1, p, p).mean(0)
    below = -((upper[:, :-1, :, :, None] - upper[:, 1:, :, None, :]) ** 2).reshape(-1, p, p).mean(0)
    inside = [(r * m + c, r * m + c + 1) for r in range(m) for c in range(m - 1)] + \
             [(r * m + c, (r + 1) * m + c) for r in range(m - 1) for c in range(m)]
    across_right = [(r * m + m - 1, r * m) for r in range(m)]
    across_below = [((m - 1) * m + c, c) for c in range(m)]

    def objective(pos):
        return (sum(within[pos[a], pos[b]] for a, b in inside) + sum(right[pos[a], pos[b]] for a, b in across_right)
                + sum(below[pos[a], pos[b]] for a, b in across_below))

    rng = np.random.default_rng(seed)
    best_value, best = -np.inf, None
    for _ in range(restarts):
        pos = rng.permutation(p)
        value = objective(pos)
        improved = True
        while improved:
            improved = False
            for a in range(p):
                for b in range(a + 1, p):
                    pos[a], pos[b] = pos[b], pos[a]
                    candidate = objective(pos)
                    if candidate > value + 1e-12:
                        value, improved = candidate, True
                    else:
                        pos[a], pos[b] = pos[b], pos[a]
        if value > best_value:
            best_value, best = value, pos.copy()
    return best


@dataclass
class LEArrangement:
    """What the attacker learned about LE's shuffle: for each pixel of a block, which shuffled 4-bit value holds its
    upper and its lower half, and which of them are reversed. It decrypts every image under the same key."""

    block_size: int
    upper: np.ndarray  # per pixel (slot) of a block, the position of its upper half
    upper_reversed: np.ndarray
    lower: np.ndarray  # per pixel, the position of its lower half
    lower_reversed: np.ndarray

    def decrypt(self, cipher_images: np.ndarray) -> np.ndarray:
        values = _le_values(_check_grey(cipher_images, self.block_size, "LEArrangement.decrypt"), self.block_size)
        upper, lower = values[..., self.upper], values[..., self.lower]
        upper[..., self.upper_reversed] = 15 - upper[..., self.upper_reversed]
        lower[..., self.lower_reversed] = 15 - lower[..., self.lower_reversed]
        full = 16 * _slot_image(upper, self.block_size) + _slot_image(lower, self.block_size)
        return full.astype(np.uint8)


def _check_grey(images, block_size: int, who: str) -> np.ndarray:
    images = np.asarray(images).view(np.ndarray)
    if images.ndim != 3 or images.shape[1] % block_size or images.shape[2] % block_size or images.dtype != np.uint8:
        raise ValueError(f"{who}: cipher images must be grey uint8 (N, H, W) with H and W multiples of the block "
                         f"size {block_size}; got {images.dtype} {images.shape}")
    return images


def le_arrangement(cipher_images: np.ndarray, block_size: int, *, restarts: int = 20, seed: int = 0,
                   rounds: int = 3) -> LEArrangement:
    """Solve LE's shuffle from grey cipher images (N, H, W) alone, up to a negation of every image.

    LE shuffles the 2·M² four-bit values of every block the same way, so the attacker
    solves one small puzzle from all blocks of all cipher images at once:

    1. **Which values are upper halves.** The upper halves of a smooth image's pixels vary
       together; the lower halves are close to noise. The M² positions whose correlations
       with all others are strongest are the upper halves, and the sign of each one's
       correlation with the strongest says whether it was reversed (15 − v), relative to it.
    2. **Where each upper half goes.** The arrangement that makes neighbouring pixels'
       upper halves most alike, inside the block and across block borders
       (:func:`_place_upper`). This alone gives a 16-level image.
    3. **Where each lower half goes.** Each pixel's lower half should bring the pixel
       close to the mean of its neighbours; the assignment of lower positions (reversed or
       not) to pixels that does this best is solved exactly (Hungarian method), and
       repeated ``rounds`` times with the refined neighbours.
    """
    from scipy.optimize import linear_sum_assignment

    values = _le_values(_check_grey(cipher_images, block_size, "le_arrangement"), block_size)
    n, rows, cols, k = values.shape
    p = k // 2
    correlation = np.nan_to_num(np.corrcoef(values.reshape(-1, k).T))
    np.fill_diagonal(correlation, 0.0)
    upper = np.argsort(-np.abs(correlation).sum(axis=1), kind="stable")[:p]
    reversed_ = correlation[upper, upper[0]] < 0
    halves = values[..., upper]
    halves[..., reversed_] = 15 - halves[..., reversed_]
    order = _place_upper(halves, block_size, restarts, seed)
    upper, reversed_, halves = upper[order], reversed_[order], halves[..., order]  # now in slot order
    lower = np.setdiff1d(np.arange(k), upper)
    lows = values[..., lower]
    coarse = 16.0 * _slot_image(halves, block_size)
    full = coarse + 8.0
    lower_of, lower_reversed = np.zeros(p, dtype=int), np.zeros(p, dtype=bool)
    for _ in range(rounds):
        padded = np.pad(full, ((0, 0), (1, 1), (1, 1)), mode="edge")
        neighbours = (padded[:, :-2, 1:-1] + padded[:, 2:, 1:-1] + padded[:, 1:-1, :-2] + padded[:, 1:-1, 2:]) / 4
        target = to_blocks((neighbours - coarse)[..., None], block_size).reshape(n, rows, cols, p)
        straight = ((lows[..., :, None] - target[..., None, :]) ** 2).reshape(-1, p, p).mean(0)
        flipped = ((15 - lows[..., :, None] - target[..., None, :]) ** 2).reshape(-1, p, p).mean(0)
        sources, slots = linear_sum_assignment(np.minimum(straight, flipped))
        lower_of[slots] = lower[sources]
        lower_reversed[slots] = flipped[sources, slots] < straight[sources, slots]
        arrangement = LEArrangement(block_size, upper, reversed_, lower_of.copy(), lower_reversed.copy())
        full = arrangement.decrypt(cipher_images).astype(np.float64)
    return arrangement


def le_ciphertext_only(cipher_images: np.ndarray, block_size: int, **options) -> np.ndarray:
    """:func:`le_arrangement` solved from ``cipher_images`` and applied to them."""
    return le_arrangement(cipher_images, block_size, **options).decrypt(cipher_images)
