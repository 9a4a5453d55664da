"""Chapter 08's checked exercises and "break it" challenges."""

from __future__ import annotations

ITEMS: tuple = ()
