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
# # 10. From MedMNIST to the clinic
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/medcrypt-book/dl-medical-image-encryption/blob/main/notebooks/10_clinic.ipynb)
#
# Every measurement so far was made on 28×28 MedMNIST images with 8-bit pixels. A hospital
# stores DICOM files instead: CT and MR pixels of 12 to 16 bits at a
# few hundred pixels a side, and a header that names the patient. Judging by the abstracts
# we read (the survey of chapter 0 did not read full texts), none of the deep-learning
# ciphers surveyed in this book says how it handles either, although some are evaluated on
# CT or MR scans and their full texts may say more. This chapter takes the book's ciphers and
# its metric suite to real DICOM files, the CT and MR test images that ship inside
# `pydicom`'s wheel (their patient names are test values, not people), and asks three
# questions: which ciphers take 16-bit data at all, which of the book's conclusions change
# at 16 bits, and how a DICOM file is protected the way the standard intends, header
# included.

# %% tags=["hide-input"]
# Colab only: install the book's library. Locally, `make book` has installed it already.
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "git+https://github.com/medcrypt-book/dl-medical-image-encryption.git"], check=True)

# %% tags=["parameters", "hide-input"]
# Parameters: the `full` profile is these defaults; `python -m medcrypt.book` injects the `ci` ones.
profile = "full"
results_dir = "results"  # where this chapter writes 10_clinic.json
samples = ["CT_small.dcm", "MR_small.dcm", "examples_overlay.dcm", "693_J2KI.dcm"]  # bundled with pydicom
repeats = 32  # trials of the differential and key tests on each DICOM image
dataset = "pneumoniamnist"  # the 8-bit comparison: MedMNIST test images at 28×28
n_8bit = None  # None: every test image in the data root (offline copies, as on CI, may hold a subset)
seed = 2026
alpha = 0.05
data_root = None

# %% tags=["remove-input"]
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from medcrypt import clinic, data, metrics, plots, results, verdicts, zoo
from medcrypt.book import prose
from medcrypt.book.notebook import glue

chapter_start = time.perf_counter()
plt.rcParams["figure.dpi"] = 110
pd.set_option("display.max_colwidth", None)
images = {name: data.read_dicom(name) for name in samples}
first = images[samples[0]]

# %% [markdown]
# ## 10.1 Clinical images: more bits, more pixels, and a header
#
# `medcrypt.data.read_dicom` reads a DICOM file with `pydicom` {cite}`pydicom_software` into
# its pixel array, its bit depth and its header. Each sample below stores its pixels in
# 16-bit words; Bits Stored says how many of the 16 bits the scanner uses.

# %% tags=["hide-input"]
display(results.readable(clinic.sample_table(images)))

# %% tags=["hide-input"] mystnb={"figure": {"caption": "The bundled DICOM samples, each scaled from its own darkest to its brightest pixel.", "name": "fig-clinic-samples"}, "image": {"alt": "The bundled CT and MR images side by side, each at its own size."}}
fig = plots.word_grid({"plaintext": {name: image.pixels for name, image in images.items()}})

# %% [markdown]
# The header travels with the pixels. These are the attributes of the Basic Application
# Level Confidentiality Profile that name or locate the patient, as the files hold them:

# %% tags=["hide-input"]
display(clinic.identity_table(images))

# %% [markdown]
# ## 10.2 Which ciphers move
#
# Each registered cipher is asked, not looked up: `clinic.support_table` builds it at the
# first sample's size, gives it a 16-bit image and an 8-bit one, and checks that a
# lossless cipher returns the 16-bit image bit for bit. The byte-oriented ciphers, the AES
# modes and the chaotic baselines, encrypt the two bytes of each word (low byte first, as
# DICOM stores them) and return 16-bit cipher words of the image's shape.

# %%
support = clinic.support_table(first.pixels.shape[:2], seed=seed)

# %% tags=["hide-input"]
glue("support_sentence", prose.support_sentence(support, f"{first.shape[0]}×{first.shape[1]}"))
display(results.readable(clinic.support_display(support)))

# %% [markdown]
# {glue:text}`support_sentence`
#
# Turning a 16-bit image into 8 bits so that a learned cipher can take it would discard
# half of every word, which is why the learned ciphers refuse rather than convert
# ({ref}`ex-clinic-truncate` measures what truncation does to a CT slice). A learned cipher
# for clinical data would have to be designed and trained for 16-bit input; none of the
# abstracts in the survey says that its cipher was.

