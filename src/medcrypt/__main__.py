"""``medcrypt <command>`` and ``python -m medcrypt <command>``: ``evaluate`` (the whole protocol) or ``check``
(the cipher contract alone, in seconds)."""

from __future__ import annotations

import sys

COMMANDS = ("evaluate", "check")


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a command; an unknown one exits 2 with a line naming the known ones."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in COMMANDS:
        got = f"unknown command {argv[0]!r}" if argv else "no command given"
        print(f"medcrypt: error: {got}; usage: medcrypt evaluate --cipher module:Class --out DIR, or "
              "medcrypt check module:Class (--help after either for the options)", file=sys.stderr)
        return 2
    if argv[0] == "check":
        from .ciphers.checks import main as check

        return check(argv[1:])
    from .evaluate import main as evaluate

    return evaluate(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
