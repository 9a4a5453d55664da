"""Sentences chosen or filled by computed values, kept here so that every branch is tested.

A sentence in the book that states a measured result is generated from the run; when its
wording depends on the values (an empty list, one item, many), the choice is made here.

One module per chapter or pair of chapters (``ch01_02`` ... ``ch10``) and ``common`` for what they
share; everything is importable from ``medcrypt.prose`` itself, as the chapters call it.
"""

from .common import *  # noqa: F401,F403
from .ch01_02 import *  # noqa: F401,F403
from .ch03_04 import *  # noqa: F401,F403
from .ch05_06 import *  # noqa: F401,F403
from .ch07 import *  # noqa: F401,F403
from .ch08_09 import *  # noqa: F401,F403
from .survey import *  # noqa: F401,F403
from .ch10 import *  # noqa: F401,F403