# %% [markdown]
# ## 10.3 The metric suite at 16 bits
#
# Chapter 1's suite takes the number of grey levels L. The cipher images here are 16-bit
# words, so L = 65,536: the ideal entropy is 16 bits, the χ² test counts the words in 256
# equal-width bins (65,536 single-level bins would expect a fraction of a pixel each), the
# expected NPCR and UACI and Wu et al.'s critical values {cite}`wu2011npcr` follow from
# their formulas with L = 65,536, PSNR's peak is 65,535, and the NIST tests read the 16 bits
# of every word. The statistics of a DICOM file are those of one cipher image: a
# deterministic cipher encrypts copies of an image to identical copies, and pooling them
# would count one sample many times. The differential and key tests run up to
# {glue:text}`repeats` trials each, every one with its own changed pixel or key bit (fewer
# on the largest images, so that no test encrypts more than about a million words; the
# tables' Trials column says how many; a pass rate over a few trials moves in large steps and
# cannot tell a sound cipher from a weak one, so read it beside its Trials). Beside
# them stand the same ciphers on {glue:text}`n_8bit_images` 8-bit PneumoniaMNIST test images.

# %%
rows16 = clinic.evaluate_all_native(support, images, repeats=repeats, seed=seed)
rows8 = clinic.evaluate_8bit(support, dataset, n_images=n_8bit, seed=seed, root=data_root)

# %% tags=["hide-input"]
glue("repeats", repeats)
glue("n_8bit_images", rows8[0]["n_images"])
for table in clinic.metric_tables(rows8 + rows16):  # one table per image set, one row per cipher
    display(table)

# %% tags=["remove-input"]
ecb_repeated = {name: clinic.repeated_blocks(clinic.cipher_images(image, ["aes-ecb"], seed=seed)["aes-ecb"])
                for name, image in images.items()}
leakiest = images[max(ecb_repeated, key=ecb_repeated.get)]  # the sample where ECB shows most
shown = clinic.cipher_images(leakiest, ["aes-ecb", "aes-ctr", "chaos-logistic"], seed=seed)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "The sample with the most repeated 16-byte blocks, in plaintext and under three ciphers that take 16-bit words.", "name": "fig-clinic-ciphers"}, "image": {"alt": "A medical image and three cipher images of it."}}
fig = plots.word_grid({"": {label: words[0] for label, words in shown.items()}})

# %% tags=["hide-input"] mystnb={"figure": {"caption": "The words of the same sample and of its three cipher images, counted in the chi-square test's 256 bins.", "name": "fig-clinic-histograms"}, "image": {"alt": "A peaked plaintext histogram and three flat cipher histograms."}}
fig = plots.word_histograms({label: words for label, words in shown.items()})

# %% tags=["hide-input"]
ctr16 = next(r for r in rows16 if r["cipher"] == "aes-ctr" and r["images"].startswith(first.name))
ctr8 = next(r for r in rows8 if r["cipher"] == "aes-ctr")
glue("entropy_sentence", prose.entropy_bias_sentence(ctr16, ctr8))
glue("critical_sentence", prose.critical_value_sentence(first.shape[0] * first.shape[1],
                                                         f"{first.shape[0]}×{first.shape[1]}", alpha))
flags8 = {r["cipher"]: verdicts.suite_flags(r, (28, 28), alpha) for r in rows8}
flags16 = {r["cipher"]: verdicts.suite_flags(r, (r["height"], r["width"]), alpha)
           for r in rows16 if r["images"].startswith(first.name)}
glue("flag_sentence", prose.flag_changes_sentence(flags8, flags16))
glue("undecided", prose.names(clinic.undecided_tests(flags16)))
glue("ecb_sentence", prose.ecb_sentence(ecb_repeated, {name: clinic.repeated_blocks(image.words)
                                                       for name, image in images.items()}))
chaos = zoo.build("chaos-logistic", first.shape, seed)
glue("chosen_sentence", prose.chosen_plaintext_words_sentence(
    "chaos-logistic", clinic.chosen_plaintext_on_words(chaos, chaos.keygen(seed), first.words), first.name))

# %% [markdown]
# Three things change at 16 bits. The first is the entropy. {glue:text}`entropy_sentence`
#
# The second is the differential test. {glue:text}`critical_sentence`
#
# The third is what a leaky mode shows. An ECB block holds 8 words instead of 16 pixels.
# {glue:text}`ecb_sentence` {numref}`fig-clinic-ciphers` shows the sample where most blocks
# repeat, and {numref}`fig-clinic-histograms` its words against the flat line of a uniform cipher.
#
# The suite's verdicts, test by test, on the first sample against the 8-bit images
# (chapter 1's rules, each test at α/6):

# %% tags=["hide-input"]
display(clinic.flag_comparison(flags8, flags16))

