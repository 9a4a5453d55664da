"""Attacks that work on ciphers of the book through their public interface."""

from .chosen_plaintext import AttackFailed, EquivalentKey, chosen_plaintext_attack, probe_images

__all__ = ["AttackFailed", "EquivalentKey", "chosen_plaintext_attack", "probe_images"]
