"""The book's tooling, kept apart from the science library above it.

A reader of the library (data, ciphers, metrics, attacks, verdicts, ``medcrypt evaluate``)
needs none of this package; the book needs all of it:

- :mod:`.runner`: executes the chapters with papermill and builds the HTML
  (``python -m medcrypt.book``), with the ``ci`` and ``full`` profiles;
- :mod:`.prose`: the sentences a chapter chooses by its computed values, grouped by topic;
- :mod:`.notebook`: ``glue``, the chapters' one way to put a value into their prose;
- :mod:`.compare`: chapter 9's aggregation of every results file, and the tables as pages show them;
- :mod:`.literature`: the survey's literature base (``data/*.csv``) and its checks;
- :mod:`.proofread` and :mod:`.site`: the proofreading rules, the link, browser and Colab checks.

Nothing in the science library imports from here (``tests/test_layers.py``).
"""
