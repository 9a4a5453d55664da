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
# # 8. The comparison
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/medcrypt-book/dl-medical-image-encryption/blob/main/notebooks/08_comparison.ipynb)
#
# The usual survey of this field ends with one large table of the values that papers
# report. This chapter has that table, and shows why it cannot rank the methods: papers
# report different metrics, on different images, at different sizes, and most values are
# not visible at all outside the papers' result tables. It then sets beside it the
# table such a survey cannot make, every cipher of this book measured by one protocol on
# the same images, attacked by the same attacks, and ends with what a practitioner
# should do today.

# %%
# Colab only: install the book's library. Locally, `make book` has installed it already.
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "git+https://github.com/medcrypt-book/dl-medical-image-encryption.git"], check=True)

# %% tags=["parameters"]
# Parameters: this chapter only reads the other chapters' results.
profile = "full"
results_dir = "results"  # where chapters 1-7 wrote their results JSON
dataset = "pneumoniamnist"

# %% tags=["hide-input"]
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from medcrypt import compare, literature, metrics, plots, prose, verdicts
from medcrypt.notebook import glue

chapter_start = time.perf_counter()
plt.rcParams["figure.dpi"] = 110
papers, values, bib = literature.load_papers(), literature.load(), literature.bib_entries()
payloads, missing = compare.load_chapters(results_dir)
frame = compare.measured(payloads)
board = compare.leaderboard(frame)
attacks = compare.attack_summary(payloads)
glue("missing_chapters", ", ".join(missing) if missing else "none")
glue("n_chapters_found", len(payloads))
print("results found:", sorted(payloads), "| missing:", missing or "none")

# %% [markdown]
# Results were found for {glue:text}`n_chapters_found` chapters; missing:
# {glue:text}`missing_chapters`. A missing chapter's ciphers are simply absent from the
# tables below; run it (or `make book`) to fill them in.
#
# ## 8.1 What the literature reports
#
# `data/papers.csv` lists the papers of the four families that we could read, and
# `data/literature.csv` holds one row per paper and reported value, with where in the
# source the value stands. A value is entered only if we saw it; a metric that a paper
# reports but whose value we could not see is entered without a value.

# %%
n = literature.counts(papers, values)
for key, value in n.items():
    glue(f"lit_{key}", value)
glue("lit_families", papers["family"].nunique())
problems = literature.validate(papers, values, bib)
glue("lit_problems", len(problems))


def styled(table: pd.DataFrame, caption: str):
    """Citation keys as links to the DOI, arXiv or source page."""
    def as_link(key):
        target = literature.link(bib.get(key, ""))
        return f'<a href="{target}">{key}</a>' if target else key

    return (table.style.format({"source": as_link}).set_properties(**{"text-align": "left"})
            .set_caption(f"<b>{caption}</b>"))


titles = {"gan": "GAN-based methods", "autoencoder": "Autoencoders and VAEs", "invertible": "Invertible networks",
          "feedforward": "Feed-forward and chaotic neural networks"}
for family, title in titles.items():
    display(styled(literature.review_table(family), title))

# %% [markdown]
# Across {glue:text}`lit_papers` papers in {glue:text}`lit_families` families, the grid of
# paper × standard metric (entropy, NPCR, UACI, horizontal correlation, PSNR, SSIM) has
# {glue:text}`lit_cells` cells. We saw a value in {glue:text}`lit_value_seen` of them; in
# {glue:text}`lit_reported_not_seen` more the paper reports the metric but we could not
# see the value; for {glue:text}`lit_not_found` we found no report at all. Counting
# every kind of reported quantity, {glue:text}`lit_values_verified` values are verified,
# nearly all from abstracts. The validation of the two tables found
# {glue:text}`lit_problems` problems.
#
# ## 8.2 Which paper reports which metric
#
# A comparison across papers needs them to report the same metrics. They do not:

