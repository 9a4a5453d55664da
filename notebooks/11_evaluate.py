# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 11. Evaluate your own cipher
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/medcrypt-book/dl-medical-image-encryption/blob/main/notebooks/11_evaluate.ipynb)
#
# The chapters evaluate the ciphers of this book. This appendix is for the cipher of a
# paper you are writing or reviewing: one command runs the book's whole protocol on it,
# beside AES-CTR on the same images, and writes a report. The protocol is the book's:
# the conformance checks (round trip, `uint8` cipher images, a `ValueError` for bad input),
# the metric suite of chapter 1, every attack of chapter 8 with its verdicts, the key
# audit and the throughput. A cipher needs no registration and no edit to the book: a
# class with the attributes and methods of the `Cipher` contract is enough.

# %%
# Colab only: install the book's library. Locally, `make book` has installed it already.
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "git+https://github.com/medcrypt-book/dl-medical-image-encryption.git"], check=True)

# %% tags=["parameters", "hide-input"]
# Parameters: the `full` profile is these defaults; `python -m medcrypt.book` injects the `ci` ones.
profile = "full"  # chapter 8's attack sizes: "full" (the chapter's defaults) or "ci"
results_dir = "results"  # the report goes beside it, in ../evaluate-arnold-xor (not read by chapter 9)
weights_dir = "weights"  # unused: the example cipher has no weights
dataset = "pneumoniamnist"
size = 28
images = None  # test images for the attacks; None: the profile's
data_root = None

# %% tags=["remove-input"]
import time
from pathlib import Path

import pandas as pd
from IPython.display import display

from medcrypt import data, evaluate, plots, verdicts
from medcrypt.book import compare
from medcrypt.ciphers.plugins import load_class
from medcrypt.book.notebook import glue
from medcrypt.book.prose import arnold_readings, contract_sentence, evaluate_sentence

pd.set_option("display.max_colwidth", None)
report_dir = Path(results_dir).parent / "evaluate-arnold-xor"

# %% [markdown]
# ## 11.1 A cipher from outside the book
#
# Many papers build an image cipher from a chaotic permutation of the pixels followed by
# an XOR with a keystream. The example here does exactly that: the generalised Arnold cat
# map $(x, y) \mapsto (x + a y,\; b x + (ab + 1) y) \bmod N$ on an $N \times N$ image,
# iterated a number of times set by the key, then an XOR with a keystream seeded by the
# rest of the key. The three cells below write it to a file of its own, `arnold_xor.py`
# beside this notebook, which stands for a file in your repository: it is not part of the
# book's library, is registered nowhere and uses only the public helpers of the contract
# (`check_images`, `flip_key_bit`). A file rather than a class defined in the notebook,
# because the command line takes a file path, and this way the page evaluates exactly
# what the shell command of section 11.3 does (the book's tests run the same three cells).

# %%
# %%writefile arnold_xor.py
"""Arnold cat-map permutation, then an XOR keystream: a deterministic cipher as many papers build it."""
import numpy as np

from medcrypt.ciphers import check_images, flip_key_bit

class ArnoldXOR:
    """Key: byte 0 sets the iterations, bytes 1-2 the map's parameters, bytes 3-15 the keystream's seed."""
    name, family, lossless, key_bits = "arnold-xor", "baseline", True, 128

    def keygen(self, seed: int | None = None) -> bytes:
        return np.random.default_rng(seed).bytes(16)

    def flip_key_bit(self, key: bytes, bit: int) -> bytes:
        return flip_key_bit(key, bit)

# %%
# %%writefile -a arnold_xor.py

    def _schedule(self, key, shape):
        if not isinstance(key, (bytes, bytearray)) or len(key) != 16 or shape[0] != shape[1]:
            raise ValueError(f"{self.name}: needs a 16-byte key (keygen()) and square images; got {shape}")
        side, a, b = shape[0], key[1] % shape[0] or 1, key[2] % shape[0] or 1
        x, y = np.divmod(np.arange(side * side), side)
        for _ in range(1 + key[0] % 8):  # the cat map [[1, a], [b, ab + 1]]: determinant 1, a bijection
            x, y = (x + a * y) % side, (b * x + (a * b + 1) * y) % side
        permutation = np.empty(side * side, dtype=np.int64)
        permutation[x * side + y] = np.arange(side * side)  # cipher pixel x*side+y comes from this pixel
        stream = np.random.default_rng(int.from_bytes(key[3:], "big")).integers(0, 256, shape, dtype=np.uint8)
        return permutation, stream

