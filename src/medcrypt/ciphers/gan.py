"""GAN-based ciphers, compact versions of the two uses of GANs in the literature.

``gan-translation`` (DeepEDN-style, Ding et al. 2020)
    A CycleGAN pair. The encryption generator translates a medical image into the
    *cipher domain*, which we choose to be images of i.i.d. uniform 8-bit noise, the
    distribution of an ideal cipher image (AES-CTR output); a discriminator judges how
    well it matches. The decryption generator translates back; cycle-consistency losses
    make the pair (approximately) inverse. **Secret: the trained weights.** There is no
    key input, so ``key_bits = 0``: whoever holds the weights decrypts. That is security
    by obscurity. Decryption is lossy.

``gan-keygen`` (DeepKeyGen-style, Ding et al. 2021)
    A generator maps a secret 128-bit seed to a key image, trained against a
    discriminator towards uniform noise. Encryption adds the key image to the plaintext
    modulo 256, so decryption is exact. By default the seed is hashed before the generator
    and the generator's output wraps modulo 256 (a sawtooth), the attempt of chapter 3 in
    which a seed one bit off gives an unrelated key image (:mod:`medcrypt.attempts`). **Secret: the 128-bit seed**; the generator's
    weights are public. One seed gives one key image, so reusing a seed for two images is
    a two-time pad: c1 - c2 = p1 - p2 (mod 256).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .. import train
from .base import register
from ..train import seeded_torch
from .neural import (OUTPUTS, SecretKeyBytes, TorchCipher, check_key_schedule, check_output, random_key_pairs,
                     scheduled_key_vectors, straight_through_round, wrapped_difference_loss)


class ResidualBlock(nn.Module):
    def __init__(self, width: int):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.InstanceNorm2d(width), nn.ReLU(True),
                                  nn.Conv2d(width, width, 3, padding=1), nn.InstanceNorm2d(width))

    def forward(self, x):
        return x + self.body(x)


def image_generator(channels: int, width: int, blocks: int = 2) -> nn.Module:
    """Encoder, residual blocks, decoder (the CycleGAN generator, shrunk): (N, C, H, W) -> same, in [-1, 1]."""
    return nn.Sequential(
        nn.Conv2d(channels, width, 3, padding=1), nn.InstanceNorm2d(width), nn.ReLU(True),
        nn.Conv2d(width, 2 * width, 4, stride=2, padding=1), nn.InstanceNorm2d(2 * width), nn.ReLU(True),
        *[ResidualBlock(2 * width) for _ in range(blocks)],
        nn.ConvTranspose2d(2 * width, width, 4, stride=2, padding=1), nn.InstanceNorm2d(width), nn.ReLU(True),
        nn.Conv2d(width, channels, 3, padding=1), nn.Tanh(),
    )


def patch_discriminator(channels: int, width: int) -> nn.Module:
    """PatchGAN: one real/fake logit per patch of a (N, C, H, W) image (H/4 × W/4 patches)."""
    return nn.Sequential(
        nn.Conv2d(channels, width, 4, stride=2, padding=1), nn.LeakyReLU(0.2, True),
        nn.Conv2d(width, 2 * width, 4, stride=2, padding=1), nn.InstanceNorm2d(2 * width), nn.LeakyReLU(0.2, True),
        nn.Conv2d(2 * width, 1, 3, padding=1),
    )


def uniform_noise_like(x: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """Samples of the cipher domain: i.i.d. uniform 8-bit images, scaled to [-1, 1]."""
    levels = torch.randint(0, 256, x.shape, generator=generator).to(x.device)
    return levels.float() / 127.5 - 1


def _adam(modules, lr):
    return torch.optim.Adam([p for m in modules for p in m.parameters()], lr=lr, betas=(0.5, 0.999))


@register
class GANTranslationCipher(TorchCipher):
    """DeepEDN-style CycleGAN translation into uniform noise. Secret: the weights (``key_bits = 0``)."""

    name = "gan-translation"
    family = "gan"
    lossless = False
    key_bits = 0

    def __init__(self, image_shape=(28, 28), width: int = 32, cycle_weight: float = 10.0, lr: float = 2e-4,
                 seed: int = 0, device: str | None = None):
        super().__init__(image_shape, device)
        self.config = {"image_shape": list(self.image_shape), "width": width, "cycle_weight": cycle_weight,
                       "lr": lr, "seed": seed}
        with seeded_torch(seed):
            c = self.channels
            self.modules = {"encryptor": image_generator(c, width), "decryptor": image_generator(c, width),
                            "critic_cipher": patch_discriminator(c, width),
                            "critic_plain": patch_discriminator(c, width)}
        self.to(self.device)
        self._noise = torch.Generator().manual_seed(seed + 1)
        self._opt_g = _adam([self.modules["encryptor"], self.modules["decryptor"]], lr)
        self._opt_d = _adam([self.modules["critic_cipher"], self.modules["critic_plain"]], lr)

    def keygen(self, seed: int | None = None) -> bytes:
        return b""  # no key: the weights are the secret

    def flip_key_bit(self, key: bytes, bit: int) -> bytes:
        return key

    def encrypt(self, images: np.ndarray, key: bytes = b"") -> np.ndarray:
        return self.run(self.modules["encryptor"], self.check(images))

    def decrypt(self, cipher: np.ndarray, key: bytes = b"") -> np.ndarray:
        return self.run(self.modules["decryptor"], self.check(cipher, "cipher"))

    def cycle_loss(self, x: torch.Tensor) -> float:
        """L1 error of plain -> cipher (quantised) -> plain, without training."""
        enc, dec = self.modules["encryptor"], self.modules["decryptor"]
        with torch.no_grad():
            return float((dec(straight_through_round(enc(x))) - x).abs().mean())

    def train_step(self, x: torch.Tensor) -> dict[str, float]:
        enc, dec = self.modules["encryptor"], self.modules["decryptor"]
        critic_c, critic_p = self.modules["critic_cipher"], self.modules["critic_plain"]
        for m in self.modules.values():
            m.train()
        noise = uniform_noise_like(x, self._noise)
        mse = nn.functional.mse_loss

        # Generators: fool both critics, and survive both cycles (plain->cipher->plain, noise->plain->noise).
        cipher = straight_through_round(enc(x))
        fake_plain = dec(noise)
        adv = mse(critic_c(cipher), torch.ones_like(critic_c(cipher))) + \
            mse(critic_p(fake_plain), torch.ones_like(critic_p(fake_plain)))
        cycle_plain = (dec(cipher) - x).abs().mean()
        cycle_noise = (straight_through_round(enc(fake_plain)) - noise).abs().mean()
        loss_g = adv + self.config["cycle_weight"] * (cycle_plain + cycle_noise)
        self._opt_g.zero_grad()
        loss_g.backward()
        self._opt_g.step()

        # Critics: uniform noise and real images are "real"; generator outputs are "fake".
        real_c, fake_c = critic_c(noise), critic_c(cipher.detach())
        real_p, fake_p = critic_p(x), critic_p(fake_plain.detach())
        loss_d = 0.5 * (mse(real_c, torch.ones_like(real_c)) + mse(fake_c, torch.zeros_like(fake_c))
                        + mse(real_p, torch.ones_like(real_p)) + mse(fake_p, torch.zeros_like(fake_p)))
        self._opt_d.zero_grad()
        loss_d.backward()
        self._opt_d.step()
        return {"adversarial (G)": adv.item(), "critics (D)": loss_d.item(),
                "cycle plain": cycle_plain.item(), "cycle noise": cycle_noise.item()}

    def fit(self, images: np.ndarray, *, epochs: int, batch_size: int = 64, seed: int = 0) -> train.History:
        data = train.to_unit(self.check(images))
        return train.fit(self.train_step, data, epochs=epochs, batch_size=batch_size, seed=seed,
                         device=self.device, desc=self.name, history=self.history)


@register
class GANKeyGenCipher(SecretKeyBytes, TorchCipher):
    """DeepKeyGen-style key generator + addition mod 256. Secret: a 128-bit seed; weights are public."""

    name = "gan-keygen"
    family = "gan"
    lossless = True
    key_bits = 128

    def __init__(self, image_shape=(28, 28), width: int = 32, hidden: int = 512, lr: float = 2e-4, seed: int = 0,
                 key_schedule: str = "hashed", diversity_weight: float = 0.0, output: str = "wrap",
                 device: str | None = None):
        super().__init__(image_shape, device)
        check_key_schedule(key_schedule, self.name)
        check_output(output, self.name)
        if not (isinstance(diversity_weight, (int, float)) and diversity_weight >= 0):
            raise ValueError(f"{self.name}: diversity_weight must be a number >= 0; got {diversity_weight!r}")
        self.config = {"image_shape": list(self.image_shape), "width": width, "hidden": hidden, "lr": lr,
                       "seed": seed, "key_schedule": key_schedule, "diversity_weight": diversity_weight,
                       "output": output}
        with seeded_torch(seed):
            h, w = self.image_shape[:2]
            self.modules = {
                "generator": nn.Sequential(nn.Linear(self.key_bits, hidden), nn.LeakyReLU(0.2, True),
                                           nn.Linear(hidden, hidden), nn.LeakyReLU(0.2, True),
                                           nn.Linear(hidden, self.channels * h * w), OUTPUTS[output](),
                                           nn.Unflatten(1, (self.channels, h, w))),
                "critic": patch_discriminator(self.channels, width),
            }
        self.to(self.device)
        self._seeds = np.random.default_rng(seed + 1)
        self._opt_g = _adam([self.modules["generator"]], lr)
        self._opt_d = _adam([self.modules["critic"]], lr)

    def key_images(self, keys: list[bytes]) -> np.ndarray:
        """The ``uint8`` key images of several seeds, shape (len(keys), *image_shape)."""
        generator = self.modules["generator"].eval()
        bits = scheduled_key_vectors([self.check_key(k) for k in keys], self.config["key_schedule"], self.device)
        with torch.no_grad():
            out = generator(bits)
        return train.from_unit(out, channels_last=len(self.image_shape) == 3)

    def key_image(self, key: bytes) -> np.ndarray:
        return self.key_images([key])[0]

    def encrypt(self, images: np.ndarray, key: bytes) -> np.ndarray:
        return self.check(images) + self.key_image(key)  # uint8 addition wraps: mod 256

    def decrypt(self, cipher: np.ndarray, key: bytes) -> np.ndarray:
        return self.check(cipher, "cipher") - self.key_image(key)

    def _pairs(self, rng: np.random.Generator, n: int) -> tuple[torch.Tensor, torch.Tensor]:
        return random_key_pairs(rng, n, self.key_bits // 8, self.config["key_schedule"], self.device)

    def generator_loss(self, n: int = 64) -> float:
        """The generator's adversarial loss on ``n`` fresh seeds, against the current critic (no training)."""
        bits, _ = self._pairs(np.random.default_rng(0), n)
        with torch.no_grad():
            score = self.modules["critic"](self.modules["generator"](bits))
        return float(nn.functional.mse_loss(score, torch.ones_like(score)))

    def train_step(self, real_noise: torch.Tensor) -> dict[str, float]:
        """One generator step (fool the critic; with ``diversity_weight``, also give a key one bit off a key image
        that differs at every pixel, the mode-seeking idea of Mao et al. 2019), then one critic step."""
        generator, critic = self.modules["generator"].train(), self.modules["critic"].train()
        n = len(real_noise)
        bits, flipped = self._pairs(self._seeds, n)
        mse = nn.functional.mse_loss
        fake = generator(bits)
        score = critic(fake)
        adversarial = loss_g = mse(score, torch.ones_like(score))
        losses = {}
        if self.config["diversity_weight"]:
            diversity = wrapped_difference_loss(fake, generator(flipped))
            loss_g = loss_g + self.config["diversity_weight"] * diversity
            losses["key diversity"] = diversity.item()
        self._opt_g.zero_grad()
        loss_g.backward()
        self._opt_g.step()
        real_score, fake_score = critic(real_noise), critic(fake.detach())
        loss_d = 0.5 * (mse(real_score, torch.ones_like(real_score)) + mse(fake_score, torch.zeros_like(fake_score)))
        self._opt_d.zero_grad()
        loss_d.backward()
        self._opt_d.step()
        return {"generator": adversarial.item(), "critic": loss_d.item(), **losses}

    def quick_fit(self, images: np.ndarray, *, epochs: int, seed: int = 0) -> train.History:
        """The key generator needs no medical images: train on as many noise samples as there are images."""
        return self.fit(len(images), epochs=epochs, seed=seed)

    def fit(self, n_samples: int, *, epochs: int, batch_size: int = 64, seed: int = 0) -> train.History:
        """Train on ``n_samples`` uniform-noise images per epoch (the 'real' keys); no medical data needed."""
        h, w = self.image_shape[:2]
        noise = torch.rand((n_samples, self.channels, h, w), generator=torch.Generator().manual_seed(seed)) * 2 - 1
        return train.fit(self.train_step, noise, epochs=epochs, batch_size=batch_size, seed=seed,
                         device=self.device, desc=self.name, history=self.history)


def key_image_from_pair(plain: np.ndarray, cipher: np.ndarray) -> np.ndarray:
    """gan-keygen's key image from one known pair: K = C − P (mod 256), the two-time pad's key recovery.

    One seed gives one key image, so K decrypts every other image under that seed:
    P' = C' − K (mod 256). Chapter 3 shows it; the exercises of chapter 3 use it as the
    reference solution.
    """
    plain, cipher = np.asarray(plain), np.asarray(cipher).view(np.ndarray)
    if plain.shape != cipher.shape or plain.dtype != np.uint8 or cipher.dtype != np.uint8:
        raise ValueError(f"key_image_from_pair needs a uint8 plaintext and cipher image of one shape; got "
                         f"{plain.dtype} {plain.shape} and {cipher.dtype} {cipher.shape}")
    return cipher - plain  # uint8 arithmetic wraps: modulo 256