# %%
grid = literature.coverage(papers, values)
fig, ax = plt.subplots(figsize=(9, 0.3 * len(grid) + 2))
colours = plt.matplotlib.colors.ListedColormap(["#f0f0f0", "#9ecae1", "#08519c"])
ax.imshow(grid.to_numpy(), cmap=colours, vmin=0, vmax=2, aspect="auto")
ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=30, ha="right")
ax.set_yticks(range(len(grid)), [name if len(name) <= 45 else name[:44] + "…" for name in grid.index], fontsize=7)
handles = [plt.matplotlib.patches.Patch(color=c, label=t) for c, t in
           zip(colours.colors, ["not seen reported", "reported, value not seen", "value seen"])]
ax.legend(handles=handles, bbox_to_anchor=(0.5, -0.12), loc="upper center", ncol=3, fontsize="small")
ax.set_title("Standard metrics reported by each paper")
fig.subplots_adjust(left=0.42, right=0.98, bottom=0.16, top=0.95)
per_metric = (grid > 0).sum()
glue("most_reported_metric", per_metric.idxmax())
glue("most_reported_count", int(per_metric.max()))
glue("papers_with_any_value", int((grid == 2).any(axis=1).sum()))
glue("comparable_groups", len(literature.comparable_groups(values)))

# %% [markdown]
# The most often reported metric, {glue:text}`most_reported_metric`, appears for
# {glue:text}`most_reported_count` of {glue:text}`lit_papers` papers; only
# {glue:text}`papers_with_any_value` papers have a standard metric value we could read.
# The number of metric–dataset–size combinations for which two or more papers give a value
# we could read is {glue:text}`comparable_groups`: the reported numbers cannot rank the
# methods against each other.
#
# ## 8.3 The measured leaderboard
#
# Every cipher of chapters 1 to 6, measured by the common suite of chapter 1, at 28×28,
# on the MedMNIST test images. Where a cipher was measured in several chapters (AES-CTR,
# the reference, appears in all of them) the run on the most images is shown. Lossless
# ciphers decrypt with infinite PSNR, shown as ∞.

# %%
def show_board(table: pd.DataFrame, caption: str):
    digits = {c: ("{:.2f}" if "%" in c or "dB" in c or "MB/s" in c else "{:.4f}") for c in table.columns
              if table[c].dtype.kind == "f"}
    digits.update({"χ² p": "{:.3g}", "SSIM": "{:.3f}"})
    return table.style.format({c: (lambda f: lambda v: "∞" if np.isinf(v) else f.format(v))(f)
                               for c, f in digits.items() if c in table}, na_rep="–").set_caption(f"<b>{caption}</b>")


for name in sorted(board.index.get_level_values(0).unique()) if not board.empty else []:
    display(show_board(board.loc[name].drop(columns=["n_images"]), f"Measured on {name} (test split, 28×28)"))
glue("n_measured", int(board.index.get_level_values(1).nunique()) if not board.empty else 0)
profiles = sorted({p["metadata"].get("profile") for p in payloads.values()})
devices = sorted({p["metadata"].get("device") for p in payloads.values()})
glue("profiles", ", ".join(map(str, profiles)) or "none")
glue("devices", "; ".join(map(str, devices)) or "none")

# %% [markdown]
# {glue:text}`n_measured` ciphers were measured, in the {glue:text}`profiles` profile,
# on {glue:text}`devices`.

# %% [markdown]
# ## 8.4 Reported and measured, side by side
#
# Where a paper reports a standard metric with a visible value, here it is beside what we
# measured for our ciphers of the same family and for AES-CTR. The rows are not a
# contest: the papers' images, sizes and hardware differ from ours. One caveat is
# quantitative. Entropy depends on the number of pixels: a perfectly random 28×28 image
# has an expected entropy of {glue:text}`expected_entropy_28:.4f` bits, not 8
# {cite}`wu2013entropy`, and the expectation approaches 8 only for large images. Our
# AES-CTR reaches {glue:text}`aes_entropy_ours:.4f` bits at 28×28; an entropy printed
# without its image size, as in every row below, cannot be set against it directly.

