"""The from-scratch cells of the chapters, run outside the notebook so tests can compare them with the library.

A chapter shows the core of a method as a short visible cell tagged ``from-scratch``
(jupytext: ``# %% tags=["from-scratch"]``) that defines functions; the chapter then uses
the library's version. ``scratch(chapter)`` executes that chapter's tagged cells, in
order, in a namespace that holds ``np``, ``torch`` and ``math`` (the notebooks import
them before), and returns the namespace; ``tests/test_scratch_<chapter>.py`` compares
each function with the library on data.
"""

from __future__ import annotations

import ast
import math
from functools import cache

import jupytext
import numpy as np
import torch

from medcrypt.paths import REPO_ROOT

TAG = "from-scratch"


def scratch_cells(chapter: str) -> list[str]:
    """The sources of ``chapter``'s cells tagged ``from-scratch``, in order."""
    notebook = jupytext.read(REPO_ROOT / "notebooks" / f"{chapter}.py")
    return [c.source for c in notebook.cells
            if c.cell_type == "code" and TAG in c.metadata.get("tags", [])]


def defined_functions(source: str) -> list[str]:
    return [node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]


@cache
def scratch(chapter: str) -> dict:
    namespace = {"np": np, "torch": torch, "math": math}
    for source in scratch_cells(chapter):
        exec(compile(source, f"<{chapter} from-scratch cell>", "exec"), namespace)
    return namespace
