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
# # 7. Attacks and cryptanalysis
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/medcrypt-book/dl-medical-image-encryption/blob/main/notebooks/07_attacks.ipynb)
#
# A tempting argument runs through this literature: a deep network is a "black box", so
# an attacker who does not know how it encrypts cannot undo it. Cryptography settled the
# question long ago. Kerckhoffs asked that a system stay secure even when everything
# about it except the key is in the enemy's hands {cite}`kerckhoffs1883`, and Shannon put
# it as "the enemy knows the system" {cite}`shannon1949`. This chapter tests the
# argument by experiment. Every cipher in the book's registry, learned or classical,
# meets the same three attacks:
#
# 1. a **known-plaintext attack by learning**: the attacker holds pairs of plain and
#    cipher images made under one key and trains a network to decrypt;
# 2. a **ciphertext-only leakage test**: a classifier tries to read the diagnosis from
#    cipher images alone;
# 3. the **sensitivity tests**: one changed pixel, one flipped key bit.
#
# New ciphers join the tables by being registered; this chapter needs no edit.

# %%
# Colab only: install the book's library. Locally, `make book` has installed it already.
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "git+https://github.com/medcrypt-book/dl-medical-image-encryption.git"], check=True)

# %% tags=["parameters"]
# Parameters: the `full` profile is these defaults; `python -m medcrypt.book` injects the `ci` ones.
profile = "full"
results_dir = "results"  # where this chapter writes 07_attacks.json
weights_dir = "weights"  # trained models of chapters 3-6 are loaded from here, or trained and saved
dataset = "pneumoniamnist"
size = 28
ciphers = None  # None: every registered cipher
n_pairs = [10, 100, 1000]  # the learning curve of the known-plaintext attack
attack_steps = 300  # optimisation steps of the attacker's decryptor
n_attack_test = 200  # held-out test images the attacker's decryptor must decrypt
leakage_train = 2000  # cipher images the diagnosis classifier is trained on
classifier_epochs = 5
n_sensitivity = 200
zoo_train = 1024  # images for training a learned cipher that no earlier chapter saved
zoo_epochs = 3
seed = 2026
alpha = 0.05
data_root = None

# %%
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from medcrypt import compare, data, metrics, plots, results, zoo
from medcrypt.attacks import diagnosis_leakage, known_plaintext_attack, sensitivity
from medcrypt.ciphers import available
from medcrypt.notebook import glue

chapter_start = time.perf_counter()
plt.rcParams["figure.dpi"] = 110
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the offline CI copies differ from the official files; expected
    train_split = data.load(dataset, "train", size=size, root=data_root)
    test_split = data.load(dataset, "test", size=size, root=data_root)
rng = np.random.default_rng(seed)
attacker_pool = train_split.images[rng.permutation(len(train_split))[:max(n_pairs)]]
attack_test = test_split.images[:n_attack_test]
leak_index = rng.permutation(len(train_split))[:leakage_train]
leak_train_images, leak_train_labels = train_split.images[leak_index], train_split.labels[leak_index]
names = ciphers or available()
print(f"{len(names)} ciphers; attacker pool {attacker_pool.shape}, held-out {attack_test.shape}, "
      f"classifier {leak_train_images.shape} -> {test_split.images.shape}")

# %% [markdown]
# ## 7.1 The ciphers under attack
#
# Learned ciphers are loaded from the weights that chapters 3 to 6 saved; when a chapter
# has not run (in Colab, for example), the cipher is trained here with its defaults and
# saved for the next run. Each cipher gets one key, drawn from the book's seed.

# %%
zoo_start = time.perf_counter()
ready = zoo.ready_all(weights_dir=weights_dir, results_dir=results_dir, train_images=train_split.subset(zoo_train, seed).images,
                      epochs=zoo_epochs, seed=seed, names=names)
keys = {name: cipher.keygen(seed=seed) for name, (cipher, _) in ready.items()}
roster = pd.DataFrame([{"cipher": name, "family": c.family, "key bits": c.key_bits, "lossless": c.lossless,
                        "weights": source} for name, (c, source) in ready.items()]).set_index("cipher")
glue("n_ciphers", len(roster))
glue("n_learned", int(sum(zoo.is_learned(n) for n in names)))
print(f"ready in {time.perf_counter() - zoo_start:.1f} s")
roster