# %%
side = compare.beside_literature(values, papers, frame, dataset=dataset)
glue("expected_entropy_28", metrics.expected_entropy(28 * 28))
aes_rows = frame[(frame["cipher"] == "aes-ctr") & (frame["dataset"] == dataset)] if not frame.empty else frame
glue("aes_entropy_ours", float(aes_rows["entropy_per_image"].iloc[-1]) if len(aes_rows) else float("nan"))
side = side.set_index("paper")
side.style.format({c: (lambda v: "∞" if np.isinf(v) else ("–" if np.isnan(v) else f"{v:.4g}"))
                   for c in side.columns if side[c].dtype.kind == "f"})

# %% [markdown]
# ## 8.5 Security against fidelity, and against speed
#
# One point per cipher on the chest X-rays. Security is chapter 7's verdict: how many
# of its {glue:text}`n_attack_columns` attacks the cipher survived, with the ciphers that
# survived all of them ringed. A statistic such as the one-pixel NPCR cannot serve here:
# any scheme with a fresh nonce passes it, secure or not (chapter 1). Fidelity is the
# PSNR of decryption, with lossless ciphers drawn at the right (∞); speed is the
# encryption rate on the machine that ran the chapters.

# %%
attack_results = compare.attack_rows(payloads)
points = compare.security_fidelity(board, attack_results, dataset=dataset)
glue("n_attack_columns", len(verdicts.COLUMNS))
family_colours = {"baseline": "tab:grey", "gan": "tab:red", "autoencoder": "tab:blue", "invertible": "tab:green",
                  "feedforward": "tab:purple"}
fig = plots.security_scatter(points, family_colours, n_attacks=len(verdicts.COLUMNS))

# %% tags=["remove-input"]
survivors = points[points["passed_all"]] if not points.empty else points
glue("survivors", prose.names(list(survivors["cipher"])))
glue("survivors_lossless", prose.names(list(survivors[survivors["lossless"]]["cipher"])))

# %% [markdown]
# The ciphers that survived every attack are {glue:text}`survivors`; of them, these
# decrypt exactly: {glue:text}`survivors_lossless`. Everything else sits lower on the
# security axis however well it decrypts or however fast it runs.
#
# ## 8.6 The attacks
#
# Chapter 7's summary, with the key bits each cipher claims beside those its key audit
# measured.

# %%
if attacks is None:
    glue("attack_status", "Chapter 7 has not run, so there is no attack summary.")
    attack_table = pd.DataFrame()
else:
    glue("attack_status", f"Chapter 7 attacked {len(attacks)} ciphers.")
    attack_table = attacks
attack_table

# %% [markdown]
# {glue:text}`attack_status` {glue:text}`gcm_note`

# %% tags=["remove-input"]
passed = compare.passed_every_attack(attacks).to_dict()
learned_names = [n for n in attack_results.index if attack_results.loc[n, "learned"]]
glue("learned_attacked", len(learned_names))
glue("learned_passing", prose.names([n for n in learned_names if passed.get(n)]))
glue("learned_failing", sum(not passed.get(n, False) for n in learned_names))
glue("gcm_note", prose.gcm_note(passed.get("aes-gcm"), attacks.loc["aes-gcm"] if attacks is not None and
                                "aes-gcm" in attacks.index else None))
