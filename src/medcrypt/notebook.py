"""Small helpers that chapters call so that they stay prose."""

from __future__ import annotations

import numbers
import sys

import numpy as np


def in_colab() -> bool:
    return "google.colab" in sys.modules


def plain_number(value):
    """NumPy scalars as plain Python ``int``/``float``; anything else unchanged."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        return value
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def glue(name: str, value, display: bool = False) -> None:
    """Glue ``value`` for the book's prose (MyST-NB).

    NumPy scalars are turned into plain Python numbers first: under NumPy 2 their repr is
    ``np.float64(...)``, which ``{glue:text}`` cannot format. Outside a book build
    (Colab, plain Jupyter) where MyST-NB is not installed, it does nothing.
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, plain_number(value), display=display)
