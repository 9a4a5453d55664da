"""Known-plaintext attack by learning: train a decryptor from plaintext–ciphertext pairs made under one key.

The attacker holds n pairs (p_i, E_k(p_i)) for one secret key (or one secret model) and
fits a network that maps cipher images back to plaintexts, the approach of the
learning-based attacks on optical ciphers (Liao et al. 2021, who note how many pairs they need). She does
not know the cipher's structure, so she tries three decryptors and keeps the one
that does better on a validation part of her own pairs:

* :class:`PixelBitDecryptor` maps each pixel's 8 cipher bits to its 8 plain bits with
  weights of that pixel's own (no sharing): bitwise (each plain bit from the same cipher
  bit, the form of a fixed-key XOR p = c ⊕ k) or through a hidden layer (any fixed byte
  substitution per position).
* :class:`ConvDecryptor` adds convolutions to one dense layer over all pixels: it suits
  smooth learned ciphers and fixed pixel moves.
* :class:`DenseDecryptor`, for ciphertexts not shaped like the image (latent codes).

Reconstructions of *held-out* cipher images are scored by PSNR and SSIM, next to the best
guess that uses no ciphertext at all (the mean training image): a cipher leaks when the
attack beats that guess.

Everything random (initial weights, mini-batches) comes from ``seed`` through generators
of the attack's own: the same seed gives the same result, and the process's global
random generators are left as they were.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .. import metrics, train
from ..ciphers.base import check_images


def to_bits(images: np.ndarray) -> torch.Tensor:
    """``uint8`` images (N, ...) as ±1 bit tensors (N, pixels, 8), most significant bit first."""
    flat = np.ascontiguousarray(images).reshape(len(images), -1)
    bits = np.unpackbits(flat[..., None], axis=-1).astype(np.float32)
    return torch.from_numpy(2 * bits - 1)


def from_bit_logits(logits: torch.Tensor, shape: tuple[int, ...]) -> np.ndarray:
    """Bit logits (N, pixels, 8) to ``uint8`` images of ``shape``."""
    bits = (logits.detach().cpu().numpy() > 0).astype(np.uint8)
    return np.packbits(bits, axis=-1)[..., 0].reshape(shape)


class PixelBitDecryptor(nn.Module):
    """Per pixel: 8 cipher bits → 8 plain-bit logits, with weights of that pixel's own.

    ``hidden=0`` is bitwise: each plain bit is an affine function of the *same* cipher
    bit (in ±1 form, logit = a·c + d). That is exactly the class of a fixed-key XOR
    (p = c ⊕ k, so a = ±1) and is pinned down by a handful of pairs. ``hidden>0`` maps
    all 8 bits through a ReLU layer: any fixed byte substitution per position, such as
    adding a fixed key image modulo 256, given enough pairs.
    """

    def __init__(self, n_pixels: int, hidden: int = 0, generator: torch.Generator | None = None):
        """``generator`` draws the initial weights of ``hidden > 0`` (torch's global one when None)."""
        super().__init__()
        self.hidden = hidden
        if hidden:
            self.w1 = nn.Parameter(torch.randn(n_pixels, 8, hidden, generator=generator) * 8 ** -0.5)
            self.b1 = nn.Parameter(torch.zeros(n_pixels, 1, hidden))
            self.w2 = nn.Parameter(torch.randn(n_pixels, hidden, 8, generator=generator) * hidden ** -0.5)
            self.b2 = nn.Parameter(torch.zeros(n_pixels, 1, 8))
        else:
            self.scale = nn.Parameter(torch.zeros(n_pixels, 8))
            self.offset = nn.Parameter(torch.zeros(n_pixels, 8))

    def forward(self, bits: torch.Tensor) -> torch.Tensor:
        if not self.hidden:
            return bits * self.scale + self.offset
        x = torch.relu(torch.bmm(bits.transpose(0, 1), self.w1) + self.b1)  # (pixels, N, hidden)
        return (torch.bmm(x, self.w2) + self.b2).transpose(0, 1)


class ConvDecryptor(nn.Module):
    """Three 3×3 convolutions plus a dense layer over all pixels, summed; output in [-1, 1]."""

    def __init__(self, shape: tuple[int, ...], width: int = 16):
        super().__init__()
        channels = shape[2] if len(shape) == 3 else 1
        n = int(np.prod(shape))
        self.shape = (channels, shape[0], shape[1])
        self.conv = nn.Sequential(nn.Conv2d(channels, width, 3, padding=1), nn.ReLU(True),
                                  nn.Conv2d(width, width, 3, padding=1), nn.ReLU(True),
                                  nn.Conv2d(width, channels, 3, padding=1))
        self.dense = nn.Linear(n, n)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.conv(x) + self.dense(x.flatten(1)).reshape(-1, *self.shape))