# %% [markdown]
# {glue:text}`flag_sentence` A change from "flags" at 8 bits to "passes" at 16 in a pooled
# test comes from the design, not the cipher: the statistics at 16 bits are those of one
# cipher image, and a nonce reused across images shows only between two of them (the
# differential test compares two, and still flags it). A test that one image cannot decide
# for any cipher is left out of the table: {glue:text}`undecided`. A "–" marks a test that
# one image cannot decide for that cipher.
#
# What does not change is what the suite cannot see. {glue:text}`chosen_sentence` The
# verdicts of chapter 8 on the baselines rest on the structure of the cipher, not on the
# size of a pixel, and they carry over: AES-CTR and AES-GCM stay sound, a reused nonce is
# still a two-time pad, ECB still leaks, and the chaotic cipher is still broken by chosen
# images.

# %% [markdown]
# ## 10.4 Protecting a DICOM file
#
# Encrypting the pixels is half of the task. The header names the patient, the institution
# and the dates, and a file that keeps them in the clear is not protected, whatever happens
# to its pixels. DICOM's own answer is in part 15 of the standard
# {cite}`dicom_ps3_15`: the Basic Application Level Confidentiality Profile lists,
# attribute by attribute, what a de-identifier must remove, empty, replace with a dummy
# value or replace with a new UID, and the Encrypted Attributes Sequence lets the original
# values travel in encrypted form for whoever holds the key. `clinic.protect` does it this way:
#
# ```{warning}
# `clinic.protect` is teaching code that shows the standard's mechanisms; it is not a
# validated product. It deviates from the CMS envelope that PS3.15 specifies (see below),
# has had no independent review, and must not be used to protect real patient files. Use a
# maintained, validated DICOM de-identification and encryption product for that.
# ```
#
#
# 1. The header is de-identified by `dicom-anonymizer` {cite}`dicom_anonymizer_software`, a
#    maintained library that applies the profile's table (its 2026c edition); private
#    attributes are removed. Patient Identity Removed is set to YES, and the profile's code
#    (113100) is recorded.
# 2. Every attribute that changed or went is kept, in its original form, only inside the
#    Encrypted Attributes Sequence, sealed with AES-256-GCM {cite}`dworkin2007gcm`.
# 3. The pixel data is replaced by its AES-256-GCM ciphertext, which has the same length,
#    so the file stays a valid image (of noise). Its tag binds the new study, series and
#    instance UIDs and the image geometry as associated data, so pixel data moved to another
#    instance, or read with another geometry, fails authentication. Its fresh random nonce
#    and its tag travel in the file, in a private block of group 0099; the encrypted
#    attributes carry theirs inside the Encrypted Content, as nonce, ciphertext and tag.
#
# One deviation from the standard is stated in the code: the standard wraps the encrypted
# attributes in a CMS envelope addressed to a recipient's certificate (its Secure DICOM File
# Format wraps a whole file the same way {cite}`dicom_ps3_10`), and this book uses a
# bare AES-GCM message under a shared key. The file reads in any DICOM toolkit; restoring the
# originals needs this code, or code that follows its format.

# %%
key, other_key = clinic.keygen(), clinic.keygen()
checks = [clinic.check_protection(image.header, key, other_key, seed=seed) for image in images.values()]

# %% tags=["hide-input"]
for check, name in zip(checks, images):
    check["file"] = name
glue("protection_sentence", prose.protection_sentence(checks))
display(results.readable(clinic.protection_display(checks)))

# %% [markdown]
# {glue:text}`protection_sentence` `check_protection` writes each protected dataset as a
# DICOM file, reads it back with `pydicom` and only then decrypts it, so the table is about
# files on disk.
#
# What a reader without the key sees of the first sample, attribute by attribute:

# %% tags=["hide-input"]
protected = clinic.protect(first.header, key)
exposure = clinic.exposure(first.header, protected)
glue("n_encrypted", len(exposure.encrypted))
glue("n_replaced", len(exposure.replaced))
glue("n_removed", len(exposure.removed))
glue("n_clear", len(exposure.in_clear))
glue("in_clear", prose.names(exposure.in_clear))
glue("n_empty", len(exposure.empty))
glue("empty", prose.names(exposure.empty))
display(clinic.identity_table({"original": first, "protected": protected}))

# %% [markdown]
# Of the first sample's attributes, {glue:text}`n_encrypted` are kept only in encrypted form:
# {glue:text}`n_replaced` are replaced by a dummy, an empty value or a new UID, and
# {glue:text}`n_removed` are removed. The other {glue:text}`n_clear` stay in the clear, as the
# profile allows: {glue:text}`in_clear`. The remaining {glue:text}`n_empty` were empty in the
# original and stay empty: {glue:text}`empty`. What stays readable makes the file usable for
# research, and it can still narrow down who a patient is, with a rare scanner in a small town; the
# profile's options that retain more (dates, device identity) raise that risk, its
# options that clean more lower it. A de-identified file is not an anonymous one.
#
# What the protection does not do: it does not hide the image's size, bit depth or
# modality; it does not make the pixel data, once decrypted, free of burned-in text (the
# profile's Clean Pixel Data option is a separate step); and it does nothing against
# whoever holds the key. It is built from AES-GCM and a maintained de-identifier, not from a
# research cipher: no cipher of the surveyed families should protect patient data.