# %% [markdown]
# ## 7.2 Known-plaintext attack by learning
#
# The attacker holds $n$ pairs $(p_i, E_k(p_i))$ made under the one secret key (or, for a
# cipher without a key, the one secret model); a sender that draws a fresh nonce per
# image does so for her pairs too. She does not know the cipher's structure, so she
# tries three decryptors and keeps the one that does best on a fifth of her own pairs:
# a *bitwise* model (each plain bit from the same cipher bit at the same pixel, the form
# of a fixed XOR), a *pixel-bit* network (any fixed byte substitution per pixel) and a
# *convolutional* network with one dense layer (smooth learned ciphers, fixed pixel
# moves); latent-code ciphertexts get a dense network. This is the approach of the
# learning attacks on chaotic and optical ciphers {cite}`li2004cryptanalysis`, with
# networks in place of algebra. Her decryptor then meets
# {glue:text}`n_attack_test_shown` test X-rays she never saw.
#
# The yardstick is the best guess that needs no ciphertext, the mean of her plaintexts:
# a cipher **leaks** when the attack beats that guess by more than 1 dB of PSNR.

# %%
glue("n_attack_test_shown", len(attack_test))
kpa_start = time.perf_counter()
kpa_rows, reconstructions = [], {}
for name, (cipher, _) in ready.items():
    for n in n_pairs:
        outcome = known_plaintext_attack(lambda p, c=cipher, k=keys[name]: c.encrypt(p, k), attacker_pool[:n],
                                         attack_test, steps=attack_steps, seed=seed)
        kpa_rows.append({"cipher": name, "pairs": n, "decryptor": outcome.model, "PSNR (dB)": outcome.psnr,
                         "SSIM": outcome.ssim, "guess PSNR (dB)": outcome.guess_psnr, "gain (dB)": outcome.gain_db})
        reconstructions[name] = outcome.reconstructions
kpa = pd.DataFrame(kpa_rows)
kpa_seconds = time.perf_counter() - kpa_start
glue("kpa_seconds", kpa_seconds)
finite_gain = kpa["gain (dB)"].clip(upper=60)  # a perfect recovery has infinite PSNR; plot it at +60 dB
fig, ax = plt.subplots(figsize=(7.5, 4.2))
for name, group in kpa.assign(gain=finite_gain).groupby("cipher"):
    ax.plot(group["pairs"], group["gain"], marker="o", label=name)
ax.axhline(1.0, color="grey", ls="--", lw=1)
ax.set(xscale="log", xlabel="known plaintext–cipher pairs", ylabel="PSNR gain over the no-ciphertext guess (dB)",
       title="Known-plaintext attack by learning (capped at 60 dB = exact)")
ax.legend(fontsize="x-small", ncol=2, bbox_to_anchor=(1.01, 1), loc="upper left")
fig.tight_layout()
kpa.pivot(index="cipher", columns="pairs", values="gain (dB)")

# %%
largest = kpa[kpa["pairs"] == max(n_pairs)].set_index("cipher")
shown = ["aes-ctr", "aes-ctr-nonce-reuse"] + [n for n in largest.sort_values("gain (dB)").index
                                              if zoo.is_learned(n)][-3:]
shown = [n for n in shown if n in reconstructions]
fig = plots.image_grid({"plain": attack_test, **{f"attack on {n}": reconstructions[n] for n in shown}}, n=6)

# %% [markdown]
# ## 7.3 Ciphertext-only: can the diagnosis be read from the cipher image?
#
# A classifier (the small CNN of chapter 4; a small perceptron for latent-code
# ciphertexts) is trained on {glue:text}`leakage_train_shown` cipher images labelled
# normal or pneumonia, all under one key, and tested on the cipher images of the
# {glue:text}`leakage_test_shown` test X-rays. The test for leakage is whether its AUC
# exceeds 0.5, by a one-sided Mann–Whitney test. Because {glue:text}`n_ciphers` ciphers are
# tested, each is tested at level {glue:text}`alpha_shown` / {glue:text}`n_ciphers` =
# {glue:text}`leak_alpha:.4f` (Bonferroni), so that an ideal cipher set raises a false
# alarm in at most {glue:text}`alpha_shown` of runs. AES-GCM draws its nonces from the
# operating system and cannot be seeded, so its row changes slightly from run to run.

# %%
glue("leakage_train_shown", len(leak_train_images))
glue("leakage_test_shown", len(test_split))
glue("alpha_shown", alpha)
leak_alpha = alpha / len(names)
glue("leak_alpha", leak_alpha)
leak_start = time.perf_counter()
leak_rows = []
for name, (cipher, _) in ready.items():
    scores = diagnosis_leakage(cipher.encrypt(leak_train_images, keys[name]), leak_train_labels,
                               cipher.encrypt(test_split.images, keys[name]), test_split.labels,
                               image_shape=test_split.images.shape[1:], epochs=classifier_epochs, seed=seed)
    leak_rows.append({"cipher": name, **scores})
