"""Feed-forward networks as ciphers: the two lines of this family in the literature.

``anc-alice-bob`` (adversarial neural cryptography, after Abadi & Andersen 2016)
    Alice, a feed-forward network, maps a plaintext block and a 128-bit key to a cipher
    block; Bob maps the cipher block and the key back; Eve sees only cipher blocks and
    tries to reconstruct the plaintext. Alice and Bob are trained together so that Bob
    reconstructs well while Eve does no better than guessing without the ciphertext.
    By default two terms Abadi and Andersen do not have make the key matter bit by bit:
    Bob with a key one bit off must be as far from the block as noise, and Alice must
    change every pixel under it; the key is hashed first (:mod:`medcrypt.attempts`).
    Blocks are ``patch``×``patch`` pixel squares of the image, each encrypted on its own
    with the same key (like a block cipher in ECB mode). **Secret: the 128-bit key**; the
    weights are public. Decryption is lossy (Bob's reconstruction).

    Cipher image mapping: Alice ends in ``tanh``, so each cipher value c lies in [-1, 1];
    it is stored as the ``uint8`` pixel round(127.5·(c + 1)), in the position of the
    block it came from. Training passes the rounding with straight-through gradients, so
    Bob learns to decrypt the stored 8-bit image.

The chaotic-network key-stream ciphers live in :mod:`medcrypt.ciphers.hopfield`.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .. import train
from .base import register
from ..train import seeded_torch
from .neural import (OUTPUTS, SecretKeyBytes, TorchCipher, check_key_schedule, check_output, key_diversity_loss,
                     noise_distance, random_key_pairs, scheduled_key_vectors, straight_through_round)


def mlp(inputs: int, hidden: int, outputs: int, layers: int = 2, output: str = "tanh") -> nn.Module:
    """``layers`` hidden ReLU layers of width ``hidden``, then an output in [-1, 1] (``tanh`` or ``wrap``)."""
    parts, width = [], inputs
    for _ in range(layers):
        parts += [nn.Linear(width, hidden), nn.ReLU(True)]
        width = hidden
    return nn.Sequential(*parts, nn.Linear(width, outputs), OUTPUTS[output]())


def to_blocks(x: torch.Tensor, patch: int) -> torch.Tensor:
    """(N, C, H, W) -> (N·(H/p)·(W/p), C·p·p): non-overlapping p×p blocks, row-major."""
    n, c, h, w = x.shape
    blocks = x.reshape(n, c, h // patch, patch, w // patch, patch).permute(0, 2, 4, 1, 3, 5)
    return blocks.reshape(-1, c * patch * patch)


def from_blocks(blocks: torch.Tensor, shape: tuple[int, int, int, int], patch: int) -> torch.Tensor:
    """Inverse of :func:`to_blocks` for images of ``shape`` (N, C, H, W)."""
    n, c, h, w = shape
    x = blocks.reshape(n, h // patch, w // patch, c, patch, patch).permute(0, 3, 1, 4, 2, 5)
    return x.reshape(shape)


class BlockEve(nn.Module):
    """An eavesdropper that sees one cipher block and guesses the plaintext block."""

    def __init__(self, block: int, hidden: int, layers: int):
        super().__init__()
        self.net = mlp(block, hidden, block, layers)

    def forward(self, cipher_blocks):
        return self.net(cipher_blocks)


@register
class AdversarialNeuralCipher(SecretKeyBytes, TorchCipher):
    """Alice/Bob/Eve on image blocks (see module docs). Secret: a 128-bit key; weights public. Lossy."""

    name = "anc-alice-bob"
    family = "feedforward"
    lossless = False
    key_bits = 128

    def __init__(self, image_shape=(28, 28), patch: int = 4, hidden: int = 256, eve_hidden: int = 256,
                 lr: float = 1e-3, eve_steps: int = 2, seed: int = 0, chance_error: float | None = None,
                 key_schedule: str = "hashed", wrong_key_weight: float = 1.0, diversity_weight: float = 1.0,
                 output: str = "tanh", device: str | None = None):
        super().__init__(image_shape, device)
        h, w = self.image_shape[:2]
        check_key_schedule(key_schedule, self.name)
        check_output(output, self.name)
        for label, value in (("wrong_key_weight", wrong_key_weight), ("diversity_weight", diversity_weight)):
            if not (isinstance(value, (int, float)) and value >= 0):
                raise ValueError(f"{self.name}: {label} must be a number >= 0; got {value!r}")
        if patch < 1 or h % patch or w % patch:
            raise ValueError(f"{self.name}: patch must divide the image height and width {h}×{w}; got {patch}")
        if eve_steps < 1:
            raise ValueError(f"{self.name}: eve_steps must be >= 1; got {eve_steps}")
        self.config = {"image_shape": list(self.image_shape), "patch": patch, "hidden": hidden,
                       "eve_hidden": eve_hidden, "lr": lr, "eve_steps": eve_steps, "seed": seed,
                       "key_schedule": key_schedule, "wrong_key_weight": wrong_key_weight,
                       "diversity_weight": diversity_weight, "output": output}
        self.patch = patch
        self.block = self.channels * patch * patch
        with seeded_torch(seed):
            self.modules = {"alice": mlp(self.block + self.key_bits, hidden, self.block, output=output),
                            "bob": mlp(self.block + self.key_bits, hidden, self.block),
                            "eve": BlockEve(self.block, eve_hidden, 2)}
        self.to(self.device)
        self._keys = np.random.default_rng(seed + 1)
        self._opt_ab = torch.optim.Adam([p for m in ("alice", "bob") for p in self.modules[m].parameters()], lr=lr)
        self._opt_eve = torch.optim.Adam(self.modules["eve"].parameters(), lr=lr)
        # Eve's error when she ignores the ciphertext and outputs the best constant guess.
        # ``fit`` measures it on the training data and stores it in ``config`` (so in checkpoints).
        self.chance_error = 0.5 if chance_error is None else float(chance_error)

    # -------------------------------------------------------------- the networks on blocks
    def _keyed(self, blocks: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        return torch.cat([blocks, keys], dim=1)

    def alice(self, blocks: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        """Cipher blocks, quantised to the 256 stored levels (straight-through in training)."""
        return straight_through_round(self.modules["alice"](self._keyed(blocks, keys)))

    def bob(self, cipher_blocks: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        return self.modules["bob"](self._keyed(cipher_blocks, keys))

    def _apply_keyed(self, images: np.ndarray, key: bytes, which: str) -> np.ndarray:
        keys = scheduled_key_vectors([self.check_key(key)], self.config["key_schedule"], self.device)
        for m in self.modules.values():
            m.eval()
        outputs = []
        with torch.no_grad():
            for start in range(0, len(images), 512):
                x = train.to_unit(images[start:start + 512]).to(self.device)
                blocks = to_blocks(x, self.patch)
                rows = keys.expand(len(blocks), -1)
                out = self.alice(blocks, rows) if which == "alice" else self.bob(blocks, rows)
                outputs.append(train.from_unit(from_blocks(out, tuple(x.shape), self.patch),
                                               channels_last=len(self.image_shape) == 3))
        return np.concatenate(outputs)

    def encrypt(self, images: np.ndarray, key: bytes) -> np.ndarray:
        return self._apply_keyed(self.check(images), key, "alice")

    def decrypt(self, cipher: np.ndarray, key: bytes) -> np.ndarray:
        return self._apply_keyed(self.check(cipher, "cipher"), key, "bob")

    # -------------------------------------------------------------- adversarial training
    def _random_keys(self, n: int) -> tuple[torch.Tensor, torch.Tensor]:
        """``n`` random keys and the same keys one bit off, through the key schedule."""
        return random_key_pairs(self._keys, n, self.key_bits // 8, self.config["key_schedule"], self.device)

    def train_step(self, blocks: torch.Tensor) -> dict[str, float]:
        """One Alice–Bob step, then ``eve_steps`` Eve steps; one fresh random key per block.

        Errors are mean absolute errors in [-1, 1] units (×127.5 gives grey levels).
        Alice and Bob minimise Bob's error plus ((chance − Eve's error)⁺ / chance)²: they
        are penalised while Eve does better than the best guess made without the
        ciphertext (``chance_error``), and not rewarded for making her worse than that.
        With ``wrong_key_weight``, Bob holding the key one bit off must be as far from the
        block as uniform noise is; with ``diversity_weight``, Alice must encrypt every pixel
        differently under it (the key audit's two questions, as training terms).
        """
        alice, bob, eve = (self.modules[m].train() for m in ("alice", "bob", "eve"))
        keys, wrong = self._random_keys(len(blocks))
        cipher = self.alice(blocks, keys)
        bob_error = (self.bob(cipher, keys) - blocks).abs().mean()
        eve_error = (eve(cipher) - blocks).abs().mean()
        chance = self.chance_error
        loss_ab = bob_error + (torch.relu(chance - eve_error) / chance) ** 2
        extra = {}
        if self.config["wrong_key_weight"]:
            wrong_error = (self.bob(cipher, wrong) - blocks).abs().mean(dim=1)
            extra["wrong key"] = torch.relu(noise_distance(blocks) - wrong_error).mean()
            loss_ab = loss_ab + self.config["wrong_key_weight"] * extra["wrong key"]
        if self.config["diversity_weight"]:
            extra["key diversity"] = key_diversity_loss(cipher, self.alice(blocks, wrong))
            loss_ab = loss_ab + self.config["diversity_weight"] * extra["key diversity"]
        self._opt_ab.zero_grad()
        loss_ab.backward()
        self._opt_ab.step()
        for _ in range(self.config["eve_steps"]):
            keys, _ = self._random_keys(len(blocks))
            with torch.no_grad():
                cipher = self.alice(blocks, keys)
            eve_loss = (eve(cipher) - blocks).abs().mean()
            self._opt_eve.zero_grad()
            eve_loss.backward()
            self._opt_eve.step()
        return {"Bob error": bob_error.item(), "Eve error": eve_loss.item(), "chance": chance,
                **{name: value.item() for name, value in extra.items()}}

    def errors(self, blocks: torch.Tensor, keys: torch.Tensor) -> dict[str, float]:
        """Bob's and Eve's mean absolute errors on ``blocks`` under ``keys`` (±1 rows), without training."""
        for m in self.modules.values():
            m.eval()
        with torch.no_grad():
            cipher = self.alice(blocks, keys)
            return {"Bob error": float((self.bob(cipher, keys) - blocks).abs().mean()),
                    "Eve error": float((self.modules["eve"](cipher) - blocks).abs().mean())}

    def training_blocks(self, images: np.ndarray) -> torch.Tensor:
        """All ``patch``×``patch`` blocks of ``images`` as rows in [-1, 1]."""
        return to_blocks(train.to_unit(self.check(images)), self.patch)

    def fit(self, images: np.ndarray, *, epochs: int, batch_size: int = 512, seed: int = 0) -> train.History:
        blocks = self.training_blocks(images)
        # The best constant guess under absolute error is the per-pixel median.
        self.chance_error = float((blocks - blocks.median(dim=0).values).abs().mean())
        self.config["chance_error"] = self.chance_error
        return train.fit(self.train_step, blocks, epochs=epochs, batch_size=batch_size, seed=seed,
                         device=self.device, desc=self.name, history=self.history)


def train_fresh_eve(cipher: AdversarialNeuralCipher, images: np.ndarray, *, hidden: int = 512, layers: int = 3,
                    epochs: int = 10, batch_size: int = 512, lr: float = 1e-3, seed: int = 0
                    ) -> tuple[BlockEve, train.History]:
    """Freeze Alice, and train a new (by default larger) Eve from scratch on her cipher blocks.

    As in training, every block is encrypted under a fresh random 128-bit key, so Eve
    learns what the ciphertext reveals about the plaintext *without* the key.
    """
    if hidden < 1 or layers < 1:
        raise ValueError(f"hidden and layers must be >= 1; got {hidden} and {layers}")
    with seeded_torch(seed):
        eve = BlockEve(cipher.block, hidden, layers).to(cipher.device)
    optimiser = torch.optim.Adam(eve.parameters(), lr=lr)
    keys_rng = torch.Generator().manual_seed(seed + 1)
    cipher.modules["alice"].eval()

    def step(blocks):
        keys = (2 * torch.randint(0, 2, (len(blocks), cipher.key_bits), generator=keys_rng).float() - 1)
        with torch.no_grad():
            c = cipher.alice(blocks, keys.to(cipher.device))
        loss = (eve.train()(c) - blocks).abs().mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        return {"fresh Eve error": loss.item()}

    history = train.fit(step, cipher.training_blocks(images), epochs=epochs, batch_size=batch_size, seed=seed,
                        device=cipher.device, desc="fresh Eve")
    return eve.eval(), history


def eve_reconstruct(cipher: AdversarialNeuralCipher, eve: nn.Module, cipher_images: np.ndarray) -> np.ndarray:
    """Eve's guess of the plaintext images from ``uint8`` cipher images alone."""
    cipher_images = cipher.check(cipher_images, "cipher")
    x = train.to_unit(cipher_images).to(cipher.device)
    with torch.no_grad():
        guess = eve.eval()(to_blocks(x, cipher.patch))
    return train.from_unit(from_blocks(guess, tuple(x.shape), cipher.patch),
                           channels_last=len(cipher.image_shape) == 3)


def no_ciphertext_guesses(cipher: AdversarialNeuralCipher, train_images: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Two guesses of ``n`` test images that need no ciphertext, as ``uint8`` images.

    ``median block everywhere``: the per-pixel median of the training blocks, put in every
    block position; it is the guess behind Eve's training target (``chance_error``), since
    Eve sees blocks without their position. ``median training image``: the per-pixel median
    of the training images, which also knows where each block sits.
    """
    images = cipher.check(train_images)
    h, w = cipher.image_shape[:2]
    per_image = (h // cipher.patch) * (w // cipher.patch)
    block = np.median(cipher.training_blocks(images).cpu().numpy(), axis=0)
    tiled = torch.from_numpy(np.tile(block, (per_image, 1))).float()
    shape = (1, cipher.channels, h, w)
    block_guess = train.from_unit(from_blocks(tiled, shape, cipher.patch), channels_last=len(cipher.image_shape) == 3)
    median_image = np.median(images, axis=0).round().astype(np.uint8)
    return {"median block everywhere": np.broadcast_to(block_guess[0], (n, *images.shape[1:])),
            "median training image": np.broadcast_to(median_image, (n, *images.shape[1:]))}


def reconstruction_table(reference: np.ndarray, reconstructions: dict[str, np.ndarray]):
    """PSNR (pooled), mean SSIM and mean absolute error in grey levels of each reconstruction of ``reference``."""
    import pandas as pd

    from .. import metrics

    rows = [{"reconstruction": name, "PSNR (dB)": metrics.psnr(reference, x).pooled,
             "SSIM": metrics.ssim(reference, x).mean,
             "mean abs. error (grey levels)": float(np.abs(reference.astype(float) - x).mean())}
            for name, x in reconstructions.items()]
    return pd.DataFrame(rows).set_index("reconstruction")


def distinct_blocks(image: np.ndarray, patch: int) -> int:
    """How many different ``patch``×``patch`` blocks one image (H, W) or (H, W, C) holds."""
    image = np.asarray(image)
    h, w = image.shape[:2]
    blocks = image[: h - h % patch, : w - w % patch].reshape(h // patch, patch, w // patch, patch, -1)
    return len(np.unique(blocks.transpose(0, 2, 1, 3, 4).reshape((h // patch) * (w // patch), -1), axis=0))
