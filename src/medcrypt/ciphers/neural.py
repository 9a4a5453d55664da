"""What every learned (PyTorch) cipher shares: shape checks, batched inference, checkpoints."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import torch

from .. import train
from .base import check_images, check_key, flip_key_bit, seeded_key


class TorchCipher:
    """Base class of learned ciphers trained for one image shape (:class:`~medcrypt.ciphers.base.LearnedCipher`).

    Subclasses set ``name``, ``family``, ``modules`` (name -> ``nn.Module``, built inside
    :func:`medcrypt.train.seeded_torch`) and ``config`` (everything needed to rebuild them), and implement
    ``encrypt``/``decrypt``/``fit``.
    """

    name: str
    family: str
    modules: dict[str, torch.nn.Module]
    config: dict

    def __init__(self, image_shape: tuple[int, ...] = (28, 28), device: str | None = None):
        image_shape = tuple(int(s) for s in image_shape)
        if len(image_shape) not in (2, 3) or image_shape[0] % 4 or image_shape[1] % 4:
            raise ValueError(f"{self.name}: image_shape must be (H, W) or (H, W, C) with H and W multiples of 4 "
                             f"(28, 64, 128, 224); got {image_shape}")
        self.image_shape = image_shape
        self.channels = image_shape[2] if len(image_shape) == 3 else 1
        self.device = train.pick_device(device)
        self.history = train.History()

    # -------------------------------------------------------------- checks and inference
    def check(self, images, argument: str = "images") -> np.ndarray:
        return check_images(np.asarray(images), self.name, image_shape=self.image_shape, argument=argument)

    def run(self, module: torch.nn.Module, images: np.ndarray, chunk: int = 512) -> np.ndarray:
        """Apply ``module`` to ``uint8`` images in chunks, in eval mode, returning ``uint8`` images."""
        module.eval()
        outputs = []
        with torch.inference_mode():  # no autograd bookkeeping at all: the fastest way to run a trained network
            for start in range(0, len(images), chunk):
                x = train.to_unit(images[start:start + chunk]).to(self.device)
                outputs.append(train.from_unit(module(x), channels_last=len(self.image_shape) == 3))
        return np.concatenate(outputs)

    def parameter_count(self) -> int:
        return sum(p.numel() for m in self.modules.values() for p in m.parameters() if p.requires_grad)

    def to(self, device) -> "TorchCipher":
        self.device = torch.device(device)
        for module in self.modules.values():
            module.to(self.device)
        return self

    def quick_fit(self, images: np.ndarray, *, epochs: int, seed: int = 0) -> train.History:
        """Train from medical images with default settings (used when a later chapter needs this model)."""
        return self.fit(images, epochs=epochs, seed=seed)

    # -------------------------------------------------------------- checkpoints
    def save(self, path: str | Path) -> Path:
        return train.save_checkpoint(path, self.modules, self.config, self.history)

    @classmethod
    def load(cls, path: str | Path, device: str | None = None) -> "TorchCipher":
        payload = train.load_checkpoint(path)
        cipher = cls(**payload["config"], device=device)
        for name, state in payload["state"].items():
            cipher.modules[name].load_state_dict(state)
        cipher.history = payload["history"]
        return cipher.to(cipher.device)


class SecretKeyBytes:
    """For learned ciphers whose secret is a ``key_bits``-bit key given as bytes (the weights are public)."""

    name: str
    key_bits: int

    def keygen(self, seed: int | None = None) -> bytes:
        return seeded_key(seed, self.key_bits // 8)

    def flip_key_bit(self, key: bytes, bit: int) -> bytes:
        return flip_key_bit(key, bit)

    def check_key(self, key) -> bytes:
        return check_key(key, self.key_bits // 8, self.name)


def straight_through_round(y: torch.Tensor) -> torch.Tensor:
    """Round [-1, 1] values to the 256 levels of a ``uint8`` image, passing gradients straight through.

    The cipher image is stored as ``uint8``, so the decryptor must learn to work from the
    quantised image; the forward pass quantises, the backward pass ignores the rounding.
    """
    quantised = torch.round((y + 1) * 127.5) / 127.5 - 1
    return y + (quantised - y).detach()


def load_or_train(cipher: TorchCipher, folder: str | Path, training: dict, train_fn, retrain: bool = False):
    """Reuse saved weights for this exact model and training configuration, or train and save them.

    ``training`` (epochs, data size, ...) and the model's ``config`` together name the file,
    so a checkpoint is only reused by a run that would have produced it. Returns the
    cipher (loaded or trained), the checkpoint path and whether it was trained now.
    """
    path = Path(folder) / f"{cipher.name}-{train.config_hash({**cipher.config, **training})}.pt"
    if path.exists() and not retrain:
        return type(cipher).load(path, device=str(cipher.device)), path, False
    train_fn(cipher)
    cipher.save(path)
    return cipher, path, True


def soft_histogram_loss(y: torch.Tensor, bins: int = 32, width: float | None = None) -> torch.Tensor:
    """How far the batch's value distribution in [-1, 1] is from uniform, differentiably.

    Each value spreads over nearby bins with a Gaussian kernel (a "soft" histogram); the
    loss is ``bins`` times the squared distance of the bin frequencies from 1/bins, so it
    is 0 for a perfectly flat histogram and about ``bins - 1`` when everything falls in one bin.
    """
    centres = torch.linspace(-1 + 1 / bins, 1 - 1 / bins, bins, device=y.device)
    width = width or 1.0 / bins
    weights = torch.softmax(-((y.reshape(-1, 1) - centres) ** 2) / (2 * width**2), dim=1)
    frequencies = weights.mean(dim=0)
    return bins * ((frequencies - 1.0 / bins) ** 2).sum()


def adjacent_correlation_loss(y: torch.Tensor) -> torch.Tensor:
    """Mean squared Pearson correlation of horizontal and vertical neighbours, per image (N, C, H, W)."""

    def pearson(a, b):
        a = a.flatten(1) - a.flatten(1).mean(dim=1, keepdim=True)
        b = b.flatten(1) - b.flatten(1).mean(dim=1, keepdim=True)
        return (a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1) + 1e-8)

    horizontal = pearson(y[..., :, :-1], y[..., :, 1:])
    vertical = pearson(y[..., :-1, :], y[..., 1:, :])
    return (horizontal**2 + vertical**2).mean() / 2


def key_vectors(keys: list[bytes], device) -> torch.Tensor:
    """Byte keys as float vectors of ±1, one row per key (bit i of the key is element i)."""
    bits = np.unpackbits(np.frombuffer(b"".join(keys), dtype=np.uint8)).reshape(len(keys), -1)
    return torch.from_numpy(2 * bits.astype(np.float32) - 1).to(device)


#: How a learned cipher turns its key bytes into the ±1 vector its networks read.
#: ``bits``: the key's own bits, so a key one bit off is a network input one coordinate off, and a
#: smooth network answers almost as it did (the key barely matters). ``hashed``: SHAKE-256 of the key,
#: so a key one bit off is an unrelated input, as the chaotic-map or hash key derivations of the
#: papers make it (Kumar et al. 2025, Murmu and Kumar 2024); the network then only has to tell
#: random keys apart, which training with random keys teaches.
KEY_SCHEDULES = ("bits", "hashed")
_SCHEDULE_DOMAIN = b"medcrypt key schedule v1"


class Wrap(torch.nn.Module):
    """x -> x wrapped into [-1, 1): a sawtooth, the modulo step of a chaotic map as an output layer.

    A tanh output saturates, so two nearby inputs give nearly the same image; wrapping
    turns any change larger than the output's resolution into a jump anywhere in the range.
    Gradients pass through unchanged (the sawtooth has slope 1 almost everywhere).
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.remainder(x + 1, 2) - 1


