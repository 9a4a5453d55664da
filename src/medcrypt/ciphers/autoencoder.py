"""Autoencoder and VAE ciphers: the two ways the literature uses them.

``ae-keyed``: a key-conditioned autoencoder cipher
    The encoder E(x, k) maps an image and a 128-bit key to a ``uint8`` cipher image of
    the same size; the decoder D(c, k) maps it back. Training combines reconstruction,
    cipher-image statistics (flat histogram, no neighbour correlation), wrong-key
    failure (a key one bit off must decode as far from x as noise is) and key diversity
    (it must also change every cipher pixel); the key is hashed before the networks. **Secret: the
    128-bit key**; the weights are public. Decryption is lossy.

``ae-latent-gcm`` and ``vae-latent-gcm``: encrypt the latent
    An autoencoder (or a VAE) compresses the image to ``latent_dim`` numbers, which are
    quantised to bytes and encrypted with AES-256-GCM (as Alslman et al. 2022 do with
    AES). **Secret: the AES key**; the weights are public. The cipher is a short byte
    string, stored as a (1, latent_dim) ``uint8`` array with the GCM nonce and tag as side
    data. Decryption is exact up to the latent and lossy after the decoder; a wrong key
    is rejected by GCM.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .. import train
from .aes import AESGCM
from .base import CipherImages, check_images, flip_key_bit, register
from ..train import seeded_torch
from .neural import (OUTPUTS, SecretKeyBytes, TorchCipher, adjacent_correlation_loss, check_key_schedule,
                     check_output, key_diversity_loss, noise_distance, random_key_pairs, scheduled_key_vectors,
                     soft_histogram_loss, straight_through_round)


def _down(channels: int, width: int) -> nn.Module:
    """(N, C, H, W) -> (N, 2w, H/4, W/4)."""
    return nn.Sequential(nn.Conv2d(channels, width, 3, padding=1), nn.ReLU(True),
                         nn.Conv2d(width, 2 * width, 4, stride=2, padding=1), nn.ReLU(True),
                         nn.Conv2d(2 * width, 2 * width, 4, stride=2, padding=1), nn.ReLU(True))


def _up(channels: int, width: int, output: str = "tanh") -> nn.Module:
    """(N, 2w, H/4, W/4) -> (N, C, H, W) in [-1, 1], through ``output`` (:data:`~medcrypt.ciphers.neural.OUTPUTS`)."""
    return nn.Sequential(nn.ConvTranspose2d(2 * width, 2 * width, 4, stride=2, padding=1), nn.ReLU(True),
                         nn.ConvTranspose2d(2 * width, width, 4, stride=2, padding=1), nn.ReLU(True),
                         nn.Conv2d(width, channels, 3, padding=1), OUTPUTS[output]())


class KeyedCodec(nn.Module):
    """Image (and key) -> image: a small conv autoencoder whose bottleneck is shifted and scaled by the key."""

    def __init__(self, channels: int, width: int, key_bits: int, height: int, wide: int, output: str = "tanh"):
        super().__init__()
        self.shape = (2 * width, height // 4, wide // 4)
        size = int(np.prod(self.shape))
        self.down, self.up = _down(channels, width), _up(channels, width, output)
        self.key_shift, self.key_scale = nn.Linear(key_bits, size), nn.Linear(key_bits, size)
        self.mix = nn.Sequential(nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.ReLU(True),
                                 nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.ReLU(True))

    def forward(self, x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        features = self.down(x)
        scale = torch.tanh(self.key_scale(k)).view(-1, *self.shape)
        shift = self.key_shift(k).view(-1, *self.shape)
        return self.up(self.mix(features * (1 + scale) + shift))


@register
class KeyedAutoencoderCipher(SecretKeyBytes, TorchCipher):
    """E(x, k) -> uint8 cipher image, D(c, k) -> x. Secret: a 128-bit key; weights are public. Lossy."""

    name = "ae-keyed"
    family = "autoencoder"
    lossless = False
    key_bits = 128

    # stats_weight from a small sweep on PneumoniaMNIST (1,500 images, 4 epochs): a larger statistics
    # weight flattens the histogram at once but stalls reconstruction. The key options are the last of
    # medcrypt.attempts.KEY_ATTEMPTS["ae-keyed"], the attempt that made the key matter.
    def __init__(self, image_shape=(28, 28), width: int = 16, stats_weight: float = 0.02,
                 wrong_key_weight: float = 1.0, margin: float | str = "noise", lr: float = 1e-3, seed: int = 0,
                 key_schedule: str = "hashed", diversity_weight: float = 10.0, output: str = "tanh",
                 device: str | None = None):
        super().__init__(image_shape, device)
        check_key_schedule(key_schedule, self.name)
        check_output(output, self.name)
        for label, value in (("stats_weight", stats_weight), ("wrong_key_weight", wrong_key_weight),
                             ("diversity_weight", diversity_weight)):
            if not (isinstance(value, (int, float)) and value >= 0):
                raise ValueError(f"{self.name}: {label} must be a number >= 0; got {value!r}")
        if not (margin == "noise" or isinstance(margin, (int, float)) and not isinstance(margin, bool) and margin > 0):
            raise ValueError(f"{self.name}: margin must be a positive L1 distance on the [-1, 1] scale, or 'noise' "
                             f"(as far from the plaintext as uniform noise is); got {margin!r}")
        self.config = {"image_shape": list(self.image_shape), "width": width, "stats_weight": stats_weight,
                       "wrong_key_weight": wrong_key_weight, "margin": margin, "lr": lr, "seed": seed,
                       "key_schedule": key_schedule, "diversity_weight": diversity_weight, "output": output}
        with seeded_torch(seed):
            h, w = self.image_shape[:2]
            # ``output`` is the encoder's last activation only: the decoder's output is an image, in tanh's range.
            self.modules = {"encoder": KeyedCodec(self.channels, width, self.key_bits, h, w, output),
                            "decoder": KeyedCodec(self.channels, width, self.key_bits, h, w)}
        self.to(self.device)
        self._keys = np.random.default_rng(seed + 1)
        self._opt = torch.optim.Adam([p for m in self.modules.values() for p in m.parameters()], lr=lr)

    def _key(self, key, n: int) -> torch.Tensor:
        return scheduled_key_vectors([self.check_key(key)], self.config["key_schedule"], self.device).expand(n, -1)

    def _apply(self, module: str, images: np.ndarray, key: bytes) -> np.ndarray:
        codec = self.modules[module].eval()
        out = []
        with torch.no_grad():
            for start in range(0, len(images), 512):
                x = train.to_unit(images[start:start + 512]).to(self.device)
                out.append(train.from_unit(codec(x, self._key(key, len(x))), channels_last=len(self.image_shape) == 3))
        return np.concatenate(out)

    def encrypt(self, images: np.ndarray, key: bytes) -> np.ndarray:
        return self._apply("encoder", self.check(images), key)

    def decrypt(self, cipher: np.ndarray, key: bytes) -> np.ndarray:
        return self._apply("decoder", self.check(cipher, "cipher"), key)

    def losses(self, x: torch.Tensor, k: torch.Tensor, k_wrong: torch.Tensor) -> dict[str, torch.Tensor]:
        """Reconstruction, cipher statistics, wrong-key failure and (when weighted) key diversity.

        ``k_wrong`` is ``k`` with one key bit flipped, passed through the key schedule: the
        decoder must fail under it (by ``margin``, or as far as noise is), and the encoder
        must encrypt differently under it (the key audit's two questions).
        """
        encoder, decoder = self.modules["encoder"], self.modules["decoder"]
        cipher = straight_through_round(encoder(x, k))
        reconstruction = (decoder(cipher, k) - x).abs().mean()
        statistics = soft_histogram_loss(cipher) + adjacent_correlation_loss(cipher)
        wrong_error = (decoder(cipher, k_wrong) - x).abs().mean(dim=(1, 2, 3))
        margin = noise_distance(x) if self.config["margin"] == "noise" else self.config["margin"]
        wrong_key = torch.relu(margin - wrong_error).mean()
        parts = {"reconstruction": reconstruction, "statistics": statistics, "wrong key": wrong_key}
        if self.config["diversity_weight"]:
            parts["key diversity"] = key_diversity_loss(cipher, straight_through_round(encoder(x, k_wrong)))
        return parts

    def _pairs(self, rng: np.random.Generator, n: int) -> tuple[torch.Tensor, torch.Tensor]:
        return random_key_pairs(rng, n, self.key_bits // 8, self.config["key_schedule"], self.device)

    def reconstruction_loss(self, x: torch.Tensor, seed: int = 0) -> float:
        """Reconstruction error under fixed random keys (for checking that training helps)."""
        k, k_wrong = self._pairs(np.random.default_rng(seed), len(x))
        with torch.no_grad():
            return float(self.losses(x, k, k_wrong)["reconstruction"])

    def train_step(self, x: torch.Tensor) -> dict[str, float]:
        for m in self.modules.values():
            m.train()
        k, k_wrong = self._pairs(self._keys, len(x))
        parts = self.losses(x, k, k_wrong)
        weights = {"reconstruction": 1.0, "statistics": self.config["stats_weight"],
                   "wrong key": self.config["wrong_key_weight"], "key diversity": self.config["diversity_weight"]}
        total = sum(weights[name] * value for name, value in parts.items())
        self._opt.zero_grad()
        total.backward()
        self._opt.step()
        return {name: value.item() for name, value in parts.items()}

    def fit(self, images: np.ndarray, *, epochs: int, batch_size: int = 64, seed: int = 0) -> train.History:
        data = train.to_unit(self.check(images))
        return train.fit(self.train_step, data, epochs=epochs, batch_size=batch_size, seed=seed,
                         device=self.device, desc=self.name, history=self.history)


# ------------------------------------------------------------------ encrypt-the-latent hybrids

class LatentCodec(nn.Module):
    """Image <-> latent vector of ``latent_dim`` numbers (a VAE encoder outputs a mean and a log-variance)."""

    def __init__(self, channels: int, width: int, height: int, wide: int, latent_dim: int, variational: bool):
        super().__init__()
        self.shape = (2 * width, height // 4, wide // 4)
        size = int(np.prod(self.shape))
        self.variational = variational
        self.encoder = nn.Sequential(_down(channels, width), nn.Flatten(),
                                     nn.Linear(size, latent_dim * (2 if variational else 1)))
        self.decoder_in = nn.Linear(latent_dim, size)
        self.decoder = _up(channels, width)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        out = self.encoder(x)
        if self.variational:
            mean, log_var = out.chunk(2, dim=1)
            return mean, log_var
        return torch.tanh(out), None

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(torch.relu(self.decoder_in(z)).view(-1, *self.shape))


@register
class LatentHybridCipher(TorchCipher):
    """Autoencoder compression + AES-256-GCM on the quantised latent. Secret: the AES key; weights are public."""

    name = "ae-latent-gcm"
    family = "autoencoder"
    lossless = False
    key_bits = 256
    #: A trained codec followed by a standard cipher: its secrecy is AES-GCM's, so the book counts it as
    #: codec + AES-GCM, not as a learned cipher (:func:`medcrypt.book.compare.learned_ciphers`).
    cipher_behind_codec = "aes-gcm"
    variational = False
    # AE latents lie in [-1, 1] (tanh); VAE means are clipped to [-3, 3], three prior standard deviations.
    latent_range = 1.0

    def __init__(self, image_shape=(28, 28), latent_dim: int = 32, width: int = 16, beta: float = 1e-3,
                 lr: float = 1e-3, seed: int = 0, device: str | None = None):
        super().__init__(image_shape, device)
        if latent_dim < 1:
            raise ValueError(f"latent_dim must be >= 1; got {latent_dim}")
        self.name = f"{type(self).name}-{latent_dim}"
        self.latent_dim = latent_dim
        self.config = {"image_shape": list(self.image_shape), "latent_dim": latent_dim, "width": width,
                       "beta": beta, "lr": lr, "seed": seed}
        with seeded_torch(seed):
            h, w = self.image_shape[:2]
            self.modules = {"codec": LatentCodec(self.channels, width, h, w, latent_dim, self.variational)}
        self.to(self.device)
        self._gcm = AESGCM()
        self._noise = torch.Generator().manual_seed(seed + 1)
        self._opt = torch.optim.Adam(self.modules["codec"].parameters(), lr=lr)

    # -------------------------------------------------------------- compression
    @property
    def compression_ratio(self) -> float:
        """Image bytes per latent byte (without GCM's 28 bytes of nonce and tag)."""
        return float(np.prod(self.image_shape)) / self.latent_dim

    @property
    def compression_ratio_with_overhead(self) -> float:
        return float(np.prod(self.image_shape)) / (self.latent_dim + 28)

    def _quantise(self, z: torch.Tensor) -> torch.Tensor:
        """[-range, range] -> 256 levels, in the same scale (straight-through in training)."""
        r = self.latent_range
        unit = torch.clamp(z / r, -1, 1)
        return straight_through_round(unit) * r

    def raw_latent(self, images: np.ndarray) -> np.ndarray:
        """The encoder's latent before quantisation (the VAE's mean), float32, shape (N, latent_dim)."""
        codec = self.modules["codec"].eval()
        with torch.no_grad():
            z, _ = codec.encode(train.to_unit(self.check(images)).to(self.device))
        return z.cpu().numpy()

    def encode_latent(self, images: np.ndarray) -> np.ndarray:
        """The quantised latent codes as ``uint8``, shape (N, latent_dim)."""
        images = self.check(images)
        codec = self.modules["codec"].eval()
        with torch.no_grad():
            z, _ = codec.encode(train.to_unit(images).to(self.device))
            unit = torch.clamp(z / self.latent_range, -1, 1)
            return ((unit + 1) * 127.5).round().to(torch.uint8).cpu().numpy()

    def decode_latent(self, codes: np.ndarray) -> np.ndarray:
        codes = check_images(np.asarray(codes)[:, None, :], self.name, image_shape=(1, self.latent_dim),
                             argument="latent codes")[:, 0, :]
        codec = self.modules["codec"].eval()
        with torch.no_grad():
            z = (torch.from_numpy(codes).float() / 127.5 - 1).to(self.device) * self.latent_range
            return train.from_unit(codec.decode(z), channels_last=len(self.image_shape) == 3)

    # -------------------------------------------------------------- the cipher
    def keygen(self, seed: int | None = None) -> bytes:
        return self._gcm.keygen(seed)

    def flip_key_bit(self, key: bytes, bit: int) -> bytes:
        return flip_key_bit(key, bit)

    def encrypt(self, images: np.ndarray, key: bytes) -> CipherImages:
        codes = self.encode_latent(images)
        return self._gcm.encrypt(codes[:, None, :], key)

    def decrypt_latent(self, cipher: np.ndarray, key: bytes) -> np.ndarray:
        """AES-GCM decryption of the latent codes (raises AuthenticationError on a wrong key)."""
        check_images(np.asarray(cipher), self.name, image_shape=(1, self.latent_dim), argument="cipher")
        return self._gcm.decrypt(cipher, key)[:, 0, :]

    def decrypt(self, cipher: np.ndarray, key: bytes) -> np.ndarray:
        return self.decode_latent(self.decrypt_latent(cipher, key))

    # -------------------------------------------------------------- training
    def losses(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        codec = self.modules["codec"]
        mean, log_var = codec.encode(x)
        if self.variational:
            std = torch.exp(0.5 * log_var)
            z = mean + std * torch.randn(mean.shape, generator=self._noise).to(x.device)
            kl = 0.5 * (mean**2 + std**2 - 1 - log_var).sum(dim=1).mean()
        else:
            z, kl = mean, torch.zeros((), device=x.device)
        reconstruction = (codec.decode(self._quantise(z)) - x).abs().mean()
        return {"reconstruction": reconstruction, "KL": kl}

    def reconstruction_loss(self, x: torch.Tensor) -> float:
        with torch.no_grad():
            codec = self.modules["codec"].eval()
            mean, _ = codec.encode(x)
            return float((codec.decode(self._quantise(mean)) - x).abs().mean())

    def train_step(self, x: torch.Tensor) -> dict[str, float]:
        self.modules["codec"].train()
        parts = self.losses(x)
        total = parts["reconstruction"] + self.config["beta"] * parts["KL"]
        self._opt.zero_grad()
        total.backward()
        self._opt.step()
        out = {"reconstruction": parts["reconstruction"].item()}
        if self.variational:
            out["KL"] = parts["KL"].item()
        return out

    def fit(self, images: np.ndarray, *, epochs: int, batch_size: int = 64, seed: int = 0) -> train.History:
        data = train.to_unit(self.check(images))
        return train.fit(self.train_step, data, epochs=epochs, batch_size=batch_size, seed=seed,
                         device=self.device, desc=self.name, history=self.history)


@register
class VariationalLatentHybridCipher(LatentHybridCipher):
    """A VAE as the compressor: its latent is pulled towards N(0, I); the encoder's mean is encrypted."""

    name = "vae-latent-gcm"
    variational = True
    latent_range = 3.0
