"""Sentences chosen or filled by computed values, kept here so that every branch is tested.

A sentence in the book that states a measured result is generated from the run; when its
wording depends on the values (an empty list, one item, many), the choice is made here.

One module per topic, not per chapter: ``statistics`` (the metric suite), ``training``
(learned ciphers), ``chaos``, ``attacks`` (attacks and their verdicts), ``learnable``
(learnable encryption), ``comparison``, ``dicom``, ``survey`` and ``common`` for what they
share. Everything is importable from ``medcrypt.book.prose`` itself, as the chapters call
it. Rules that decide a verdict live in :mod:`medcrypt.verdicts`, not here.
"""

from .common import *  # noqa: F401,F403
from .statistics import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403
from .chaos import *  # noqa: F401,F403
from .attacks import *  # noqa: F401,F403
from .learnable import *  # noqa: F401,F403
from .comparison import *  # noqa: F401,F403
from .dicom import *  # noqa: F401,F403
from .survey import *  # noqa: F401,F403
