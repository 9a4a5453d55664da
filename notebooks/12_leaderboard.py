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
# # 12. The leaderboard
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/medcrypt-book/dl-medical-image-encryption/blob/main/notebooks/12_leaderboard.ipynb)
#
# Chapter 11 judges one cipher on one dataset at one size. A paper's table needs its
# cipher, and the baselines, on several datasets, at several sizes and over seeds: hundreds
# of runs of the same protocol. `medcrypt sweep` runs that grid on
# [Ray](https://docs.ray.io/), an existing distributed engine {cite}`moritz2018ray`, and
# appends every finished cell to a results store. This page is built from that store. Every
# row can be rerun with the one command printed beside it.

# %% tags=["hide-input"]
# Colab only: install the book's library. Locally, `make book` has installed it already.
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "git+https://github.com/medcrypt-book/dl-medical-image-encryption.git"], check=True)

# %% tags=["parameters", "hide-input"]
# Parameters: the page reads a results store; it runs no cell itself (the sweep that filled it is in the text).
profile = "full"  # unused: the store records each cell's own profile
results_dir = "results"  # unused: the page reads the store
weights_dir = "weights"  # unused
store = None  # a medcrypt sweep store; None: the book's, data/leaderboard
timing_store = None  # the 64×64 timing sweep; None: data/sweep-timing

# %% tags=["remove-input"]
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from medcrypt import leaderboard, plots
from medcrypt.book import compare
from medcrypt.store import verdict_columns as store_columns
from medcrypt.book.notebook import glue
from medcrypt.book.prose import leaderboard_sentences

pd.set_option("display.max_colwidth", None)
store = Path(store) if store else leaderboard.default_store()
cells = leaderboard.read(store)
table = leaderboard.table(cells, store="rerun")

# %% [markdown]
# ## 12.1 A cell, a row, a verdict
#
# A **cell** is one run of `medcrypt evaluate` (chapter 11): one cipher, one dataset, one
# image size, one seed and one profile of attack sizes, with AES-CTR beside it on the same
# images. The seed fixes what can be fixed: the training of a learned cipher, its key, the
# images drawn, the attacks' coins. It never fixes a nonce, so two runs of the same cell
# draw different nonces and can differ by chance, within the error rates of the tests.
#
# A **row** of the leaderboard gathers the seeds of one cipher on one dataset at one size.
# Each verdict column keeps the worst seed: a column that one seed FAILs is FAIL for the
# row ("FAIL in 1 of 3 seeds"), because a verdict comes from the strongest attack seen to
# win. A column that no attack applied to is n/a, and n/a is never a pass. The result
# column says what was shown and no more: "no adversary in the battery won" only when every
# column of every seed passed, which is not a proof of security.
#
# The store keeps, for each cell, its keys, every verdict and figure of its report (the
# whole report as JSON as well), the package versions, the git commit, the device and the
# wall time. It is a folder of Parquet files, one per cell, so that `pandas.read_parquet`
# reads it without this library; `medcrypt.store` explains why one file per cell means
# that nothing is lost and nothing is counted twice. A row keeps the version and commit
# that produced it. A sweep skips a finished cell whatever version finished it, so after a
# release that changes the protocol, the book's store is swept again into a fresh folder,
# which then replaces it.

# %% tags=["remove-input"]
sentences = leaderboard_sentences(cells, table)
for name, value in sentences.items():
    glue(name, value)

# %% [markdown]
# ## 12.2 The book's ciphers on the offline datasets
#
# {glue:text}`lb_scope` {glue:text}`lb_won` {glue:text}`lb_reference`

# %% tags=["remove-input"] mystnb={"figure": {"caption": "The leaderboard at a glance: each cipher's verdict columns on each dataset, over its seeds. Red: an attack won on every seed; orange: on some seeds; grey: no attack applied, or the cell did not run, on some seed, which is not a pass; white: it ran on no seed; blue: every seed passed.", "name": "fig-leaderboard-grid"}, "image": {"alt": "Two grids of coloured cells, one per dataset: ciphers as rows, the nine verdict columns as columns."}}
if not table.empty:  # an empty store: the sentences above say so
    fig = plots.verdict_grid(table, [c.removeprefix("verdict: ") for c in store_columns()])