leakage = pd.DataFrame(leak_rows).set_index("cipher")
glue("leak_seconds", time.perf_counter() - leak_start)
fig, ax = plt.subplots(figsize=(7.5, 3.6))
order = leakage.sort_values("auc").index
ax.barh(order, leakage.loc[order, "auc"], color=["tab:red" if p < leak_alpha else "tab:green"
                                                  for p in leakage.loc[order, "auc_p_value"]])
ax.axvline(0.5, color="k", ls="--", lw=1)
ax.set(xlabel="test AUC of a diagnosis classifier trained on cipher images", xlim=(0.3, 1.0),
       title="Ciphertext-only leakage (red: AUC significantly above 0.5)")
fig.tight_layout()
leakage

# %% [markdown]
# ## 7.4 Sensitivity to one pixel and to one key bit
#
# For {glue:text}`n_sensitivity_shown` test X-rays, the NPCR and UACI between the cipher
# images of two plaintexts that differ in one pixel, and of one plaintext under two keys
# that differ in one bit, each tested against the Wu et al. critical values for the
# actual image size {cite}`wu2011npcr`. A cipher fails when fewer of its images pass
# than an ideal cipher would let happen with probability {glue:text}`alpha_shown` (the
# ideal pass rate at 28×28 is itself below 95 %, see chapter 1). A cipher without a key
# fails the key test by definition.

# %%
glue("n_sensitivity_shown", n_sensitivity)
sens_rows = []
for name, (cipher, _) in ready.items():
    sens_rows.append({"cipher": name, **sensitivity(cipher, test_split.images[:n_sensitivity], keys[name], seed=seed,
                                                     alpha=alpha)})
sens = pd.DataFrame(sens_rows).set_index("cipher")
shown_sens = sens[["plaintext_npcr", "plaintext_uaci", "plaintext_passed", "key_npcr", "key_uaci", "key_passed"]]
shown_sens.astype(object).where(shown_sens.notna(), "no key")

# %% [markdown]
# ## 7.5 Summary
#
# One row per cipher. The known-plaintext column fails when the learned decryptor beat
# the no-ciphertext guess by more than 1 dB with {glue:text}`max_pairs` pairs; the figure
# is that gain. The diagnosis column gives the classifier's AUC on cipher images. The
# sensitivity columns fail when too few images pass the NPCR or the UACI test. A UACI
# far from its expected {glue:text}`uaci_expected_shown:.2%` fails as surely as a low
# NPCR: the chained diffusion of the textbook Hopfield cipher changes
# {glue:text}`hop_pixel_npcr:.2%` of the pixels after a one-pixel change, but by
# {glue:text}`hop_pixel_uaci:.2%` on average, and only {glue:text}`hop_uaci_rate:.0%`
# of its images pass the UACI test.

# %%
glue("max_pairs", max(n_pairs))
glue("uaci_expected_shown", metrics.uaci_expected())
if "chaos-hopfield" in sens.index:
    glue("hop_pixel_npcr", sens.loc["chaos-hopfield", "plaintext_npcr"])
    glue("hop_pixel_uaci", sens.loc["chaos-hopfield", "plaintext_uaci"])
    glue("hop_uaci_rate", sens.loc["chaos-hopfield", "plaintext_uaci_pass_rate"])


def mark(ok: bool, figure: str) -> str:
    return f"{'pass' if ok else 'FAIL'} ({figure})"


summary = pd.DataFrame({
    "family": roster["family"],
    "key bits": roster["key bits"],
    "known plaintext (gain)": [mark(largest.loc[n, "gain (dB)"] <= 1.0, f"{largest.loc[n, 'gain (dB)']:+.1f} dB")
                               for n in roster.index],
    "diagnosis leak (AUC)": [mark(leakage.loc[n, "auc_p_value"] >= leak_alpha, f"{leakage.loc[n, 'auc']:.2f}")
                             for n in roster.index],
    "one pixel (NPCR, UACI)": [mark(sens.loc[n, "plaintext_passed"], f"{100 * sens.loc[n, 'plaintext_npcr']:.2f} %, "
                                    f"{100 * sens.loc[n, 'plaintext_uaci']:.1f} %") for n in roster.index],
    "one key bit (NPCR, UACI)": [mark(sens.loc[n, "key_passed"], "no key" if pd.isna(sens.loc[n, "key_npcr"]) else
                                      f"{100 * sens.loc[n, 'key_npcr']:.2f} %, {100 * sens.loc[n, 'key_uaci']:.1f} %")
                                 for n in roster.index],
}, index=roster.index)
passed_all = compare.passed_every_attack(summary)
learned = [n for n in roster.index if zoo.is_learned(n)]
glue("learned_kpa_leaks", int(sum(largest.loc[n, "gain (dB)"] > 1.0 for n in learned)))
glue("learned_pixel_fails", int(sum(not sens.loc[n, "plaintext_passed"] for n in learned)))
glue("learned_diag_leaks", int(sum(leakage.loc[n, "auc_p_value"] < leak_alpha for n in learned)))
glue("learned_all_pass", int(sum(passed_all[n] for n in learned)))
glue("all_pass_names", ", ".join(passed_all[passed_all].index) or "none")
for name, short in [("aes-ctr", "aes"), ("aes-ctr-nonce-reuse", "reuse"), ("chaos-hopfield", "hop"),
                    ("gan-translation", "gant")]:
    if name in roster.index:
        glue(f"{short}_gain", largest.loc[name, "gain (dB)"])
        glue(f"{short}_auc", leakage.loc[name, "auc"])