class DenseDecryptor(nn.Module):
    """For ciphertexts not shaped like the image (latent codes): flattened bytes → hidden → image."""

    def __init__(self, cipher_shape: tuple[int, ...], plain_shape: tuple[int, ...], hidden: int = 512):
        super().__init__()
        channels = plain_shape[2] if len(plain_shape) == 3 else 1
        self.shape = (channels, plain_shape[0], plain_shape[1])
        self.net = nn.Sequential(nn.Linear(int(np.prod(cipher_shape)), hidden), nn.ReLU(True),
                                 nn.Linear(hidden, int(np.prod(plain_shape))), nn.Tanh())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.flatten(1)).reshape(-1, *self.shape)


@dataclass
class AttackResult:
    """One attack: the chosen decryptor family, its reconstructions and their scores."""

    n_pairs: int
    model: str
    psnr: float
    ssim: float
    guess_psnr: float
    guess_ssim: float
    reconstructions: np.ndarray

    @property
    def gain_db(self) -> float:
        """How far the attack beats the no-ciphertext guess, in dB of PSNR."""
        return self.psnr - self.guess_psnr


def _minimise(model: nn.Module, loss_of, x: torch.Tensor, y: torch.Tensor, steps: int, seed: int, lr: float) -> None:
    """``steps`` Adam steps on seeded random mini-batches of (x, y), up to 64 pairs each; leaves ``model`` in eval mode."""
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        index = torch.randint(0, len(x), (min(len(x), 64),), generator=generator)
        loss = loss_of(model(x[index]), y[index])
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    model.eval()


def _fit_bits(cipher_images, plain_images, steps, seed, device, hidden=0):
    model = PixelBitDecryptor(int(np.prod(cipher_images.shape[1:])), hidden,
                              generator=torch.Generator().manual_seed(seed)).to(device)
    x, y = to_bits(cipher_images).to(device), (to_bits(plain_images) > 0).float().to(device)
    _minimise(model, nn.functional.binary_cross_entropy_with_logits, x, y, steps, seed, lr=1e-2)
    return lambda c: from_bit_logits(model(to_bits(c).to(device)), c.shape)


def _as_input(images: np.ndarray, device) -> torch.Tensor:
    """``uint8`` ciphertexts of any shape as float (N, C, H, W) in [-1, 1] (a latent code is one row)."""
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 127.5 - 1)
    return x.reshape(len(x), *model_input_shape(images.shape[1:])).to(device)


def _fit_values(model, cipher_images, plain_images, steps, seed, device):
    """Fit a decryptor on pixel values in [-1, 1] with an L1 loss; returns cipher -> uint8 images."""
    model = model.to(device)
    _minimise(model, lambda out, target: (out - target).abs().mean(), _as_input(cipher_images, device),
              train.to_unit(plain_images).to(device), steps, seed, lr=1e-3)
    channels_last = plain_images.ndim == 4
    return lambda c: train.from_unit(model(_as_input(c, device)), channels_last=channels_last)


def model_input_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """(C, H, W) for image-shaped inputs (H, W) or (H, W, C)."""
    return (shape[2], shape[0], shape[1]) if len(shape) == 3 else (1, *shape)


def _fit_conv(cipher_images, plain_images, steps, seed, device):
    with train.seeded_torch(seed):  # nn layers draw their initial weights from torch's global generator
        model = ConvDecryptor(plain_images.shape[1:])
    return _fit_values(model, cipher_images, plain_images, steps, seed, device)