# %% tags=["remove-input"]
written = results.save_chapter(results_dir, "10_clinic", rows8 + rows16, profile=profile, seed=seed,
                               started=chapter_start, samples=samples, repeats=repeats,
                               support=support.to_dict(orient="records"),
                               protection=[{k: v for k, v in c.items()} for c in checks])

# %% [markdown]
# ## Summary
#
# - The AES modes and the chaotic baselines take 16-bit DICOM words losslessly, on bytes;
#   every learned cipher in the book takes 8-bit images only and refuses 16-bit data with a
#   clear error. None of them can be used on 16-bit clinical pixel data, and the abstracts
#   of the surveyed deep-learning ciphers do not say how theirs would be.
# - The metric suite needs the number of grey levels L: the ideal entropy, the small-sample
#   expectation, the χ² bins and Wu et al.'s critical values all change with it, and 8-bit
#   critical values would pass a 16-bit cipher that should fail.
# - What the statistics cannot see does not change: the attacks that break a cipher at 8 bits
#   break it at 16.
# - A DICOM file is protected by de-identifying its header as PS3.15 prescribes, keeping the
#   originals only in encrypted form, and encrypting the pixel data with an authenticated
#   cipher bound to the instance; the round trip restores both exactly.

# %% [markdown]
# ## Exercises
#
# Three of the exercises have a number for an answer, computed from the CT slice that ships
# with `pydicom`; check yours with `exercises.check` (after `from medcrypt import exercises`),
# which also names a common slip.
#
# ```{exercise} Truncating a CT slice to 8 bits
# :label: ex-clinic-truncate
#
# Why not put a 16-bit CT slice through an 8-bit cipher by casting it to bytes first? Read
# the slice with `words = data.read_dicom("CT_small.dcm").words` and cast it as NumPy does,
# `words.astype(np.uint8)`, which keeps the low byte of each word. Predict what share of
# the pixels changes when the result is read back as 16-bit words, then compute it, in percent.
# Check: `exercises.check("10_clinic", 1, answer)`.
# ```
#
# ```{solution} ex-clinic-truncate
# :class: dropdown
#
# `100 * np.mean(words.astype(np.uint8).astype(words.dtype) != words)`: every pixel above
# 255 loses its high byte, and most of this slice's stored values are above 255. The cipher would then protect, and decrypt exactly, an
# image that is no longer the scan. Truncation is a loss no cipher can undo.
# ```
#
# ```{exercise} Keeping the high byte instead
# :label: ex-clinic-high-byte
#
# The other way to 8 bits keeps the high byte, `words >> 8`. How many distinct grey levels
# of the CT slice are left? Compare with the number of distinct values before the shift.
# Check: `exercises.check("10_clinic", 2, answer)`.
# ```
#
# ```{solution} ex-clinic-high-byte
# :class: dropdown
#
# `np.unique(words >> 8).size`: a handful of levels out of the more than a thousand the
# slice uses, because its values span only a few multiples of 256. A window (centre and
# width) followed by scaling keeps more of the tissue of interest, but it too is lossy,
# which is why a learned cipher for clinical data would have to take 16-bit input.
# ```
#
# ```{exercise} The entropy of a 16-bit cipher image
# :label: ex-clinic-entropy
#
# The CT slice is 128×128. What entropy (in bits) does a 128×128 image of uniform random
# 16-bit words have on average? Predict whether it is near 16, then compute it with
# `metrics.expected_entropy` and the right number of levels. Check:
# `exercises.check("10_clinic", 3, answer)`.
# ```
#
# ```{solution} ex-clinic-entropy
# :class: dropdown
#
# `metrics.expected_entropy(128 * 128, levels=2 ** 16)`: far below 16 bits, and below the
# $\log_2$ of the number of pixels, because 16,384 pixels cannot fill 65,536 levels. A
# 16-bit cipher image's entropy must be judged against this expectation at its size, as
# section 10.3 does.
# ```
#
# ```{exercise} Swapping pixel data between patients
# :label: ex-clinic-swap
#
# An insider with write access to the archive but no key copies the encrypted pixel data
# of one protected file into another patient's protected file. What happens when the
# second file is decrypted with `clinic.protect`'s scheme, and what would happen with
# AES-CTR and no associated data?
# ```
#
# ```{solution} ex-clinic-swap
# :class: dropdown
#
# The GCM tag binds the study, series and instance UIDs and the image geometry as
# associated data, so decryption of the moved pixel data fails authentication and the
# swap is detected. With AES-CTR there is no tag: the moved data decrypts without complaint,
# to the first patient's image filed under the second patient if its nonce travels with it,
# to noise otherwise, and nothing warns the reader either way.
# ```
