"""``glue``: the chapters' one way to put a computed value into their prose."""

from __future__ import annotations

from ..results import plain


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
