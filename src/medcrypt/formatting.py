"""Every value the book's pages and ``medcrypt evaluate``'s report show, rendered one way.

A reader meets the same number in a chapter's table, in chapter 9 and in a report, so each
kind of value has one rendering here: a missing value (``–``), an infinity (``∞``, as for
lossless PSNR), fixed decimals, significant digits, a count, a share in percent, a p-value
and a duration. The book's proofreading (``medcrypt.book.proofread``) forbids what these
replace: ``nan``, ``None``, ``inf``, ``True`` and exponents such as ``3.1e-151``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

MISSING = "–"
#: Below this a p-value is shown as "< 0.0001": the tests' precision ends long before float's does.
SMALLEST_P_SHOWN = 1e-4


def is_missing(value) -> bool:
    """None, NaN or pandas' NA: a value that does not exist (a metric that does not apply), never a zero."""
    if value is None:
        return True
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral) and math.isnan(float(value))


def infinity(value: float) -> str | None:
    """``∞`` or ``−∞`` for an infinite value, None for a finite one."""
    if isinstance(value, numbers.Real) and math.isinf(float(value)):
        return "∞" if value > 0 else "−∞"
    return None


def number(value, digits: int, missing: str = MISSING) -> str:
    """Fixed ``digits`` decimals, ∞ for an infinite value, ``missing`` for a missing one."""
    if is_missing(value):
        return missing
    return infinity(value) or f"{float(value):.{digits}f}"


def significant(value: float, digits: int = 2) -> str:
    """``value`` to ``digits`` significant digits, without an exponent ('0.00045', '12')."""
    if value == 0:
        return "0"
    rounded = float(f"{value:.{digits}g}")
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded))))
    return f"{rounded:.{decimals}f}"


def count(value, missing: str = MISSING) -> str:
    """A whole number of things, without a decimal point."""
    return missing if is_missing(value) else str(int(value))


def percent(fraction, digits: int = 2, missing: str = MISSING) -> str:
    """A fraction in [0, 1] as a number of percent (the header says '%')."""
    return missing if is_missing(fraction) else number(100 * float(fraction), digits)


def p_value(p, missing: str = MISSING) -> str:
    """A p-value in the book's one style: three significant digits, '< 0.0001' below that."""
    if is_missing(p):
        return missing
    p = float(p)
    return "< 0.0001" if p < SMALLEST_P_SHOWN else f"{p:.3g}"


def duration(seconds: float) -> str:
    """A wall time as a reader reads it, two significant digits in a unit chosen by the value ('0.45 ms', '12 s')."""
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative; got {seconds}")
    if seconds == 0:
        return "0 s"
    for unit, scale, below in (("µs", 1e-6, 1e-5), ("ms", 1e-3, 1.0), ("s", 1.0, 120.0)):
        if seconds < below:
            return f"{significant(seconds / scale)} {unit}"
    return f"{significant(seconds / 60)} min"


def text(value, digits: int = 4, missing: str = MISSING) -> str:
    """Any table value as text: yes/no for a truth value, whole numbers without a decimal point, other numbers
    to ``digits`` significant digits without an exponent where that stays readable, ∞ and ``missing``."""
    if is_missing(value):
        return missing
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        if math.isinf(value):
            return infinity(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.{digits}g}"
    return str(value)


def cell(value, kind: str | int, missing: str = MISSING) -> str:
    """One table cell as a reader reads it.

    ``kind``: 'text'; 'count' (an integer); 'percent' (a fraction, shown in percent with
    two decimals; the header says '%'); 'db' (one decimal, ∞ for exact recovery); 'p'
    (:func:`p_value`); or a number of decimals.
    """
    if is_missing(value):
        return missing
    if kind == "text":
        return str(value)
    if kind == "count":
        return count(value)
    if kind == "percent":
        return percent(value)
    if kind == "db":
        return number(value, 1)
    if kind == "p":
        return p_value(value)
    return number(value, int(kind))


#: Words for the pieces of a results key, so that a table built from raw keys still has word headers.
HEADER_WORDS = {"p": "p", "db": "(dB)", "s": "(s)", "mb": "MB", "auc": "AUC", "npcr": "NPCR", "uaci": "UACI",
                "nist": "NIST", "chi2": "χ²", "psnr": "PSNR", "ssim": "SSIM", "cpa": "CPA", "ind": "IND",
                "kpa": "KPA", "aes": "AES", "gcm": "GCM", "ctr": "CTR", "iv": "IV", "n": "number of", "ms": "(ms)"}


def header(key: str) -> str:
    """A results key as a column header: ``encrypt_images_per_s`` -> 'encrypt images per s',
    ``auc_p_value`` -> 'AUC p-value'. A header already in words is returned as it is."""
    if "_" not in key:
        return HEADER_WORDS.get(key, key) if key in ("auc", "npcr", "uaci", "psnr", "ssim") else key
    words = key.replace("p_value", "p-value").split("_")
    shown = [HEADER_WORDS.get(w, w) for w in words]
    if shown[-1] == "(s)" and len(shown) > 2 and shown[-2] == "per":
        shown[-1] = "s"  # "images per s", not "images per (s)"
    return " ".join(shown)


def is_p_value_key(key: str) -> bool:
    """Whether a results key holds p-values (shown in the p-value style)."""
    return key.endswith(("p_value", "_p", "p_values")) or key.startswith("p_") or key == "p"


def reading(value, key: str = "") -> str:
    """Any value of a report's table, in the book's styles: p-values as :func:`p_value`, large numbers with
    thousands separators, others to four significant digits, never an exponent; lists item by item."""
    if isinstance(value, (list, tuple)):
        return ", ".join(reading(v, key) for v in value)
    if value in ("inf", "-inf"):  # strict JSON (results.plain(strict=True)) stores an infinity as text
        value = float(value)
    if is_p_value_key(key) and not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Real):
        return p_value(value)
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_, numbers.Integral)) \
            and not is_missing(value) and math.isfinite(float(value)):
        value = float(value)
        if value == 0 or value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}" if abs(value) >= 1e4 else str(int(value))
        if abs(value) >= 1e4:
            return f"{value:,.0f}"
        if abs(value) < SMALLEST_P_SHOWN:
            return "≈ 0"
        return significant(value, 4)
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        return f"{int(value):,}" if abs(int(value)) >= 1e4 else str(int(value))
    return text(value)