# %% [markdown]
# The table gives each row in full; the commands that rerun the rows follow it.

# %% tags=["remove-input"]
verdict_table = leaderboard.shown(table)
display(verdict_table.style.map(lambda v: compare.FAIL_STYLE if str(v).startswith("FAIL") else ""))

# %% [markdown]
# Each row's command reruns exactly its cells into a fresh store, `rerun`, at the version
# and commit shown in the row (check them out first). The commands of the table above:

# %% tags=["remove-input"]
display(Markdown(leaderboard.commands_markdown(table)))

# %% [markdown]
# ## 12.3 What a cell costs
#
# The wall time of every finished cell is in the store. Per cipher, on this page's run:

# %% tags=["remove-input"]
display(leaderboard.shown_times(leaderboard.cell_times(cells)))

# %% [markdown]
# {glue:text}`lb_times` A cell runs the same `evaluate` as chapter 11. Ray adds its own
# start-up and one Python process per worker, which imports the library once and then runs
# cell after cell; `make bench-sweep` measures that overhead against the same cells run in
# one process.
#
# **The full grid.** The book's ciphers on all twelve 2D MedMNIST datasets, at the four
# sizes (28, 64, 128 and 224 pixels) and over three seeds: {glue:text}`lb_grid`

# %% tags=["remove-input"]
timing = Path(timing_store) if timing_store else leaderboard.default_store().parent / "sweep-timing"
estimate = leaderboard.estimate_from_stores(cells, leaderboard.read(timing))
display(leaderboard.shown_estimate(estimate))
glue("lb_estimate", leaderboard.estimate_sentence(estimate))

# %% [markdown]
# {glue:text}`lb_estimate` The times at 64×64 come from one sweep of every cipher, seed 1, on
# BreastMNIST's 28×28 images enlarged to 64×64 by pixel repetition (`data/sweep-timing`),
# since the offline copies of this book's machines hold 28×28 images only; only its times
# are read, never its verdicts.
#
# ## 12.4 Beyond one machine
#
# The sweep runs anywhere Ray runs. On one machine it starts a local Ray instance with one
# worker per core (`--workers` sets fewer). On a cluster, start Ray first and point the
# sweep at it with `--address auto` from the head node. Two common ways:
#
# - **A cloud cluster with `ray up`.** A cluster file names the head and worker machines
#   ([the cluster launcher's documentation](https://docs.ray.io/en/latest/cluster/vms/getting-started.html));
#   `ray up cluster.yaml` starts it, and
#   `ray exec cluster.yaml "medcrypt sweep --registered --dataset ... --store store --address auto"`
#   runs the sweep on the head node. Install the book's requirements on every node
#   (the cluster file's `setup_commands`).
# - **SLURM.** In one batch job, `ray start --head` on the first node and
#   `ray start --address <head>:6379` on the others (through `srun`), then
#   `medcrypt sweep ... --address auto` ([Ray on SLURM](https://docs.ray.io/en/latest/cluster/vms/user-guides/community/slurm.html)).
#
# A learned cipher's cell asks Ray for one GPU whenever the cluster has GPUs, so those
# cells go to GPU nodes and the others fill the CPU cores. The store must be on a disk the
# head node writes; the workers never write it (they return each row to the sweep, which
# appends it), so a worker that dies cannot leave a broken file. Ray retries a cell whose
# worker dies (`--retries`, default 1), and a cell that dies every time, or raises, is
# recorded as failed with its error. A rerun of the same command skips every finished
# cell and tries the failed ones again, so a sweep interrupted after a day resumes where
# it stopped.
#
# ## 12.5 Putting your cipher on the leaderboard
#
# No edit to the book is needed. Publish the cipher as a package that declares it in the
# entry-point group `medcrypt.ciphers` (chapter 11 and the architecture page show how),
# install it beside the book, and sweep it into the book's store:
#
# ```bash
# pip install -e path/to/your-package
# medcrypt sweep --cipher your-cipher --dataset pneumoniamnist breastmnist --size 28 \
#     --seed 1 2 3 --profile ci --store data/leaderboard
# make book
# ```
#
# The sweep skips the cells already in the store and adds yours; the rebuilt page shows
# your rows beside the book's ones. `--cipher path/to/file.py:Class` works too, without a
# package, and `--registered` sweeps every registered cipher, plugins included.
#
# None of the ciphers above, and none that joins them, should protect patient data on the
# strength of this table: a row that no adversary won is a row that this battery of
# attacks did not break, on these images, at these sizes.

