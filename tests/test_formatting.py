"""The one formatting module: every value a page or a report shows is rendered by ``medcrypt.formatting``."""

import ast
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from medcrypt import formatting

SRC = Path(__file__).resolve().parents[1] / "src" / "medcrypt"


@pytest.mark.parametrize("value", [None, float("nan"), np.float32("nan"), pd.NA])
def test_missing_values_are_one_dash(value):
    assert formatting.is_missing(value)
    assert formatting.number(value, 2) == formatting.text(value) == formatting.p_value(value) == "–"


@pytest.mark.parametrize("value", [0, 0.0, False, "x", np.int64(3)])
def test_present_values_are_not_missing(value):
    assert not formatting.is_missing(value)


def test_numbers_infinities_and_counts():
    assert formatting.number(float("inf"), 2) == "∞" and formatting.number(-np.inf, 2) == "−∞"
    assert formatting.number(0.0005542, 4) == "0.0006" and formatting.number(np.float64(1.25), 1) == "1.2"
    assert formatting.count(6.0) == "6" and formatting.percent(0.995861) == "99.59"
    assert [formatting.text(v) for v in (True, np.bool_(False), 7, 12.0, 0.123456, float("inf"), "text")] == \
        ["yes", "no", "7", "12", "0.1235", "∞", "text"]


def test_one_p_value_style_for_the_book():
    assert [formatting.p_value(p) for p in (0.981, 0.0123456, 4e-5, 0.0, np.float64(0.5), 1.41e-241)] == \
        ["0.981", "0.0123", "< 0.0001", "< 0.0001", "0.5", "< 0.0001"]


@pytest.mark.parametrize("seconds, shown", [(0, "0 s"), (4.2e-6, "4.2 µs"), (4.44e-4, "0.44 ms"), (0.0004, "0.40 ms"),
                                            (0.001, "1.0 ms"), (0.0123, "12 ms"), (0.456, "460 ms"), (1.26, "1.3 s"),
                                            (45.3, "45 s"), (95.2, "95 s"), (119.0, "120 s"), (150, "2.5 min"),
                                            (3600, "60 min")])
def test_duration_chooses_the_unit_by_value(seconds, shown):
    assert formatting.duration(seconds) == shown


def test_duration_rejects_a_negative_time():
    with pytest.raises(ValueError, match="negative"):
        formatting.duration(-1)


@pytest.mark.parametrize("value, kind, text", [
    (None, "count", "–"), ("x", "text", "x"), (6.0, "count", "6"), (0.995861, "percent", "99.59"),
    (float("inf"), "db", "∞"), (3.26, "db", "3.3"), (2e-9, "p", "< 0.0001"), (129.0, 0, "129")])
def test_cell(value, kind, text):
    assert formatting.cell(value, kind) == text


def test_no_other_module_renders_infinity_or_missing_values_itself():
    """The ∞ and – literals and NaN checks live in ``formatting`` alone; a second copy is how styles drift."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "formatting.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in ("∞", "−∞", "–"):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {node.value!r}")
    assert not offenders, "render these with medcrypt.formatting: " + ", ".join(offenders)
