"""Small helpers that chapters call so that they stay prose."""

from __future__ import annotations

import numbers

import numpy as np


def plain(value):
    """``value`` with every NumPy scalar or array turned into plain Python numbers and lists.

    The one converter for both uses: ``{glue:text}`` cannot format a NumPy 2 scalar (its repr is
    ``np.float64(...)``) and :mod:`json` cannot write one. Dict keys become strings, tuples
    stay tuples (JSON writes them as lists), anything else is returned unchanged.
    """
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        return value
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def glue(name: str, value, display: bool = False) -> None:
    """Glue ``value`` for the book's prose (MyST-NB).

    NumPy values are turned into plain Python ones first (:func:`plain`). Outside a book build
    (Colab, plain Jupyter) where MyST-NB is not installed, it does nothing.
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, plain(value), display=display)