summary.style.map(lambda v: "color: #b00020; font-weight: bold" if isinstance(v, str) and v.startswith("FAIL")
                  else "", subset=summary.columns[2:])

# %% [markdown]
# Of the {glue:text}`n_learned` learned ciphers, {glue:text}`learned_kpa_leaks` leak to the
# learning attack with {glue:text}`max_pairs` known pairs, {glue:text}`learned_diag_leaks`
# let a classifier read the diagnosis from their cipher images, and
# {glue:text}`learned_pixel_fails` fail the one-pixel test; {glue:text}`learned_all_pass`
# pass all four tests. The ciphers that pass everything are: {glue:text}`all_pass_names`.
#
# The control works as it should. AES-CTR with a fresh nonce per image keeps the attack
# at {glue:text}`aes_gain:+.1f` dB from the no-ciphertext guess and the classifier at an
# AUC of {glue:text}`aes_auc:.2f`; the same AES with one reused nonce is a fixed XOR, and the
# attack's gain jumps to {glue:text}`reuse_gain:+.1f` dB. So the attack is not blind, and
# a learned cipher that leaks is not a failure of the attack.
#
# **What this says about the "black box".** The attacker here knew nothing about any
# cipher's inside: she saw pairs, or only ciphertexts, and fitted generic networks.
# Where a cipher leaked, not knowing its structure did not protect it, because the
# structure can be learned from its input–output behaviour. A network without a key,
# such as the GAN translation cipher, is worse: its weights are the secret, so anyone
# who obtains the model file decrypts everything, which is security by obscurity and the
# opposite of Kerckhoffs's principle {cite}`kerckhoffs1883`. The ciphers that resist
# resist because of their key and their construction: a keyed permutation–diffusion
# or a standard cipher with fresh nonces, which anyone may inspect. The chosen-plaintext
# break of the deterministic chaotic ciphers (chapters 2 and 6) belongs in the same
# list; statistics and these attacks are necessary tests, not a proof of security.

# %%
rows = []
for name in roster.index:
    rows.append({"cipher": name, "family": roster.loc[name, "family"], "key_bits": int(roster.loc[name, "key bits"]),
                 "weights": roster.loc[name, "weights"],
                 "kpa": kpa[kpa["cipher"] == name].drop(columns="cipher").to_dict(orient="records"),
                 "kpa_gain_db": largest.loc[name, "gain (dB)"], "kpa_leaks": bool(largest.loc[name, "gain (dB)"] > 1.0),
                 **{f"leak_{k}": v for k, v in leakage.loc[name].items()},
                 "leaks_diagnosis": bool(leakage.loc[name, "auc_p_value"] < leak_alpha),
                 **sens.loc[name].to_dict(), "passed_all": bool(passed_all[name])})
metadata = results.run_metadata(chapter="07_attacks", profile=profile, seed=seed,
                                wall_time_s=time.perf_counter() - chapter_start, dataset=dataset, n_pairs=n_pairs,
                                attack_steps=attack_steps, n_attack_test=len(attack_test),
                                leakage_train=len(leak_train_images), kpa_seconds=kpa_seconds,
                                summary=summary.reset_index().to_dict(orient="records"))
print("wrote", results.write_results(results_dir, "07_attacks", rows, metadata))

# %% [markdown]
# ## Summary
#
# - The same three attacks ran on every registered cipher; the registry, not this page,
#   decides which ciphers appear.
# - A generic learned decryptor, given known pairs, is a fair test: it leaves AES-CTR at
#   the no-ciphertext guess and breaks AES-CTR with a reused nonce.
# - Not knowing a network's inside does not stop an attacker who can learn its
#   behaviour; a cipher without a key is broken by whoever holds its weights.
# - Passing these tests is necessary, not sufficient. For patient data the answer
#   remains a standard authenticated cipher such as AES-GCM.
