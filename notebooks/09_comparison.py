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
# # 9. The comparison
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/medcrypt-book/dl-medical-image-encryption/blob/main/notebooks/09_comparison.ipynb)
#
# The usual survey of this field ends with one large table of the values that papers
# report. This chapter has that table, and shows why it cannot rank the methods: papers
# report different metrics, on different images, at different sizes, and most values are
# not visible at all outside the papers' result tables. It then sets beside it the
# table such a survey cannot make, every cipher of this book measured by one protocol on
# the same images, attacked by the same attacks, and ends with what a practitioner
# should do today.

# %% tags=["hide-input"]
# Colab only: install the book's library. Locally, `make book` has installed it already.
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "git+https://github.com/medcrypt-book/dl-medical-image-encryption.git"], check=True)

# %% tags=["parameters", "hide-input"]
# Parameters: this chapter only reads the other chapters' results.
profile = "full"
results_dir = "results"  # where chapters 1-8 wrote their results JSON
dataset = "pneumoniamnist"
bench_images = 1000  # images per cipher for the speed table of section 9.5
bench_repeats = 3
data_root = None

# %% tags=["remove-input"]
import time

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from medcrypt import bench, metrics, plots, verdicts
from medcrypt.book import compare, literature, prose, reproduction
from medcrypt.book.notebook import glue

chapter_start = time.perf_counter()
plt.rcParams["figure.dpi"] = 110
pd.set_option("display.max_colwidth", None)
papers, values, bib = literature.load_papers(), literature.load(), literature.bib_entries()
payloads, missing = compare.load_chapters(results_dir)
frame = compare.measured(payloads)
board = compare.leaderboard(frame)
attacks = compare.attack_summary(payloads)
attack_cells = compare.attack_cells(payloads)  # the verdicts as objects
attack_results = compare.attack_rows(payloads)
glue("results_found", prose.results_found_sentence(sorted(payloads), missing))

# %% [markdown]
# {glue:text}`results_found`
#
# ## 9.1 What the literature reports
#
# `data/papers.csv` lists the {glue:text}`lit_all_papers` papers of the literature base
# ({doc}`00_survey` says how they were found, screened and read), and
# `data/literature.csv` holds one row per paper and reported value, with where in the
# source the value stands. A value is entered only if we saw it; a metric that a paper
# reports but whose value we could not see is entered without a value. The papers that
# propose a cipher in one of the {glue:text}`lit_families` method families with a chapter
# are listed, with what each reports, in their own chapter's table: {doc}`03_gan`,
# {doc}`04_autoencoder`, {doc}`05_invertible`, {doc}`06_feedforward` and
# {doc}`07_learnable`; `compare.literature_tables(bib)` prints them all in one place. The
# survey page lists the other topics, and chapter 8 the cryptanalysis.

# %% tags=["remove-input"]
n = literature.counts(papers, values)
for key, value in n.items():
    glue(f"lit_{key}", value)
glue("lit_families", len(compare.FAMILY_CHAPTERS))
glue("lit_all_papers", len(papers))
glue("lit_method_topics", papers.loc[papers["family"].isin(literature.METHOD_TOPICS), "family"].nunique())
glue("lit_problems", len(literature.validate(papers, values, bib)))
cipher_papers = papers[literature.proposes_cipher(papers)]
glue("lit_empty_reason", prose.empty_cells_sentence(cipher_papers["status"].value_counts().to_dict()))
seen = values[values["value"].notna()]
glue("lit_abstracts", prose.abstracts_phrase(int(seen["where"].str.contains("abstract", case=False).sum()), len(seen)))

# %% [markdown]
# Across the {glue:text}`lit_papers` papers that propose a cipher, in
# {glue:text}`lit_method_topics` method topics, the grid of
# paper × standard metric (entropy, NPCR, UACI, horizontal correlation, PSNR, SSIM) has
# {glue:text}`lit_cells` cells. We saw a value in {glue:text}`lit_value_seen` of them; in
# {glue:text}`lit_reported_not_seen` more the paper reports the metric but we could not
# see the value; for {glue:text}`lit_not_found` we found no report at all. Counting
# every kind of reported quantity, {glue:text}`lit_values_verified` values are verified,
# {glue:text}`lit_abstracts`. {glue:text}`lit_empty_reason` `literature.validate` checks the
# two tables against each other and against the bibliography (every value has a paper, a
# source location and a citation); it found {glue:text}`lit_problems` problems.
#
# ## 9.2 Which paper reports which metric
#
# A comparison across papers needs them to report the same metrics, with values a reader
# can see. The grid shows what we could see, mostly in abstracts: a light or grey cell may
# hide a value in the full text, so the grid is a lower bound on what the papers report,
# and an exact picture of what a reader of the abstracts can compare:

