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

# %% tags=["hide-input"]
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
from IPython.display import Markdown, display

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
# above, with the profile this page ran, is

# %% tags=["remove-input"]
display(Markdown(f"```bash\n{evaluate.shell_command('arnold_xor.py:ArnoldXOR', card['profile'])}\n```"))

# %% [markdown]
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

# %% [markdown]
# ## Exercises
#
# ```{exercise} Lab: your own cipher through the protocol
# :label: ex-evaluate-lab
#
# Write a file `my_xor.py` with a class `MyXOR` that follows the contract of section 11.1:
# the same `keygen` and `flip_key_bit` as `ArnoldXOR`, and `encrypt`/`decrypt` that XOR
# every image with one keystream drawn from `np.random.default_rng` seeded by the key (no
# permutation, no nonce). Before you run it, write down which columns of the report card
# you expect to FAIL, and which attack you expect to win the known-plaintext column with
# how many known images. Then run
# `medcrypt evaluate --cipher my_xor.py:MyXOR --profile ci --out report-mine` and compare.
# ```
#
# ```{solution} ex-evaluate-lab
# :class: dropdown
#
# Without a nonce every image is XORed with the same keystream, a many-time pad. Expect
# IND-CPA to FAIL (the repeat query), the known-plaintext column to FAIL to the algebraic
# attack after a known pair or two (plaintext XOR cipher image is the keystream itself),
# and the chosen-plaintext column to FAIL (an all-zero image returns the keystream itself).
# The bit-flip column FAILs too (XOR is malleable, nothing is authenticated), and so does
# the one-pixel test: changing one pixel changes one cipher pixel. The key audit can pass,
# since every key bit changes the seed and so the whole keystream: a strong key does not
# save a cipher that uses it this way. Compare your list with the card; a column you
# mispredicted is the one to reread in chapter 8.
# ```
#
# ```{exercise} A nonce for ArnoldXOR
# :label: ex-evaluate-nonce
#
# Suppose `ArnoldXOR` drew a fresh random nonce per image, seeded its keystream from the
# key and the nonce, and stored the nonce beside the cipher image. Which verdicts of the
# report card would you expect to change, and which would not? Why does the permutation
# no longer matter for the known-plaintext attack?
# ```
#
# ```{solution} ex-evaluate-nonce
# :class: dropdown
#
# With a fresh keystream per image the repeat-query adversary loses, and a known pair
# reveals only that image's keystream, so IND-CPA, the known-plaintext and the
# chosen-plaintext columns could pass, as they do for `chaos-hopfield-nonce` in chapter 8.
# The bit-flip column still FAILs: a nonce gives no integrity. The permutation adds nothing
# once the keystream is fresh; its whole security rests on the keystream generator, which
# here is NumPy's PCG64, a statistical generator, not a cryptographic one. Use AES-GCM.
# ```
#
# ```{exercise} How large is ArnoldXOR's key, really?
# :label: ex-evaluate-permutations
#
# `ArnoldXOR` claims 128 key bits, but its permutation uses only three key bytes, each
# reduced: `1 + key[0] % 8` iterations and `a`, `b` modulo the side (0 becoming 1). On
# 28×28 images, how many distinct pixel permutations can the key select? Predict first
# whether it is the number of (iterations, a, b) combinations, then enumerate the
# permutations (the cat map is in `_schedule`; compare the permutations, not the
# parameters). Check: `exercises.check("11_evaluate", 3, answer)` (after
# `from medcrypt import exercises`).
# ```
#
# ```{solution} ex-evaluate-permutations
# :class: dropdown
#
# Fewer than the combinations: the cat map is periodic, so different iteration counts and
# parameters often give the same permutation. `medcrypt.exercises.ch11.arnold_permutations(28)`
# enumerates them; its length is the answer. The permutation part of the key can thus be
# searched exhaustively in a moment, which is why the attacks of the report card never need
# to attack the permutation separately: the keystream, fixed for every image, falls to
# known plaintext, and the permutation is then read off the pairs.
# ```
#
# ```{exercise} Break it: an X-ray from two known pairs
# :label: ex-evaluate-break
#
# Under a key you do not see, ArnoldXOR has encrypted three X-rays. You get the first two
# with their cipher images and only the cipher image of the third:
# `task = exercises.challenge("11_evaluate", 4).give()` holds `known_plain`,
# `known_cipher` and `target_cipher`. Recover the third X-ray, bit for bit, without the
# key. Hint: XOR the two cipher images; what happens to the keystream? Then use your
# enumeration from {ref}`ex-evaluate-permutations`. Check:
# `exercises.check("11_evaluate", 4, answer)`.
# ```
#
# ```{solution} ex-evaluate-break
# :class: dropdown
#
# The keystream is the same for every image, so it cancels: the XOR of the two cipher
# images is the XOR of the two X-rays, moved by the key's permutation. Try each of the
# few permutations until one maps the plaintext XOR onto the cipher XOR; with it, the
# first pair gives the keystream (its cipher image XOR the moved X-ray), and the target
# is its cipher image XOR the keystream, moved back.
# `medcrypt.exercises.ch11.break_arnold(task)` is the reference solution, in a dozen
# lines. The 128-bit key never had to be found: two known images suffice here, and the
# report card's known-plaintext column, with a generic attack that knows nothing of the
# cat map, breaks the cipher too.
# ```