glue("gcm_clause", prose.gcm_clause(passed.get("aes-gcm")))
glue("weights_only", prose.names([n for n in learned_names if attack_results.loc[n, "key_bits"] == 0]))
cpa = payloads.get("02_baselines", {}).get("metadata", {}).get("attack", {})
glue("cpa_images", cpa.get("chosen_images", "–"))
hop = payloads.get("06_feedforward", {}).get("metadata", {}).get("attack", {})
glue("cpa_hopfield_images", hop.get("chosen_images", "–"))
known = {name: n for name, n in compare.known_images_needed(payloads).items() if name.startswith("chaos-")}
glue("chaos_known_images", prose.names([f"{n} for {name}" for name, n in known.items()], empty="not run"))
lossy = points[~points["lossless"]] if not points.empty else points
glue("best_lossy_psnr", float(lossy["psnr_capped"].max()) if len(lossy) else float("nan"))
glue("best_lossy_name", lossy.loc[lossy["psnr_capped"].idxmax(), "cipher"] if len(lossy) else "–")

# %% [markdown]
# ## 8.7 Conclusions
#
# **Open problems.**
#
# - *Comparable reporting.* Only {glue:text}`papers_with_any_value` of
#   {glue:text}`lit_papers` papers have a standard metric value we could read, and
#   {glue:text}`comparable_groups` metric–dataset–size combinations are shared by two
#   papers. The field needs shared benchmarks with released
#   code, as this book attempts at small scale.
# - *Security beyond statistics.* Of the {glue:text}`learned_attacked` ciphers with
#   trained weights attacked in chapter 7, {glue:text}`learned_failing` fail at least one
#   attack; the ones that pass every attack are {glue:text}`learned_passing`. Statistical
#   indicators did not predict this; attacks did.
# - *Exactness.* Learned decoders are lossy: the best lossy cipher here,
#   {glue:text}`best_lossy_name`, decrypts to {glue:text}`best_lossy_psnr:.2f` dB. Exact
#   decryption needs integer constructions such as the coupling cipher of chapter 5.
# - *Keys and Kerckhoffs.* A network whose secret is its weights
#   ({glue:text}`weights_only`) is security by obscurity {cite}`kerckhoffs1883`.
#
# **Threats to validity of our measurements.** Our models are compact and trained for
# minutes on a CPU; larger models trained longer may behave differently. All images are
# 28×28, so entropy and NPCR have small-image null distributions (chapter 1) and the
# absolute values differ from papers that use 256×256 or larger images. The learned
# attacks of chapter 7 take the worst of several seeds in the `full` profile (one in
# `ci`), and its statistical verdicts hold a table-wide false-alarm rate; the other
# tables come from one seed. The tables were produced in the {glue:text}`profiles`
# profile on {glue:text}`devices`. The attacks are generic, so a cipher that passes them
# is not thereby secure, while a cipher that fails them is broken.
#
# **A decision guide for protecting medical images today.**
#
# 1. Use a standard authenticated cipher from a maintained library: AES-GCM
#    {cite}`dworkin2007gcm`, with a fresh nonce per image, the image's identifier in the
#    associated data and keys held in a key-management system (chapter 2). It rejects a
#    wrong key, an altered image or an image filed under another patient instead of
#    returning noise{glue:text}`gcm_clause`.
# 2. If images must also shrink, compress first and encrypt the compressed code with
#    AES-GCM, as the latent hybrids of chapter 4 do; accept the lossy decoding only where
#    the clinical use allows it, and check the diagnostic utility as chapter 4 does.
# 3. Do not rely on a deterministic chaotic cipher: it loses the IND-CPA game, three
#    chosen images ({glue:text}`cpa_images` in chapter 2, {glue:text}`cpa_hopfield_images`
#    in chapter 6) recover an equivalent key {cite}`li2004cryptanalysis,li2005clipped`,
#    and so do a few known X-rays ({glue:text}`chaos_known_images` in chapter 7).
# 4. Do not protect patient data with a learned cipher, ours or a published one. Treat
#    them as research objects, to be attacked before they are trusted.

# %%
glue("chapter_seconds", time.perf_counter() - chapter_start)
print(f"chapter 8 ran in {time.perf_counter() - chapter_start:.1f} s")