# %% mystnb={"figure": {"caption": "Which standard metric each paper reports: a value we could read (dark), a metric reported without a value we could see (light), or no report found (grey).", "name": "fig-comparison-coverage"}, "image": {"alt": "Grid of papers against six standard metrics, coloured in three shades."}}
grid = literature.coverage(papers, values)
fig = plots.coverage_grid(grid)

# %% tags=["remove-input"]
per_metric = (grid > 0).sum()
glue("most_reported_metric", per_metric.idxmax())
glue("most_reported_count", int(per_metric.max()))
glue("papers_with_any_value", int((grid == 2).any(axis=1).sum()))
glue("comparable_groups", len(literature.comparable_groups(values)))
glue("comparable_sentence", prose.comparable_sentence(len(literature.comparable_groups(values))))

# %% [markdown]
# The most often reported metric, {glue:text}`most_reported_metric`, appears for
# {glue:text}`most_reported_count` of {glue:text}`lit_papers` papers; only
# {glue:text}`papers_with_any_value` papers have a standard metric value we could read.
# {glue:text}`comparable_sentence`
#
# ## 9.3 The measured leaderboard
#
# Every cipher of chapters 1 to 6, measured by the common suite of chapter 1 on the
# MedMNIST test images. Where a cipher was measured in several chapters (AES-CTR, the
# reference, appears in all of them) the run on the most images is shown, and the
# chapter column says which. Lossless ciphers decrypt with infinite PSNR, shown as ∞;
# a dash marks a metric that does not apply (AES-GCM rejects a wrong key, so it has no
# wrong-key PSNR). "NIST passed" counts the tests of chapter 1's NIST rule that the
# cipher's output passed, out of those that ran.

# %% tags=["hide-input"]
for table in compare.leaderboard_tables(board):
    display(table)

# %% tags=["remove-input"]
correspondence = compare.measured_and_attacked(payloads, board, attack_results, dataset)
glue("measured_attacked", prose.measured_attacked_sentence(
    dataset, correspondence["rows"], len(attack_results), correspondence["not_attacked"], correspondence["renamed"],
    correspondence["different"], correspondence["unmeasured"]))
profiles = sorted({str(p["metadata"].get("profile")) for p in payloads.values()})
devices = sorted({str(p["metadata"].get("device")) for p in payloads.values()})
glue("profiles", prose.names(profiles))
glue("devices", "; ".join(devices) or "no machine recorded")

# %% [markdown]
# The tables come from the {glue:text}`profiles` profile, run on {glue:text}`devices`.
# {glue:text}`measured_attacked`
#
# ## 9.4 Reported and measured, side by side
#
# Where a paper reports a standard metric with a visible value, here it is beside what we
# measured for our ciphers of the same family and for AES-CTR, each in the paper's units.
# A paper that reports one metric for several of its variants has one row per variant.
# The rows are not a contest: the papers' images, sizes and hardware differ from ours.
# The columns of our family give the smallest and largest value over every cipher of that
# family, broken ones included, so a wide span says the family holds ciphers of both kinds,
# not how good any one of them is; for a correlation the smallest is the most negative, so
# read its distance from 0.
# One caveat is quantitative. Entropy depends on the number of pixels: a perfectly random
# image of {glue:text}`image_side`×{glue:text}`image_side` pixels has an expected entropy
# of {glue:text}`expected_entropy:.4f` bits, not the 8 bits of an 8-bit image's maximum
# {cite}`wu2013entropy`, and the expectation approaches 8 only for large images. Our
# AES-CTR reaches {glue:text}`aes_entropy_ours:.4f` bits. An entropy printed without its
# image size cannot be set against it directly; where a row states the size, compare the
# value with `metrics.expected_entropy` at that size ({ref}`ex-comparison-entropy` does it).
#
#
# The column *reproduced* says what the reproduction cards of chapters 3 to 6 concluded
# for the papers our learned ciphers re-implement; the cards themselves, one per cipher,
# are summarised first.

# %%
cards = compare.reproduction_cards(payloads)
reproduction.summary(cards)

# %% tags=["hide-input"]
glue("cards_sentence", prose.cards_summary(reproduction.summary(cards)))

# %% [markdown]
# {glue:text}`cards_sentence`

# %%
side = compare.beside_literature(values, papers, frame, dataset=dataset, cards=cards)
compare.side_table(side, bib)