# %%
# %%writefile -a arnold_xor.py

    def encrypt(self, images, key):
        images = check_images(images, self.name)
        permutation, stream = self._schedule(key, images.shape[1:])
        flat = images.reshape(len(images), -1, *images.shape[3:])
        return flat[:, permutation].reshape(images.shape) ^ stream

    def decrypt(self, cipher, key):
        cipher = check_images(np.asarray(cipher), self.name, argument="cipher")
        permutation, stream = self._schedule(key, cipher.shape[1:])
        flat, out = (cipher ^ stream).reshape(len(cipher), -1, *cipher.shape[3:]), np.empty_like(cipher)
        out.reshape(flat.shape)[:, permutation] = flat
        return out

# %% [markdown]
# The file is an ordinary Python module: loaded by path, as the command line loads it, it
# encrypts and decrypts a few test X-rays.

# %% tags=["remove-stderr"] mystnb={"figure": {"caption": "Test X-rays (top), their Arnold XOR cipher images (middle) and the decryptions (bottom).", "name": "fig-evaluate-arnold"}, "image": {"alt": "Three rows of six images: chest X-rays, noise-like cipher images, and the X-rays again."}}
arnold = load_class("arnold_xor.py:ArnoldXOR")()
key = arnold.keygen(seed=2026)
xrays = data.load(dataset, "test", size=size, root=data_root, limit=6).images
encrypted = arnold.encrypt(xrays, key)
fig = plots.image_grid({"plain": xrays, "arnold-xor": encrypted, "decrypted": arnold.decrypt(encrypted, key)}, n=6)

# %% [markdown]
# ## 11.2 The whole protocol, one call
#
# `medcrypt.evaluate.run` is the function the command line calls. It takes the class as
# `path/to/file.py:Class` (or `package.module:Class`), checks the contract, trains a
# learned cipher that comes without weights (one with a `fit` method) with its defaults,
# runs everything beside AES-CTR and writes `report.json` and a self-contained
# `report.html`. The table is the report card: one row per cipher, one column per attack.

# %% tags=["remove-stderr"]
start = time.perf_counter()
card = evaluate.run("arnold_xor.py:ArnoldXOR", profile=profile, dataset=dataset, size=size, images=images,
                    out=report_dir, data_root=data_root)
seconds = time.perf_counter() - start
cells = verdicts.cells_from_dicts(card["verdicts"])  # the verdicts as objects
compare.styled_verdicts(evaluate.summary_table(card), cells)

# %% tags=["remove-input"]
failed = {n: verdicts.failed_columns(cells, n) for n in cells}  # an n/a cell is not a FAIL
glue("evaluate_sentence", evaluate_sentence(
    card["cipher"], failed[card["cipher"]], len(verdicts.COLUMNS), card["reference"], failed[card["reference"]],
    [c for c, v in cells[card["cipher"]].items() if v.passed is None]))
mine = cells[card["cipher"]]
glue("readings", arnold_readings(*[(mine[c].passed, mine[c].figure)
                                   for c in ("IND-CPA", "known plaintext (best attack)", "key audit")]))
glue("n_images_shown", card["n_images"])
glue("profile_shown", card["profile"])
glue("eval_seconds", seconds)
glue("contract_sentence", contract_sentence(card["contract"]))

# %% [markdown]
# {glue:text}`evaluate_sentence` The run used {glue:text}`n_images_shown` test X-rays with
# the attack sizes of the {glue:text}`profile_shown` profile and took
# {glue:text}`eval_seconds:.0f` s. {glue:text}`readings` Good histograms and
# correlations, which such papers report, do not change any of these verdicts.
#
# The report also keeps the cipher's conformance checks (`medcrypt.ciphers.checks`) and
# the throughput of both ciphers. {glue:text}`contract_sentence`

# %%
display(evaluate.contract_table(card))
evaluate.throughput_table(card)

# %% [markdown]
# ## 11.3 The same from the shell
#
# Installing the book's library (`pip install` of this repository) installs the
# `medcrypt` command. In the folder where the cells above wrote `arnold_xor.py`, the run
# above is
#
# ```bash
# medcrypt evaluate --cipher arnold_xor.py:ArnoldXOR --profile ci --out report
# ```
#
# (`python -m medcrypt evaluate` does the same). Point `--cipher` at your own file and
# class; `--profile full` runs chapter 8's full sizes, `--dataset` and `--size` pick other
# MedMNIST images, `--images` the number of test images, and `--weights` a checkpoint for
# a learned cipher's `load` method. Open `report/report.html` in any browser, offline: it
# holds the report card, every table and the figures. The command exits with status 0
# when the protocol ran, whatever the verdicts, so that a script can read `report.json`;
# it exits with status 2 and one line naming the problem when the class cannot be
# loaded or fails a check that would make the results meaningless (a broken round trip,
# output that is not bytes per image); other failed checks are findings in the report.
# `medcrypt check arnold_xor.py:ArnoldXOR` runs the conformance checks alone. To have a
# cipher appear in chapters 8 and 9 as well,
# publish it as a plugin (the entry-point group `medcrypt.ciphers`, see the architecture
# page).