#: The last activation of a network whose output is stored as a cipher (or key) image.
OUTPUTS = {"tanh": torch.nn.Tanh, "wrap": Wrap}


def check_output(output: str, who: str) -> str:
    if output not in OUTPUTS:
        raise ValueError(f"{who}: output must be one of {', '.join(map(repr, OUTPUTS))}; got {output!r}")
    return output


def check_key_schedule(schedule: str, who: str) -> str:
    if schedule not in KEY_SCHEDULES:
        raise ValueError(f"{who}: key_schedule must be one of {', '.join(map(repr, KEY_SCHEDULES))}; got {schedule!r}")
    return schedule


def scheduled_key_vectors(keys: list[bytes], schedule: str, device) -> torch.Tensor:
    """The network inputs of ``keys`` under ``schedule`` (:data:`KEY_SCHEDULES`): ±1 rows as long as the keys."""
    if schedule == "hashed":
        keys = [hashlib.shake_256(_SCHEDULE_DOMAIN + bytes(k)).digest(len(k)) for k in keys]
    return key_vectors(keys, device)


def random_key_pairs(rng: np.random.Generator, n: int, key_bytes: int, schedule: str,
                     device) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` random keys and the same keys with one random bit flipped (the hardest wrong keys), as network inputs."""
    keys = [rng.bytes(key_bytes) for _ in range(n)]
    flipped = [flip_key_bit(k, int(b)) for k, b in zip(keys, rng.integers(0, 8 * key_bytes, n))]
    return scheduled_key_vectors(keys, schedule, device), scheduled_key_vectors(flipped, schedule, device)


#: The grey levels by which the key-diversity term asks every cipher pixel to move under a key one bit off.
DIVERSITY_LEVELS = 4.0


def key_diversity_loss(under_key: torch.Tensor, under_other: torch.Tensor,
                       levels: float = DIVERSITY_LEVELS) -> torch.Tensor:
    """Hinge on the pixels two keys encrypt alike: 0 once every pixel differs by ``levels`` grey levels or more.

    Outputs are in [-1, 1] (a grey level is 1/127.5). The key audit asks a one-bit key change
    to move all but a few pixels, so this penalises each pixel that stays within ``levels``.
    """
    gap = levels / 127.5
    return torch.relu(gap - (under_key - under_other).abs()).mean() / gap


def wrapped_difference_loss(under_key: torch.Tensor, under_other: torch.Tensor) -> torch.Tensor:
    """How far the differences of two keys' outputs, taken modulo 256, are from uniform.

    For a cipher that adds its key image modulo 256 (``gan-keygen``), decrypting with the
    other key adds exactly this difference to the plaintext, so a uniform difference is a
    wrong-key decryption that looks like noise. Outputs are in [-1, 1]; the difference is
    wrapped back into [-1, 1) (``remainder`` passes gradients through) and its soft
    histogram compared with flat (:func:`soft_histogram_loss`).
    """
    wrapped = torch.remainder(under_key - under_other + 1, 2) - 1
    return soft_histogram_loss(wrapped)


def noise_distance(x: torch.Tensor) -> torch.Tensor:
    """Per image, the mean absolute distance of uniform noise on [-1, 1] from ``x``: E|x - U| = (1 + x²) / 2."""
    return ((1 + x**2) / 2).flatten(1).mean(dim=1)
