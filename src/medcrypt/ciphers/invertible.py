"""Invertible-network ciphers: an integer coupling network that decrypts bit for bit, and a
continuous RealNVP-style flow that shows why rounding breaks exactness.

``inn-coupling``: key-conditioned additive integer coupling (a keyed Feistel network)
    The image is a vector of integers modulo 256. Each layer splits the pixels into two
    halves A and B with a checkerboard mask, computes a shift from A and the key with a
    small convolutional network, and adds it to B modulo 256:

        B <- (B + F(A, k)) mod 256,    A unchanged.

    Decryption subtracts the same shift, which it can recompute because A is unchanged.
    Every layer is therefore a bijection of ``uint8`` images *for any weights and any
    key*, exactly like a round of a Feistel network, whose round function need not be
    invertible either. Between layers a key-derived permutation moves every pixel, so
    successive layers mix all pixels. **Secret: a 128-bit key**; the weights are public.
    Exactness rests on recomputing F bit-identically. F is an integer function: integer
    weights in [-7, 7], integer activations (a floor and a clamp), integer inputs, and
    every partial sum bounded far below 2^24, so float32 (or float64) computes it
    exactly whatever the order of the additions: on any device, batch size and thread
    count. (Earlier versions rounded a float64 network, which was exact only on one
    software stack.)

``flow-realnvp`` (not a registered cipher; a demonstration)
    Real-valued affine coupling, y_B = x_B * exp(s(A)) + t(A). Exactly invertible in real
    arithmetic, but storing y as 8-bit pixels rounds it, and the inverse amplifies the
    rounding error by exp(-s) layer after layer.
"""

from __future__ import annotations

import hashlib

import numpy as np
import torch
from torch import nn

from .. import train
from .base import register
from ..train import seeded_torch
from .neural import SecretKeyBytes, TorchCipher, adjacent_correlation_loss, key_vectors, soft_histogram_loss


def checkerboard(height: int, width: int, parity: int) -> torch.Tensor:
    """1 on the squares of one colour, 0 on the others, shape (1, 1, H, W)."""
    yy, xx = torch.meshgrid(torch.arange(height), torch.arange(width), indexing="ij")
    return ((yy + xx) % 2 == parity).to(torch.float64)[None, None]


#: Integer weights of the shift network lie in [-WEIGHT_BOUND, WEIGHT_BOUND].
WEIGHT_BOUND = 7
#: Activations are integers in [-ACTIVATION_BOUND, ACTIVATION_BOUND] (and the input half A in [-128, 127]).
ACTIVATION_BOUND = 127
#: float32 holds every integer up to 2^24 exactly; a sum whose partial sums all stay below it is exact in any order.
EXACT_BOUND = 2 ** 24


def _round_through(value: torch.Tensor, rounded: torch.Tensor) -> torch.Tensor:
    """``rounded``'s values with ``value``'s gradient (the straight-through estimator); just ``rounded`` without one."""
    return value + (rounded - value).detach() if value.requires_grad else rounded


def _integer_weight(weight: torch.Tensor, scale: float) -> torch.Tensor:
    """``weight`` scaled (so that nn's ±1/sqrt(fan_in) init spans the range), rounded and clamped to ±WEIGHT_BOUND."""
    scaled = weight * scale
    return _round_through(scaled, torch.round(scaled).clamp(-WEIGHT_BOUND, WEIGHT_BOUND))


