"""Invertible-network ciphers: an integer coupling network that decrypts bit for bit, and a
continuous RealNVP-style flow that shows why rounding breaks exactness.

``inn-coupling``: key-conditioned additive integer coupling (a keyed Feistel network)
    The image is a vector of integers modulo 256. Each layer splits the pixels into two
    halves A and B with a checkerboard mask, computes a shift from A and the key with a
    small convolutional network, rounds it to an integer, and adds it to B modulo 256:

        B <- (B + round(f(A, k))) mod 256,    A unchanged.

    Decryption subtracts the same shift, which it can recompute because A is unchanged.
    Every layer is therefore a bijection of ``uint8`` images *for any weights and any
    key*, exactly like a round of a Feistel network, whose round function need not be
    invertible either. Between layers a key-derived permutation moves every pixel, so
    successive layers mix all pixels. **Secret: a 128-bit key**; the weights are public.
    Exactness rests on recomputing f bit-identically, so encryption and decryption must
    run the same code in the same floating-point environment; f is evaluated in float64
    to make rounding-boundary cases vanishingly rare.

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


class ShiftNet(nn.Module):
    """f(A, k): the shift added to half B, computed from half A and the key (any function will do)."""

    def __init__(self, channels: int, width: int, key_bits: int):
        super().__init__()
        self.inp = nn.Conv2d(channels + 1, width, 3, padding=1)
        self.key = nn.Linear(key_bits, width)
        self.body = nn.Sequential(nn.Tanh(), nn.Conv2d(width, width, 3, padding=1), nn.Tanh(),
                                  nn.Conv2d(width, channels, 3, padding=1))

    def forward(self, a: torch.Tensor, mask: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        h = self.inp(torch.cat([a, mask.expand(len(a), 1, -1, -1)], dim=1)) + self.key(k)[:, :, None, None]
        return 128.0 * self.body(h)  # shifts on the scale of the 256 grey levels


#: Floating-point types f may be evaluated in. float64 is the cipher; float32 exists to measure what the
#: exactness costs (``python -m medcrypt.bench`` times both and counts the round trips that fail in float32).
PRECISIONS = {"float64": torch.float64, "float32": torch.float32}


@register
class IntegerCouplingCipher(SecretKeyBytes, TorchCipher):
    """Keyed additive coupling on integers mod 256 (see module docs). Secret: a 128-bit key. Lossless."""

    name = "inn-coupling"
    family = "invertible"
    lossless = True
    key_bits = 128

    def __init__(self, image_shape=(28, 28), layers: int = 4, width: int = 16, lr: float = 1e-3, seed: int = 0,
                 device: str | None = None, precision: str = "float64"):
        super().__init__(image_shape, device)
        if precision not in PRECISIONS:
            raise ValueError(f"{self.name}: precision must be one of {sorted(PRECISIONS)}; got {precision!r}")
        self.config = {"image_shape": list(self.image_shape), "layers": layers, "width": width, "lr": lr,
                       "seed": seed, **({"precision": precision} if precision != "float64" else {})}
        self.dtype = PRECISIONS[precision]
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
        """Integer shift for half B from half A: round(f(A, k)), zero on half A."""
        mask = self._masks[layer]
        a = (x / 127.5 - 1.0) * mask  # only half A is visible to f
        return torch.round(self.modules[f"shift{layer}"](a, mask, k)) * (1 - mask)

    def _run(self, images: np.ndarray, key: bytes, decrypt: bool) -> np.ndarray:
        key = self.check_key(key)
        perms = self._permutations(key)
        for m in self.modules.values():
            m.eval()
        out = []
        with torch.inference_mode():
            for start in range(0, len(images), 512):
                chunk = images[start:start + 512]
                flat = torch.from_numpy(chunk.reshape(len(chunk), -1)).to(self.device, self.dtype)
                k = key_vectors([key], self.device).to(self.dtype).expand(len(chunk), -1)
                order = range(self.layers - 1, -1, -1) if decrypt else range(self.layers)
                for layer in order:
                    perm = torch.from_numpy(perms[layer]).to(self.device)
                    if decrypt:
                        x = self._to_nchw(flat)
                        x = torch.remainder(x - self._shift(layer, x, k), 256)
                        flat = torch.empty_like(flat)
                        flat[:, perm] = self._to_flat(x)
                    else:
                        x = self._to_nchw(flat[:, perm])
                        x = torch.remainder(x + self._shift(layer, x, k), 256)
                        flat = self._to_flat(x)
                out.append(flat.round().to(torch.uint8).cpu().numpy().reshape(chunk.shape))
        return np.concatenate(out)

    def encrypt(self, images: np.ndarray, key: bytes) -> np.ndarray:
        return self._run(self.check(images), key, decrypt=False)

    def decrypt(self, cipher: np.ndarray, key: bytes) -> np.ndarray:
        return self._run(self.check(cipher, "cipher"), key, decrypt=True)

    # -------------------------------------------------------------- training
    def _encrypt_differentiable(self, x: torch.Tensor, k: torch.Tensor, perms: list[np.ndarray]) -> torch.Tensor:
        """Encryption with straight-through rounding and a wrap that passes gradients (for training only)."""
        flat = self._to_flat(x)
        for layer in range(self.layers):
            mask = self._masks[layer]
            xi = self._to_nchw(flat[:, torch.from_numpy(perms[layer]).to(x.device)])
            raw = self.modules[f"shift{layer}"]((xi / 127.5 - 1.0) * mask, mask, k)
            shift = (raw + (torch.round(raw) - raw).detach()) * (1 - mask)
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