# %% tags=["remove-input"]
image_side = int(frame["size"].mode().iloc[0]) if "size" in frame and len(frame) else 28
glue("image_side", image_side)
glue("expected_entropy", metrics.expected_entropy(image_side * image_side))
aes_rows = frame[(frame["cipher"] == "aes-ctr") & (frame["dataset"] == dataset)] if not frame.empty else frame
glue("aes_entropy_ours", float(aes_rows["entropy_per_image"].iloc[-1]) if len(aes_rows) else float("nan"))

# %% [markdown]
# ## 9.5 Speed, then security against fidelity and speed
#
# **Speed against the ceiling.** The chapters timed their ciphers on their own test sets,
# each on a batch of its own size, so their speeds do not compare (the leaderboard leaves
# them out). The table below measures every registered cipher once more, in one run, on
# {glue:text}`bench_images_shown` X-rays at 28 × 28, beside the ceiling of this machine
# measured in the same run: the `cryptography` library's AES-256-CTR over one buffer as
# large as the batch. Learned ciphers are timed as built (an untrained network computes
# exactly what a trained one does); `make bench` runs the same measurement and writes it
# to `_build/bench.json`.

# %% tags=["remove-stdout"]
report = bench.run(bench_images, sizes=(28,), repeats=bench_repeats, root=data_root)
rates = {name: entry for name, entry in report["ciphers"].items() if "encrypt_mb_per_s" in entry}
bench.speed_table(rates, report["ceiling_mb_per_s"], 28 * 28)

# %% tags=["hide-input", "remove-stderr"] mystnb={"figure": {"caption": "Encryption and decryption speed of every registered cipher on the same X-rays in one run, in MB/s on a log scale; the dashed line is the ceiling, the library's AES-256-CTR over one buffer of the batch's size.", "name": "fig-comparison-speed"}, "image": {"alt": "Horizontal bars of encrypt and decrypt MB/s for every cipher, with a dashed vertical line at the ceiling."}}
fig = plots.throughput_bars(dict(sorted(rates.items(), key=lambda kv: -kv[1]["encrypt_mb_per_s"])),
                            ceiling=report["ceiling_mb_per_s"])

# %% tags=["remove-input"]
glue("bench_images_shown", f"{bench_images:,}")
glue("speed_ctr_share", rates["aes-ctr"]["ratio_to_ceiling"])
glue("speed_ceiling", report["ceiling_mb_per_s"])
glue("learned_speed", prose.learned_speed_sentence(report, compare.learned_ciphers(list(rates))))

# %% [markdown]
# AES-CTR, one library call per batch, reaches {glue:text}`speed_ctr_share:.0%` of the
# ceiling of {glue:text}`speed_ceiling:,.0f` MB/s. The identity map can exceed the
# ceiling: it encrypts nothing and only copies the images, so its share measures a copy,
# the floor under every cipher's cost, not a cipher. {glue:text}`learned_speed`
#
# **Security against fidelity and speed.** One point per cipher on the chest X-rays.
# Security is chapter 8's verdict: how many of its {glue:text}`n_attack_columns` attacks
# the cipher survived, with the ciphers that survived all of them ringed; a cell where no
# attack of a column applies (n/a) is not counted as survived. A statistic such as the
# one-pixel NPCR cannot serve here: any scheme with a fresh nonce passes it, secure or not
# (chapter 1). Fidelity is the PSNR of decryption, with lossless ciphers drawn at the
# right (∞); speed is the encryption rate of the one-run table above.

# %% mystnb={"figure": {"caption": "Each cipher on the chest X-rays: how many of chapter 8's attacks it survived (n/a not counted) against its decryption PSNR (left; lossless at the right edge) and its encryption speed in the one-run table of this section (right); ringed points survived every attack, circles decrypt exactly and squares are lossy.", "name": "fig-comparison-security"}, "image": {"alt": "Two scatter panels: attacks survived against decryption PSNR, and against encryption MB/s on a log axis."}}
points = compare.security_fidelity(board, attack_results, dataset=dataset, exclude=correspondence["different"])
points = compare.with_bench_speeds(points, rates)  # one run, one batch: the only comparable speeds
fig = plots.security_scatter(points, n_attacks=len(verdicts.COLUMNS))  # colours from medcrypt.families

# %% tags=["remove-input"]
glue("n_attack_columns", len(verdicts.COLUMNS))
survivors = points[points["passed_all"]] if not points.empty else points
glue("survivors", prose.names(list(survivors["cipher"])))
glue("survivors_lossless", prose.names(list(survivors[survivors["lossless"]]["cipher"])))
plaintext_columns = ("known plaintext (best attack)", "chosen plaintext")
broken = [row.cipher for row in points.itertuples() if row.lossless and set(plaintext_columns) &
          set(verdicts.failed_columns(attack_cells, compare.registered_name(row.cipher)))] if not points.empty else []
