"""medcrypt: the library behind *Deep Learning for Medical Image Encryption: a Reproducible Survey*.

Chapters import it so that they read like prose: :mod:`medcrypt.data` loads MedMNIST,
:mod:`medcrypt.ciphers` holds every cipher behind one contract, :mod:`medcrypt.families`
lists the families they belong to, :mod:`medcrypt.metrics` is the common metric suite (it
needs no torch), :mod:`medcrypt.results` and :mod:`medcrypt.plots` make the
live tables and figures, and :mod:`medcrypt.book` executes and builds the book.

Research code. Never protect patient data with a research cipher from this package;
use a vetted, authenticated cipher such as AES-GCM from a maintained library.
"""

__version__ = "0.1.0"
