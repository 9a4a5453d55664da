"""The repository's root, defined once: the book's data tables, notebooks and build folder sit under it.

An installed copy of ``medcrypt`` outside a checkout has no such folders; only the book's
tooling and the offline data fallback read them.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