glue("broken_lossless", prose.broken_lossless_sentence(broken))

# %% [markdown]
# The ciphers that survived every attack are {glue:text}`survivors`; of them, these
# decrypt exactly: {glue:text}`survivors_lossless`. Everything else sits lower on the
# security axis however well it decrypts or however fast it runs. Surviving every attack
# means that no attack in the suite broke the cipher, not that it is secure.
# {glue:text}`broken_lossless`
#
# ## 9.6 The attacks
#
# Chapter 8's summary, with the key bits each cipher claims beside those its key audit
# measured.

# %% tags=["hide-input"]
compare.styled_verdicts(attacks, attack_cells) if attacks is not None else pd.DataFrame()

# %% tags=["remove-input"]
alpha_7 = payloads.get(compare.ATTACK_CHAPTER, {}).get("metadata", {}).get("alpha", metrics.ALPHA)
glue("attack_status", "Chapter 8 has not run, so there is no attack summary." if attacks is None else
     f"Chapter 8 attacked {len(attacks)} ciphers.")
passed = verdicts.passed_every_attack(attack_cells).to_dict()
failed = verdicts.failed_some_attack(attack_cells).to_dict()  # n/a cells are neither
malleable_only = [n for n in failed if verdicts.failed_columns(attack_cells, n) == ["chosen ciphertext (bit flip)"]]
glue("gcm_note", prose.gcm_caveat(passed.get("aes-gcm"), verdicts.failed_columns(attack_cells, "aes-gcm"), alpha_7,
                                  [n for n in passed if passed[n] and n != "aes-gcm"], malleable_only))
glue("gcm_clause", prose.gcm_clause(passed.get("aes-gcm")))

# %% [markdown]
# {glue:text}`attack_status` {glue:text}`gcm_note`

# %% tags=["remove-input"]
for name, value in compare.conclusions(payloads, board, points, attack_results, attack_cells, dataset,
                                       metrics.ALPHA).items():
    glue(name, value)

# %% [markdown]
# ## 9.7 Conclusions
#
# **Open problems.**
#
# - *Comparable reporting.* Only {glue:text}`papers_with_any_value` of
#   {glue:text}`lit_papers` papers have a standard metric value we could read, and
#   {glue:text}`comparable_groups` metric–dataset–size combinations are shared by two
#   papers. The field needs shared benchmarks with released
#   code, as this book attempts at small scale.
# - *Security beyond statistics.* Of the {glue:text}`learned_attacked` learned ciphers
#   attacked in chapter 8 ({glue:text}`learned_included`), {glue:text}`learned_failing`
#   fail at least one attack; the ones that pass every attack are
#   {glue:text}`learned_passing`. {glue:text}`statistics_sentence`
# - *Exactness.* {glue:text}`exactness_sentence` {glue:text}`best_lossy_sentence`
# - *Keys and Kerckhoffs.* {glue:text}`kerckhoffs_sentence` {cite}`kerckhoffs1883`.
#
# **Threats to validity of our measurements.** {glue:text}`training_clause`; larger
# models trained longer may behave differently. All our images are
# {glue:text}`image_side`×{glue:text}`image_side`, so entropy and NPCR have small-image
# null distributions (chapter 1) and their absolute values differ from those of papers
# that use much larger images. The learned attacks of chapter 8
# {glue:text}`seeds_phrase`, and its statistical verdicts hold a table-wide false-alarm
# rate; the other tables come from one seed. The tables were produced in the
# {glue:text}`profiles` profile on {glue:text}`devices`. The attacks are generic, so a
# cipher that passes them is not thereby secure. A cipher that fails an attack that
# recovers images or distinguishes its cipher images (IND-CPA, known or chosen plaintext,
# the diagnosis leak) is broken; a FAIL of a sensitivity test (one pixel, one key bit) is
# a warning that chapter 1 calls a weak heuristic, not a break by itself.
#
# **A decision guide for protecting medical images today.**
#
# 1. Use a standard authenticated cipher from a maintained library: AES-GCM
#    {cite}`dworkin2007gcm`, with a fresh nonce per image, the image's identifier in the
#    associated data and keys held in a key-management system (chapter 2). It rejects a
#    wrong key, an altered image or an image filed under another patient instead of
#    returning noise{glue:text}`gcm_clause`.
# 2. If images must also shrink, compress them with a standard DICOM codec (lossless, such
#    as JPEG-LS or lossless JPEG 2000, or a lossy codec only where the regulations and the
#    clinical use allow it) and then encrypt with AES-GCM. The latent hybrids of chapter 4
#    are this recipe with a learned codec: codec + AES-GCM, not a learned cipher. Their
#    security is AES-GCM's; their learned lossy codec is what chapter 4 measured costing
#    diagnostic utility, so they are no substitute for a validated codec.
# 3. Do not rely on a deterministic chaotic cipher: it loses the IND-CPA game,
#    {glue:text}`chosen_clause`{glue:text}`known_clause`, as cryptanalysts showed for
#    chaotic neural-network ciphers {cite}`li2004cryptanalysis,li2005clipped`.
# 4. Do not protect patient data with a learned cipher, ours or a published one, nor with
#    a chaotic cipher that draws a fresh nonce (chapter 8 says why, cipher by cipher).
#    Treat them as research objects, to be attacked before they are trusted.
# 5. Protect the file, not only the pixels: de-identify the header and bind the pixel
#    ciphertext to the image's identifiers (chapter 10).

