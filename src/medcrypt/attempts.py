"""Training attempts side by side: which objective makes a learned cipher's key matter.

A paper's keyed network is only a fair target for attacks once our version of it has
the property the paper claims first: a key one bit off must decrypt to noise and encrypt
differently (chapter 8's key audit, :mod:`medcrypt.attacks.key_audit`). Each attempt is
one training configuration of the same cipher; every attempt is trained, saved, audited
and measured the same way, and :func:`strongest` picks the one later chapters attack.
The attempts that failed stay in the table: they are the evidence of what moves the key
audit and what does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from . import formatting, metrics
from .attacks.key_audit import KeyAudit, audit_key, noise_mse

#: Audit plaintexts per attempt: 4 images of 28×28 give each test 784 pixels of one image and the histogram check 4.
AUDIT_IMAGES = 4
COLUMNS = ("attempt", "what it changes", "training (s)", "decryption PSNR (dB)", "key bits that matter",
           "a bit off decrypts closer than noise", "a bit off leaves the encryption alike")


@dataclass
class Attempt:
    """One trained configuration, its checkpoint, its key audit and its decryption quality."""

    label: str
    changes: str
    config: dict
    cipher: Any
    path: Path
    trained_now: bool
    audit: KeyAudit
    psnr: float
    decrypts: bool = True  # the right key decrypts closer to the images than uniform noise does

    def to_dict(self) -> dict:
        return {"label": self.label, "changes": self.changes, "config": self.config, "checkpoint": self.path.name,
                "training_s": float(self.cipher.history.seconds), "psnr_db": float(self.psnr),
                "decrypts": bool(self.decrypts), "audit": self.audit.to_dict(), "passed": bool(self.audit.passed())}


def run(build: Callable[..., Any], attempts: dict[str, tuple[str, dict]], *, train: Callable[[Any], Any],
        weights_dir: str | Path, training: dict, test_images: np.ndarray, key_seed: int,
        retrain: bool = False) -> list[Attempt]:
    """Train (or load) every attempt, audit its key and measure its decryption.

    ``attempts`` maps a label to (what it changes, in words; the constructor options).
    ``build(**options)`` makes the untrained cipher and ``train(cipher)`` trains it;
    checkpoints are named by :func:`medcrypt.ciphers.neural.load_or_train`, so a rerun
    with the same configuration loads instead of training. The audit uses the first
    :data:`AUDIT_IMAGES` of ``test_images`` and the key ``keygen(seed=key_seed)``.
    """
    from .ciphers.neural import load_or_train  # torch, only when attempts are trained

    if not attempts:
        raise ValueError("run needs at least one attempt: {label: (what it changes, options)}")
    if len(test_images) < AUDIT_IMAGES:
        raise ValueError(f"the key audit needs at least {AUDIT_IMAGES} test images; got {len(test_images)}")
    out = []
    for label, (changes, options) in attempts.items():
        if not isinstance(options, dict):
            raise ValueError(f"attempt {label!r}: options must be a dict of constructor arguments; got {options!r}")
        cipher, path, trained_now = load_or_train(build(**options), weights_dir, training, train, retrain=retrain)
        key = cipher.keygen(seed=key_seed)
        audit = audit_key(cipher, test_images[:AUDIT_IMAGES], key)
        decrypted = cipher.decrypt(cipher.encrypt(test_images, key), key)
        psnr = metrics.psnr(test_images, decrypted).pooled
        out.append(Attempt(label, changes, dict(options), cipher, path, trained_now, audit, float(psnr),
                           decrypts_better_than_noise(test_images, decrypted)))
    return out


def decrypts_better_than_noise(images: np.ndarray, decrypted: np.ndarray) -> bool:
    """Whether the right key's decryption is closer to ``images`` than uniform noise is (the key audit's null).

    A model that decrypts to noise has every key bit "matter" trivially: a wrong key cannot
    do worse than the right one. Such an attempt is not a cipher and must not be chosen.
    """
    noise_mean, _ = noise_mse(images)
    return float(metrics.mse(images, decrypted).mean()) < noise_mean


def strongest(attempts: list[Attempt]) -> Attempt:
    """The attempt later chapters attack: one that decrypts, then the most key strength, then the best decryption.

    Key strength comes before fidelity because it is the property the papers claim and the
    audit checks; among attempts of equal strength the one that decrypts best is the
    fairest stand-in for the paper. An attempt whose right key decrypts no better than
    noise comes last whatever its audit says.
    """
    if not attempts:
        raise ValueError("strongest needs at least one attempt")
    return max(attempts, key=lambda a: (a.decrypts, a.audit.strength_bits, a.psnr))


def table(attempts: list[Attempt]) -> pd.DataFrame:
    """One row per attempt: what it changes, training time, decryption PSNR and the key audit's counts."""
    rows = [{"attempt": a.label, "what it changes": a.changes, "training (s)": round(a.cipher.history.seconds, 1),
             "decryption PSNR (dB)": formatting.number(a.psnr, 2),  # ∞ for exact decryption
             "key bits that matter": f"{a.audit.effective_bits} of {a.audit.claimed_bits}",
             "a bit off decrypts closer than noise": int((~a.audit.decrypts_like_noise).sum()),
             "a bit off leaves the encryption alike": int((~a.audit.encrypts_differently).sum())}
            for a in attempts]
    return pd.DataFrame(rows, columns=list(COLUMNS)).set_index("attempt")