# %% [markdown]
# ## Exercises
#
# ```{exercise} Reading a row
# :label: ex-leaderboard-row
#
# A cipher's row reads "FAIL in 1 of 3 seeds" in the IND-CPA column and "pass" everywhere
# else. A colleague says that two seeds out of three passed, so the cipher is "mostly
# secure". What would you answer? Which adversary of chapter 8 would you look up in the
# store, and where (which column of which cell)?
# ```
#
# ```{solution} ex-leaderboard-row
# :class: dropdown
#
# One winning adversary is enough: IND-CPA asks that no efficient adversary wins, and a
# seed on which one won significantly (at the table's Bonferroni level) shows an attack
# that works. The other seeds only show that the attack did not win there, perhaps by
# chance. The cell's `verdicts_json` holds the figure and the adversary that decided
# (`reason`), and `report_json` holds the whole IND-CPA table of that cell. Before
# concluding, compare the reference AES-CTR's columns in the same cell
# (`reference_broken_by`): a FAIL of the reference in the same column would point to a
# false FAIL, which the table's level allows with a small probability.
# ```
#
# ```{exercise} The price of the worst seed
# :label: ex-leaderboard-worst-seed
#
# Each cell's table is built so that an ideal cipher shows a false FAIL somewhere with
# probability at most α (Bonferroni, {prf:ref}`def-advantage` and chapter 8). A row
# gathers three seeds and fails when any seed fails. At most how often does an ideal
# cipher's row show a false FAIL? Why does the book accept that rather than count a
# column as FAIL only when two seeds of three fail?
# ```
#
# ```{solution} ex-leaderboard-worst-seed
# :class: dropdown
#
# At most 3α by the union bound (three tables, each with probability at most α). A
# majority rule would halve that, but it would let a cipher pass a column that an attack
# won on one seed; an attack that wins sometimes, such as one that needs a lucky pair of
# images, is still an attack. The book prefers an honest false FAIL, which a rerun
# resolves, to a false pass, which nobody reruns. The reference AES-CTR in every cell
# shows how often false FAILs happen in practice (section 12.2).
# ```
#
# ```{exercise} Lab: your cipher on the leaderboard
# :label: ex-leaderboard-lab
#
# Turn the `MyXOR` class of chapter 11's lab into a package with an entry point in the
# group `medcrypt.ciphers`, install it, and sweep it on BreastMNIST at 28×28 over two
# seeds into a copy of the book's store (`cp -r data/leaderboard my-store`). Build the
# leaderboard table from `my-store` with `medcrypt.leaderboard.table` and find your row.
# Then rerun its `reproduce` command and compare the two stores' verdicts.
# ```
#
# ```{solution} ex-leaderboard-lab
# :class: dropdown
#
# The package needs a module with the class and, in its `pyproject.toml`, a table
# `[project.entry-points."medcrypt.ciphers"]` mapping a name to `module:MyXOR`; after
# `pip install -e .` the name appears in `medcrypt.ciphers.available()`. The sweep adds
# two cells; the table shows one row for your cipher, FAIL in IND-CPA, known and chosen
# plaintext, bit flip and one pixel. The rerun draws fresh coins for the nonces, and for
# the attacks only where a seed does not fix them, yet a cipher this broken FAILs the
# same columns every time: its attacks win by a wide margin. A column decided near the
# significance level can differ between runs; that is what the seeds column is for.
# ```