class IntegerConv2d(nn.Conv2d):
    """A 3×3 convolution whose weights are integers in [-WEIGHT_BOUND, WEIGHT_BOUND].

    The float master weights are scaled so that their initial range spans the integer
    range and rounded (straight-through in training). On integer inputs every product
    is an integer and every partial sum stays below :data:`EXACT_BOUND`, so a convolution
    computed as sums of products gives the exact integers in any order, blocking or
    thread count. The output is rounded as well: a library that picks a transform-based
    algorithm (Winograd, FFT) errs by far less than 0.5 in float64, so rounding restores
    the same integers there too; that is why the cipher runs in float64 off the CPU.
    """

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__(in_channels, out_channels, 3, padding=1, bias=False)
        self.scale = WEIGHT_BOUND * (in_channels * 9) ** 0.5

    def integer_weight(self) -> torch.Tensor:
        return _integer_weight(self.weight, self.scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = nn.functional.conv2d(x, self.integer_weight().to(x.dtype), padding=1)
        return _round_through(out, torch.round(out)) if out.requires_grad else out.round_()


class IntegerLinear(nn.Linear):
    """A linear layer without bias whose weights are integers in [-WEIGHT_BOUND, WEIGHT_BOUND] (the key embedding)."""

    def __init__(self, in_features: int, out_features: int):
        super().__init__(in_features, out_features, bias=False)
        self.scale = WEIGHT_BOUND * in_features ** 0.5

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x @ _integer_weight(self.weight, self.scale).to(x.dtype).T


def _activation(x: torch.Tensor, shift_bits: int) -> torch.Tensor:
    """floor(x / 2^shift_bits) clamped to ±ACTIVATION_BOUND: an integer function (straight-through in training)."""
    if not x.requires_grad:  # in place: inference spends most of its time in element-wise passes
        return x.div_(2.0 ** shift_bits).clamp_(-ACTIVATION_BOUND, ACTIVATION_BOUND).floor_()
    scaled = torch.clamp(x / 2.0 ** shift_bits, -ACTIVATION_BOUND, ACTIVATION_BOUND)
    return _round_through(scaled, torch.floor(scaled))


class ShiftNet(nn.Module):
    """f(A, k): the integer shift added to half B, from half A and the key, in integer arithmetic only.

    Three integer 3×3 convolutions and a key embedding with integer weights, with
    integer activations between them. :meth:`largest_sum` bounds every partial sum;
    the constructor checks that it stays below :data:`EXACT_BOUND`, so the shift is the
    same integer in float32 or float64, on any device, batch size or thread count.
    """

    SHIFT_BITS = (4, 6, 5)  # right shifts after each convolution: keep activations spread over ±127

    def __init__(self, channels: int, width: int, key_bits: int):
        super().__init__()
        largest = self.largest_sum(channels, width, key_bits)
        if largest >= EXACT_BOUND:
            raise ValueError(f"inn-coupling: width {width} lets sums reach {largest:,}, beyond 2^24, where "
                             f"float32 stops holding every integer; use a smaller width")
        self.inp = IntegerConv2d(channels + 1, width)
        self.key = IntegerLinear(key_bits, width)
        self.mid = IntegerConv2d(width, width)
        self.out = IntegerConv2d(width, channels)

    @staticmethod
    def largest_sum(channels: int, width: int, key_bits: int) -> int:
        """The largest magnitude of any partial sum f forms: 3×3 windows of inputs ≤ 128 (half A) or
        ≤ ACTIVATION_BOUND, weights ≤ WEIGHT_BOUND, plus the key's ±1 terms in the first layer."""
        first = (channels + 1) * 9 * WEIGHT_BOUND * 128 + key_bits * WEIGHT_BOUND
        return max(first, width * 9 * WEIGHT_BOUND * ACTIVATION_BOUND)

    def forward(self, a: torch.Tensor, mask: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        """``a``: half A as integers in [-128, 127] (zero on half B); ``k``: the key as ±1. Returns integers."""
        h = self.inp(torch.cat([a, mask.expand(len(a), 1, -1, -1)], dim=1)) + self.key(k)[:, :, None, None]
        h = _activation(self.mid(_activation(h, self.SHIFT_BITS[0])), self.SHIFT_BITS[1])
        out = self.out(h) / 2.0 ** self.SHIFT_BITS[2]  # a power of two: exact
        return _round_through(out, torch.floor(out))


#: Floating-point types the integer network may run in on the CPU: both give the same integers (float32 is
#: faster); ``python -m medcrypt.bench`` times float64 beside it and counts its exact round trips.
PRECISIONS = {"float32": torch.float32, "float64": torch.float64}


@register
class IntegerCouplingCipher(SecretKeyBytes, TorchCipher):
    """Keyed additive coupling on integers mod 256 (see module docs). Secret: a 128-bit key. Lossless."""

    name = "inn-coupling"
    family = "invertible"
    lossless = True
    key_bits = 128

    def __init__(self, image_shape=(28, 28), layers: int = 4, width: int = 16, lr: float = 1e-3, seed: int = 0,
                 device: str | None = None, precision: str = "float32", arithmetic: str = "integer"):
        super().__init__(image_shape, device)
        if arithmetic != "integer":  # recorded in the config so that float-network checkpoints get other names
            raise ValueError(f"{self.name}: arithmetic must be 'integer' (the float shift network is gone); "
                             f"got {arithmetic!r}")
        if precision not in PRECISIONS:
            raise ValueError(f"{self.name}: precision must be one of {sorted(PRECISIONS)}; got {precision!r}")
        self.config = {"image_shape": list(self.image_shape), "layers": layers, "width": width, "lr": lr,
                       "seed": seed, "arithmetic": "integer",
                       **({"precision": precision} if precision != "float32" else {})}
        # Off the CPU a library may pick TF32 or transform-based convolutions for float32; in
        # float64 their error stays far below the 0.5 that rounding absorbs (same integers).
        self.dtype = PRECISIONS[precision] if self.device.type == "cpu" else torch.float64
        with seeded_torch(seed):
            self.layers = layers
            self.modules = {f"shift{i}": ShiftNet(self.channels, width, self.key_bits).to(self.dtype)
                            for i in range(layers)}
        self.to(self.device)
        h, w = self.image_shape[:2]
        self._masks = [checkerboard(h, w, i % 2).to(self.device, self.dtype) for i in range(layers)]
        self._keys = np.random.default_rng(seed + 1)
        self._opt = torch.optim.Adam([p for m in self.modules.values() for p in m.parameters()], lr=lr)

    # -------------------------------------------------------------- keys
    def _permutations(self, key: bytes) -> list[np.ndarray]:
        """One key-derived permutation of all T pixel values per layer (SHA-256 of key and layer seeds it)."""
        n = int(np.prod(self.image_shape))
        perms = []
        for layer in range(self.layers):
            digest = hashlib.sha256(key + b"medcrypt-inn-permutation" + bytes([layer])).digest()
            perms.append(np.random.default_rng(int.from_bytes(digest, "big")).permutation(n))
        return perms

    # -------------------------------------------------------------- the cipher
    def _to_nchw(self, flat: torch.Tensor) -> torch.Tensor:
        h, w = self.image_shape[:2]
        if self.channels == 1:
            return flat.view(-1, 1, h, w)
        return flat.view(-1, h, w, self.channels).permute(0, 3, 1, 2)

    def _to_flat(self, x: torch.Tensor) -> torch.Tensor:
        return (x if self.channels == 1 else x.permute(0, 2, 3, 1)).reshape(len(x), -1)

    def _shift(self, layer: int, x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        """Integer shift for half B from half A: F(A, k), zero on half A."""
        mask = self._masks[layer]
        a = (x - 128) * mask  # only half A is visible to f, as integers in [-128, 127]
        return self.modules[f"shift{layer}"](a, mask, k) * (1 - mask)

    def _run(self, images: np.ndarray, key: bytes | list[bytes], decrypt: bool) -> np.ndarray:
        """Encrypt or decrypt ``images`` under ``key``; a list of N keys (from decrypt_keys) gives image i key i."""
        if isinstance(key, list) and len(key) != len(images):
            raise ValueError(f"{self.name}: {len(key)} keys for {len(images)} images; give one key per image")
        keys = [self.check_key(k) for k in key] if isinstance(key, list) else [self.check_key(key)]
        # (keys, layers, pixels) permutations; row i of a batch uses key i, or the one key.
        perms = torch.from_numpy(np.stack([np.stack(self._permutations(k)) for k in keys])).to(self.device)
        vectors = key_vectors(keys, self.device).to(self.dtype)
        for m in self.modules.values():
            m.eval()
        out = []
        with torch.inference_mode():
            for start in range(0, len(images), 512):
                chunk = images[start:start + 512]
                flat = torch.from_numpy(chunk.reshape(len(chunk), -1)).to(self.device, self.dtype)
                many = len(keys) > 1  # one key: index columns (faster than a gather of per-row permutations)
                rows = slice(start, start + len(chunk)) if many else slice(0, 1)
                k = vectors[rows].expand(len(chunk), -1)
                order = range(self.layers - 1, -1, -1) if decrypt else range(self.layers)
                for layer in order:
                    perm = perms[rows, layer] if many else perms[0, layer]
                    if decrypt:
                        x = self._to_nchw(flat)
                        x = torch.remainder(x - self._shift(layer, x, k), 256)
                        if many:
                            flat = torch.empty_like(flat).scatter_(1, perm, self._to_flat(x))
                        else:
                            flat = torch.empty_like(flat)
                            flat[:, perm] = self._to_flat(x)
                    else:
                        x = self._to_nchw(torch.gather(flat, 1, perm) if many else flat[:, perm])
                        x = torch.remainder(x + self._shift(layer, x, k), 256)
                        flat = self._to_flat(x)
                out.append(flat.round().to(torch.uint8).cpu().numpy().reshape(chunk.shape))
        return np.concatenate(out)

    def layer_parts(self, key: bytes, layer: int):
        """Layer ``layer``'s three parts under ``key``, so that one coupling layer can be written from scratch.

        Returns the pixel permutation π (indices into the flattened image), the
        checkerboard (1 on half A, as integers, shape (H, W)) and the shift network as a
        numpy function f: half A as signed integers, shape (N, H, W), zero on half B ->
        the integer shift, shape (N, H, W). Grey-level images only.
        """
        if self.channels != 1:
            raise ValueError(f"{self.name}: layer_parts is for grey-level images; this cipher has {self.channels} channels")
        key = self.check_key(key)
        mask = self._masks[layer]
        k = key_vectors([key], self.device).to(self.dtype)
        net = self.modules[f"shift{layer}"].eval()

        def shift(a: np.ndarray) -> np.ndarray:
            x = torch.from_numpy(np.asarray(a, dtype=np.float64)).to(self.device, self.dtype)[:, None]
            with torch.inference_mode():
                return net(x, mask, k.expand(len(x), -1))[:, 0].cpu().numpy().astype(np.int64)

        return self._permutations(key)[layer], mask[0, 0].cpu().numpy().astype(np.int64), shift

    def encrypt(self, images: np.ndarray, key: bytes) -> np.ndarray:
        return self._run(self.check(images), self.check_key(key), decrypt=False)

    def decrypt(self, cipher: np.ndarray, key: bytes) -> np.ndarray:
        return self._run(self.check(cipher, "cipher"), self.check_key(key), decrypt=True)

    def decrypt_keys(self, cipher: np.ndarray, keys: list[bytes]) -> np.ndarray:
        """``decrypt(cipher, key)`` for each key of ``keys``, shape (K, *cipher.shape): K·N images in one pass."""
        cipher = self.check(cipher, "cipher")
        per_image = [k for k in keys for _ in range(len(cipher))]
        return self._run(np.concatenate([cipher] * len(keys)), per_image, decrypt=True).reshape(len(keys), *cipher.shape)

    # -------------------------------------------------------------- training
    def _encrypt_differentiable(self, x: torch.Tensor, k: torch.Tensor, perms: list[np.ndarray]) -> torch.Tensor:
        """Encryption with straight-through rounding and a wrap that passes gradients (for training only)."""
        flat = self._to_flat(x)
        for layer in range(self.layers):
            mask = self._masks[layer]
            xi = self._to_nchw(flat[:, torch.from_numpy(perms[layer]).to(x.device)])
            shift = self.modules[f"shift{layer}"]((xi - 128) * mask, mask, k) * (1 - mask)  # integers, straight-through
            y = xi + shift
            y = y - (256 * torch.floor(y / 256)).detach()  # mod 256, gradient of the identity
            flat = self._to_flat(y)
        return self._to_nchw(flat)

    def statistics_loss(self, x: torch.Tensor, key: bytes) -> torch.Tensor:
        """Cipher-statistics loss of a batch (uint8-valued float64 NCHW) under one key: histogram + correlation + sensitivity."""
        key = self.check_key(key)
        k = key_vectors([key], self.device).to(self.dtype).expand(len(x), -1)
        perms = self._permutations(key)
        y = self._encrypt_differentiable(x, k, perms) / 127.5 - 1.0
        changed = x.clone().reshape(len(x), -1)
        middle = changed.shape[1] // 2
        changed[:, middle] = torch.remainder(changed[:, middle] + 1, 256)  # one pixel, +1 mod 256
        changed = changed.view_as(x)
        y2 = self._encrypt_differentiable(changed, k, perms) / 127.5 - 1.0
        # Sensitivity: the two cipher images should differ by about the random-pair mean |d| (2/3 of the range).
        sensitivity = ((y - y2).abs().mean() - 2.0 / 3.0) ** 2
        return soft_histogram_loss(y) + adjacent_correlation_loss(y) + sensitivity

    def train_step(self, x: torch.Tensor) -> dict[str, float]:
        for m in self.modules.values():
            m.train()
        key = bytes(self._keys.integers(0, 256, self.key_bits // 8, dtype=np.uint8))
        loss = self.statistics_loss(x, key)
        self._opt.zero_grad()
        loss.backward()
        self._opt.step()
        return {"statistics": loss.item()}

    def fit(self, images: np.ndarray, *, epochs: int, batch_size: int = 64, seed: int = 0) -> train.History:
        data = self._to_nchw(torch.from_numpy(self.check(images).reshape(len(images), -1)).to(self.dtype))
        return train.fit(self.train_step, data, epochs=epochs, batch_size=batch_size, seed=seed,
                         device=self.device, desc=self.name, history=self.history)


# ------------------------------------------------------------------ the continuous flow

class AffineCoupling(nn.Module):
    """RealNVP affine coupling on real values: y_B = x_B * exp(s(A)) + t(A)."""

    def __init__(self, channels: int, width: int, mask: torch.Tensor):
        super().__init__()
        self.register_buffer("mask", mask.float())
        self.net = nn.Sequential(nn.Conv2d(channels, width, 3, padding=1), nn.Tanh(),
                                 nn.Conv2d(width, 2 * channels, 3, padding=1))

    def _st(self, x):
        s, t = self.net(x * self.mask).chunk(2, dim=1)
        return torch.tanh(s) * (1 - self.mask), t * (1 - self.mask)

    def forward(self, x):
        s, t = self._st(x)
        return x * torch.exp(s) + t

    def inverse(self, y):
        s, t = self._st(y)  # A is unchanged, so s and t are recomputed exactly in real arithmetic
        return (y - t) * torch.exp(-s)


class ContinuousFlow(nn.Module):
    """A stack of affine couplings with alternating checkerboards, random weights (a demonstration)."""

    def __init__(self, channels: int = 1, height: int = 28, width: int = 28, layers: int = 4, hidden: int = 16,
                 seed: int = 0, scale: float = 1.0):
        super().__init__()
        with seeded_torch(seed):
            self.layers = nn.ModuleList(AffineCoupling(channels, hidden, checkerboard(height, width, i % 2)[0, 0])
                                        for i in range(layers))
        with torch.no_grad():  # larger weights: stronger scaling, so more error amplification
            for p in self.parameters():
                p.mul_(scale)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def inverse(self, y):
        for layer in reversed(self.layers):
            y = layer.inverse(y)
        return y


def quantised_round_trip(flow: ContinuousFlow, images: np.ndarray) -> dict[str, np.ndarray]:
    """Encrypt with the flow, store the output as 8-bit pixels, decrypt: what survives?

    The flow's output is mapped to 8 bits with the smallest affine map that covers its
    range over the batch (saved, like a header), rounded, then inverted. Returns the
    float round trip (no storage), the stored 8-bit images and the decryption of the
    stored images, all as ``uint8``.
    """
    with torch.no_grad():
        x = train.to_unit(images).float()
        y = flow(x)
        exact = flow.inverse(y)
        low, high = float(y.min()), float(y.max())
        stored = torch.round((y - low) / (high - low) * 255)
        restored = flow.inverse(stored / 255 * (high - low) + low)
    channels_last = images.ndim == 4
    return {"float round trip": train.from_unit(exact, channels_last),
            "stored 8-bit cipher": stored.to(torch.uint8).numpy()[:, 0] if not channels_last else
            stored.to(torch.uint8).permute(0, 2, 3, 1).numpy(),
            "decrypted from 8 bits": train.from_unit(restored, channels_last)}