def _fit_dense(cipher_images, plain_images, steps, seed, device):
    with train.seeded_torch(seed):  # nn layers draw their initial weights from torch's global generator
        model = DenseDecryptor(cipher_images.shape[1:], plain_images.shape[1:])
    return _fit_values(model, cipher_images, plain_images, steps, seed, device)


#: Decryptor families for ciphertexts shaped like the plaintext, and for any other shape.
DECRYPTORS = {"bitwise": _fit_bits,
              "pixel-bit MLP": lambda *args: _fit_bits(*args, hidden=32),
              "convolutional": _fit_conv}
OTHER_SHAPE_DECRYPTORS = {"dense": _fit_dense}


def _predict(decrypt, cipher_images: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return np.concatenate([decrypt(cipher_images[i:i + 256]) for i in range(0, len(cipher_images), 256)])


def check_known_pairs(plain_pairs, test_plain, who: str, argument: str = "plain_pairs") -> tuple[np.ndarray, np.ndarray]:
    """The known plaintexts and the held-out test images of a known-plaintext attack, checked.

    Both must be image batches of one shape, and there must be at least 2 known pairs.
    """
    plain_pairs = check_images(np.asarray(plain_pairs), who, argument=argument)
    test_plain = check_images(np.asarray(test_plain), who, argument="test_plain")
    if len(plain_pairs) < 2:
        raise ValueError(f"{who} needs at least 2 pairs (one to validate); got {len(plain_pairs)}")
    if plain_pairs.shape[1:] != test_plain.shape[1:]:
        raise ValueError(f"known and test images differ in shape: {plain_pairs.shape[1:]} vs {test_plain.shape[1:]}")
    return plain_pairs, test_plain


def known_plaintext_attack(encrypt, plain_pairs: np.ndarray, test_plain: np.ndarray, *, steps: int = 300,
                           seed: int = 0, device: str | None = None) -> AttackResult:
    """Learn a decryptor from the pairs (p, encrypt(p)) for p in ``plain_pairs``; score it on ``test_plain``.

    ``encrypt`` is the oracle under the one secret key (each call may draw fresh nonces,
    as a real sender would). The pairs are split 80/20: each decryptor family is fitted
    for ``steps // 4`` steps on the first part, the best on the second part is refitted
    on all pairs for ``steps`` steps and scored on the encryptions of ``test_plain``,
    which the attacker never saw.
    """
    plain_pairs, test_plain = check_known_pairs(plain_pairs, test_plain, "known_plaintext_attack")
    if steps < 1:
        raise ValueError(f"steps must be >= 1; got {steps}")
    device = train.pick_device(device)
    cipher_pairs = np.asarray(encrypt(plain_pairs), dtype=np.uint8).view(np.ndarray)
    n_val = max(1, len(plain_pairs) // 5)
    fit_c, fit_p, val_c, val_p = cipher_pairs[n_val:], plain_pairs[n_val:], cipher_pairs[:n_val], plain_pairs[:n_val]
    families = DECRYPTORS if cipher_pairs.shape[1:] == plain_pairs.shape[1:] else OTHER_SHAPE_DECRYPTORS
    scores = {}
    for name, fit in families.items():  # a short fit of each family is enough to choose one
        decrypt = fit(fit_c, fit_p, max(10, steps // 4), seed, device)
        scores[name] = float(metrics.mse(val_p, _predict(decrypt, val_c)).mean())
    best = min(scores, key=scores.get)
    decrypt = families[best](cipher_pairs, plain_pairs, steps, seed, device)
    test_cipher = np.asarray(encrypt(test_plain), dtype=np.uint8).view(np.ndarray)
    reconstructions = _predict(decrypt, test_cipher)
    guess = np.broadcast_to(plain_pairs.mean(axis=0).round().astype(np.uint8), test_plain.shape)
    return AttackResult(len(plain_pairs), best, metrics.psnr(test_plain, reconstructions).pooled,
                        metrics.ssim(test_plain, reconstructions).mean, metrics.psnr(test_plain, guess).pooled,
                        metrics.ssim(test_plain, guess).mean, reconstructions)
