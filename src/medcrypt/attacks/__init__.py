"""Attacks that work on ciphers of the book through their public interface."""

from .chosen_plaintext import AttackFailed, EquivalentKey, chosen_plaintext_attack, chosen_plaintext_attacks, probe_images
from .integrity import bit_flip_attack
from .key_search import random_key_search
from .known_plaintext import AttackResult, known_plaintext_attack
from .leakage import diagnosis_leakage
from .sensitivity import sensitivity

__all__ = ["AttackFailed", "AttackResult", "EquivalentKey", "bit_flip_attack", "chosen_plaintext_attack",
           "chosen_plaintext_attacks", "diagnosis_leakage", "known_plaintext_attack", "probe_images",
           "random_key_search", "sensitivity"]
