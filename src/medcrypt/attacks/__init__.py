"""Attacks that work on ciphers of the book through their public interface."""

from .chosen_plaintext import AttackFailed, EquivalentKey, chosen_plaintext_attack, probe_images
from .known_plaintext import AttackResult, known_plaintext_attack
from .leakage import diagnosis_leakage
from .sensitivity import sensitivity

__all__ = ["AttackFailed", "AttackResult", "EquivalentKey", "chosen_plaintext_attack", "diagnosis_leakage",
           "known_plaintext_attack", "probe_images", "sensitivity"]