#: The attempts chapters 3, 4 and 6 train, per cipher: label -> (what it changes, constructor options).
#: The first is the objective as first re-implemented from the papers; each later one adds one change, so
#: the table reads as an ablation. The ciphers' defaults are the last attempt's options.
KEY_ATTEMPTS: dict[str, dict[str, tuple[str, dict]]] = {
    "ae-keyed": {
        "as first built": ("key bits fed to the network; wrong-key margin 0.3",
                           {"key_schedule": "bits", "margin": 0.3, "wrong_key_weight": 0.5, "diversity_weight": 0.0}),
        "hashed key": ("the key hashed before the network",
                       {"key_schedule": "hashed", "margin": 0.3, "wrong_key_weight": 0.5, "diversity_weight": 0.0}),
        "+ noise margin": ("a key one bit off must decode as far as noise",
                           {"key_schedule": "hashed", "margin": "noise", "wrong_key_weight": 1.0,
                            "diversity_weight": 0.0}),
        "+ key diversity": ("and must encrypt every pixel differently",
                            {"key_schedule": "hashed", "margin": "noise", "wrong_key_weight": 1.0,
                             "diversity_weight": 10.0}),
    },
    "gan-keygen": {
        "as first built": ("seed bits fed to the generator; tanh output",
                           {"key_schedule": "bits", "diversity_weight": 0.0, "output": "tanh"}),
        "hashed key": ("the seed hashed before the generator",
                       {"key_schedule": "hashed", "diversity_weight": 0.0, "output": "tanh"}),
        "+ key diversity": ("key images of seeds one bit apart differ uniformly modulo 256",
                            {"key_schedule": "hashed", "diversity_weight": 10.0, "output": "tanh"}),
        "sawtooth output": ("hashed seed, no diversity term; the output wraps modulo 256 instead of tanh",
                            {"key_schedule": "hashed", "diversity_weight": 0.0, "output": "wrap"}),
    },
    "anc-alice-bob": {
        "as first built": ("Abadi and Andersen's loss; key bits fed to the networks",
                           {"key_schedule": "bits", "wrong_key_weight": 0.0, "diversity_weight": 0.0}),
        "hashed key": ("the key hashed before the networks",
                       {"key_schedule": "hashed", "wrong_key_weight": 0.0, "diversity_weight": 0.0}),
        "+ wrong-key term": ("Bob with a key one bit off must be as far as noise",
                             {"key_schedule": "hashed", "wrong_key_weight": 1.0, "diversity_weight": 0.0}),
        "+ key diversity": ("and Alice must encrypt every pixel differently",
                            {"key_schedule": "hashed", "wrong_key_weight": 1.0, "diversity_weight": 1.0}),
    },
}