# %% [markdown]
# ## Exercises
#
# ```{exercise} Why the literature table cannot rank
# :label: ex-comparison-rank
#
# A paper reports the entropy of its cipher images to four decimals and does not say how
# large they are. Why can you not set that value beside our AES-CTR's entropy in section
# 9.4 and say which cipher is better? Name two more things the paper would have to state.
# ```
#
# ```{solution} ex-comparison-rank
# :class: dropdown
#
# The entropy of an ideal cipher image depends on its number of pixels
# (`metrics.expected_entropy`): a value is good or bad only against the expectation at its
# size, which the paper does not give. Even with the size, the images (their content and
# bit depth), the number of images and whether the value is per image or pooled would have
# to be stated; and a good entropy says nothing about the attacks of section 9.6.
# ```
#
# ```{exercise} The entropy a 256×256 cipher image should have
# :label: ex-comparison-entropy
#
# Many papers encrypt 256×256 images. What entropy (in bits, to four decimals) does a
# 256×256 image of uniform random bytes have on average? Predict first whether it is 8,
# then compute it with the library. Check: `exercises.check("09_comparison", 2, answer)`
# (after `from medcrypt import exercises`).
# ```
#
# ```{solution} ex-comparison-entropy
# :class: dropdown
#
# `metrics.expected_entropy(256 * 256)`: a little below 8, because even 65,536 pixels
# fill the 256 bins unevenly. A paper's four-decimal entropy above that value is not
# "better than random"; it is within sampling noise of it, or of a cipher that equalises
# its histogram on purpose.
# ```
#
# ```{exercise} n/a is not a pass
# :label: ex-comparison-na
#
# In section 9.6 some cells read n/a: no attack of that column applies to the cipher.
# Load chapter 8's verdicts with `compare.attack_cells(compare.load_chapters(results_dir)[0])`
# and list, for each cipher, its n/a columns. Why must figure {numref}`fig-comparison-security`
# not count them as attacks survived, and which kind of cipher would climb the figure if it did?
# ```
#
# ```{solution} ex-comparison-na
# :class: dropdown
#
# `[c for c, v in row.items() if v.passed is None]` for each row. An attack that does not
# apply shows nothing about the cipher: counting it as survived rewards a cipher for being
# outside the attack's reach, not for resisting it. A cipher broken by a few known images
# but outside the form of the chosen-plaintext attack would then "survive" that column, so
# a broken cipher would rise on the security axis; `verdicts.passed_every_attack` and the
# figure count only cells that ran and passed.
# ```
#
# ```{exercise} A vendor's "AI encryption"
# :label: ex-comparison-vendor
#
# A vendor sells "AI-based encryption" for X-rays: a learned autoencoder compresses each
# image, and its code is encrypted with AES-GCM. Using the decision guide, say what the
# product gets right, what its security rests on, and what you would ask for before
# clinical use.
# ```
#
# ```{solution} ex-comparison-vendor
# :class: dropdown
#
# It is a codec followed by AES-GCM (item 2 of the guide), so its confidentiality and
# integrity are AES-GCM's, provided nonces are fresh and keys managed; the "AI" adds no
# security. What the learned codec adds is loss: chapter 4 measured how much a learned
# lossy codec costs a diagnostic classifier, so ask for a clinical validation of the codec
# (or use a standard DICOM codec, lossless where required), how nonces and keys are
# handled, and how the header is de-identified (chapter 10).
# ```
