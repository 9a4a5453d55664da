"""``python -m medcrypt.book``: the runner's command line (:func:`medcrypt.book.runner.main`)."""

import sys

from .runner import main

sys.exit(main())
