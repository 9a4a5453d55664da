"""``medcrypt <command>`` and ``python -m medcrypt <command>``: ``evaluate`` (the whole protocol), ``check``
(the cipher contract alone, in seconds) or ``sweep`` (evaluate over a grid of cells, on Ray)."""

from __future__ import annotations

import sys

COMMANDS = ("evaluate", "check", "sweep")


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a command; an unknown one exits 2 with a line naming the known ones."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in COMMANDS:
        got = f"unknown command {argv[0]!r}" if argv else "no command given"
        print(f"medcrypt: error: {got}; usage: medcrypt evaluate --cipher module:Class --out DIR, or "
              "medcrypt check module:Class, or medcrypt sweep --cipher NAME ... --store DIR (--help after any for the options)", file=sys.stderr)
        return 2
    if argv[0] == "check":
        from .ciphers.checks import main as check

        return check(argv[1:])
    if argv[0] == "sweep":
        from .sweep import main as sweep

        return sweep(argv[1:])
    from .evaluate import main as evaluate

    return evaluate(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
