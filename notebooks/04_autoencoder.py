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
# # 4. Autoencoders and VAEs
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/medcrypt-book/dl-medical-image-encryption/blob/main/notebooks/04_autoencoder.ipynb)
#
# Autoencoders appear in medical image encryption in two roles. Either the network
# itself maps an image to a cipher image and back, or it compresses the image and a
# classical cipher encrypts the compressed code. Both decrypt only approximately, so
# besides the metric suite of chapter 1 this chapter asks the question a radiologist
# would ask: **does the decrypted image still support the diagnosis?** A small
# pneumonia classifier, trained on original images, answers it.

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
results_dir = "results"  # where this chapter writes 04_autoencoder.json
weights_dir = "weights"  # trained models are saved here and reused when present
dataset = "pneumoniamnist"
size = 28
n_train = None  # None: the whole training split; otherwise a seeded random subset
n_test = None  # None: the whole test split (held out)
keyed_epochs = 8
keyed_width = 16
latent_sizes = [16, 32, 64, 98]  # 98 bytes is an 8:1 compression of a 28×28 image
vae_latent = 32
hybrid_epochs = 8
classifier_epochs = 8
batch_size = 64
seed = 2026
alpha = 0.05
nist_bits = None  # cap on the cipher bits given to the NIST tests (None: all)
retrain = False
data_root = None

# %% tags=["hide-input"]
import time
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from medcrypt import classifier, data, literature, metrics, plots, results, train
from medcrypt.ciphers import (AuthenticationError, KeyedAutoencoderCipher, LatentHybridCipher,
                              VariationalLatentHybridCipher, get)
from medcrypt.ciphers.neural import load_or_train
from medcrypt.notebook import glue

chapter_start = time.perf_counter()
plt.rcParams["figure.dpi"] = 110
device = train.pick_device()
print("training on", device)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the offline CI copy is a subset with another checksum; expected
    train_split = data.load(dataset, "train", size=size, root=data_root).subset(n_train, seed)
    test_split = data.load(dataset, "test", size=size, root=data_root, limit=n_test)
train_images, test_images = train_split.images, test_split.images
print(f"{len(train_images)} training and {len(test_images)} held-out test images")
glue("n_train", len(train_images))
glue("n_test", len(test_images))
Path(weights_dir).mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## 4.1 The family in the literature
#
# **Encrypting the latent code.** Alslman et al. compress medical images with a
# convolutional autoencoder and encrypt the encoder's output with AES
# {cite}`alslman2022hybrid`. Cherifi et al. compress chest X-rays for tele-radiography
# and encrypt the latent code with a chaotic map {cite}`cherifi2026cae`. Madani and
# Bourennane mask the latent of a CNN autoencoder, the mask serving as the key
# {cite}`madani2025cnn`. In all of them the secret is a classical key and the network is
# a compressor; security comes from the classical cipher.
#
# **The network as the cipher.** Hu et al. combine a randomised autoencoder network with
# coupled chaotic systems {cite}`hu2023aenn`. Gupta's SEDD trains a shallow encoder and a
# deep decoder and calls the result lossy image encryption; its secret is the weights
# themselves, and the paper itself points out that such a network could serve
# cryptanalysis {cite}`gupta2020sedd`.
#
# In both roles the decoder only approximates the original. The values below come from
# `data/papers.csv` and `data/literature.csv`; empty cells are values no source we saw gives.

# %%
literature.review_table("autoencoder")

# %% [markdown]
# ## 4.2 A key-conditioned autoencoder cipher
#
# Our `ae-keyed` has an encoder $E(x, k)$ and a decoder $D(c, k)$, two small
# convolutional autoencoders whose bottleneck features are scaled and shifted by
# functions of a **128-bit key** $k$. The cipher image $c = E(x, k)$ has the size of the
# image and is rounded to `uint8`. Training minimises, over random keys,
#
# $$ \underbrace{\lVert D(c, k) - x \rVert_1}_{\text{reconstruction}}
#    + \lambda_s \underbrace{\big(H(c) + R(c)\big)}_{\text{statistics}}
#    + \lambda_w \underbrace{\max\!\big(0,\; m - \lVert D(c, k') - x \rVert_1\big)}_{\text{wrong key}}, $$
#
# where $H$ measures how far a soft histogram of $c$ is from flat, $R$ is the mean
# squared correlation of neighbouring cipher pixels, and $k'$ is $k$ with one random bit
# flipped: the wrong key that is hardest to reject. The weights are public; only $k$ is
# secret.

# %%
keyed_training = {"epochs": keyed_epochs, "n_train": len(train_images), "subset_seed": seed, "batch_size": batch_size, "dataset": dataset}
keyed, keyed_path, keyed_trained = load_or_train(
    KeyedAutoencoderCipher(image_shape=train_images.shape[1:], width=keyed_width, seed=seed), weights_dir,
    keyed_training, lambda c: c.fit(train_images, epochs=keyed_epochs, batch_size=batch_size, seed=seed),
    retrain=retrain)
print(("trained" if keyed_trained else "loaded"), keyed_path, f"({keyed.history.seconds:.0f} s of training)")
glue("keyed_train_s", keyed.history.seconds)
fig = keyed.history.plot(title="ae-keyed: loss terms per epoch")

# %% [markdown]
# ## 4.3 Encrypting the latent code
#
# For the hybrid, an autoencoder compresses each image to a latent vector of $d$
# numbers, each quantised to one byte, and AES-256-GCM from chapter 2 encrypts those $d$
# bytes. The cipher is a $d$-byte string plus GCM's 12-byte nonce and 16-byte tag; the
# AES key is the secret and the autoencoder is public. We train one autoencoder for each
# latent size and measure how much fidelity each compression ratio costs.

# %%
hybrids, hybrid_paths = {}, {}
for d in latent_sizes:
    hybrid_training = {"epochs": hybrid_epochs, "n_train": len(train_images), "subset_seed": seed, "batch_size": batch_size}
    hybrids[d], hybrid_paths[d], _ = load_or_train(
        LatentHybridCipher(image_shape=train_images.shape[1:], latent_dim=d, seed=seed), weights_dir,
        hybrid_training, lambda c: c.fit(train_images, epochs=hybrid_epochs, batch_size=batch_size, seed=seed),
        retrain=retrain)
vae, vae_path, _ = load_or_train(
    VariationalLatentHybridCipher(image_shape=train_images.shape[1:], latent_dim=vae_latent, seed=seed), weights_dir,
    {"epochs": hybrid_epochs, "n_train": len(train_images), "subset_seed": seed, "batch_size": batch_size},
    lambda c: c.fit(train_images, epochs=hybrid_epochs, batch_size=batch_size, seed=seed), retrain=retrain)

gcm_key = hybrids[latent_sizes[0]].keygen(seed=seed)
curve = []
for model in [*hybrids.values(), vae]:
    decrypted = model.decrypt(model.encrypt(test_images, gcm_key), gcm_key)
    curve.append({"model": model.name, "latent bytes": model.latent_dim, "compression": model.compression_ratio,
                  "compression incl. nonce+tag": model.compression_ratio_with_overhead,
                  "PSNR (dB)": metrics.psnr(test_images, decrypted).pooled,
                  "SSIM": metrics.ssim(test_images, decrypted).mean,
                  "training (s)": model.history.seconds})
curve = pd.DataFrame(curve).set_index("model")
fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
ae_rows = curve.loc[[h.name for h in hybrids.values()]]
for ax, column in zip(axes, ["PSNR (dB)", "SSIM"]):
    ax.plot(ae_rows["compression"], ae_rows[column], "o-", label="autoencoder")
    ax.plot(curve.loc[vae.name, "compression"], curve.loc[vae.name, column], "s", color="tab:red", label="VAE")
    for name, row in ae_rows.iterrows():
        ax.annotate(f"d={int(row['latent bytes'])}", (row["compression"], row[column]), textcoords="offset points",
                    xytext=(4, 4), fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("compression ratio (image bytes / latent bytes)")
    ax.set_ylabel(column)
    ax.legend(fontsize="small")
fig.suptitle("Fidelity of decryption against compression (held-out test images)")
fig.tight_layout()
for label, d in [("small", min(latent_sizes)), ("large", max(latent_sizes))]:
    glue(f"hybrid_{label}_psnr", curve.loc[hybrids[d].name, "PSNR (dB)"])
    glue(f"hybrid_{label}_ssim", curve.loc[hybrids[d].name, "SSIM"])
    glue(f"hybrid_{label}_ratio", hybrids[d].compression_ratio)
glue("vae_name", vae.name)
glue("vae_psnr", curve.loc[vae.name, "PSNR (dB)"])
same_size = hybrids.get(vae_latent)
glue("ae_same_size_psnr", curve.loc[same_size.name, "PSNR (dB)"] if same_size else float("nan"))
curve.round(3)

# %% [markdown]
# At {glue:text}`hybrid_large_ratio:.0f`:1 the decrypted test images reach a PSNR of
# {glue:text}`hybrid_large_psnr:.2f` dB and an SSIM of {glue:text}`hybrid_large_ssim:.3f`; at
# {glue:text}`hybrid_small_ratio:.0f`:1, {glue:text}`hybrid_small_psnr:.2f` dB and
# {glue:text}`hybrid_small_ssim:.3f`. Cherifi et al. report 36 dB and an SSIM of 96 % at an
# 8:1 compression of chest X-rays {cite}`cherifi2026cae`; their images and model are
# larger than ours, so the comparison is of orders of magnitude, not a ranking.
#
# **What "entropy of the cipher" means here.** The cipher is now $d$ bytes of AES-GCM
# output, not an image. Its byte histogram is flat because AES makes it so, whatever the
# autoencoder does, so its entropy measures AES, not the scheme. Two further cautions:
# $d$ bytes are a tiny sample, so even ideal output has a per-code entropy far below 8
# bits (chapter 1), and adjacent-pixel correlation has no vertical or diagonal
# neighbours to measure. The quantities that describe the *scheme* are the compression
# ratio, the fidelity of decryption, and what a wrong key does, and for the hybrid GCM
# answers the last one outright: the decryption is refused.

# %% [markdown]
# ## 4.4 The VAE as a compressor, and why authentication matters
#
# A variational autoencoder (VAE) {cite}`kingma2014vae` is trained to make its latent
# codes look like draws from a standard normal distribution, with a Kullback–Leibler
# penalty. As a compressor it is the {glue:text}`vae_name` row above: at the same
# latent size its decryptions reach {glue:text}`vae_psnr:.2f` dB, against
# {glue:text}`ae_same_size_psnr:.2f` dB for the plain autoencoder; that difference is the
# price of a regular latent space in this run. The regularity has a consequence that matters for encryption: **any**
# latent vector decodes to a plausible image. If the latent were encrypted with an
# unauthenticated cipher, a wrong key or a corrupted byte would not give noise but a
# convincing chest X-ray of nobody. The images below are decoded from random latent
# vectors drawn from the prior.

# %%
prior = np.random.default_rng(seed).normal(size=(6, vae_latent)).clip(-3, 3)
fake = vae.decode_latent(((prior / 3 + 1) * 127.5).round().astype(np.uint8))
fig = plots.image_grid({"real X-rays": test_images, "VAE decoding of random codes": fake}, n=6)

# %% [markdown]
# With AES-GCM the danger does not arise: a wrong key or an altered byte makes decryption
# fail before anything is decoded.

# %%
try:
    vae.decrypt(vae.encrypt(test_images[:4], gcm_key), vae.flip_key_bit(gcm_key, 0))
except AuthenticationError as error:
    print("wrong key:", error)

# %% [markdown]
# ## 4.5 The metric suite
#
# The key-conditioned cipher, the {glue:text}`vae_latent`-byte hybrids with an autoencoder
# and with a VAE, and AES-CTR, on the {glue:text}`n_test` held-out test images.

# %%
glue("vae_latent", vae_latent)
aes = get("aes-ctr", nonce_seed=seed)
keyed_key = keyed.keygen(seed=seed)
candidates = [(keyed, keyed_key), (hybrids.get(vae_latent, hybrids[latent_sizes[0]]), gcm_key), (vae, gcm_key),
              (aes, aes.keygen(seed=seed))]
rows = [metrics.evaluate(c, test_images, k, dataset=dataset, profile=profile, seed=seed, alpha=alpha,
                         nist_bits=nist_bits, training_time_s=getattr(c, "history", None) and c.history.seconds)
        for c, k in candidates]
columns = {**results.SUMMARY_COLUMNS, "cipher_bytes_per_image": ("cipher bytes", 0), "decrypt_ssim": ("SSIM", 3),
           "wrong_key_ssim": ("wrong-key SSIM", 3), "parameters": ("parameters", 0)}
results.styled(results.summary_table(rows, columns), columns)

# %%
row = {r["cipher"]: r for r in rows}
for key in ["entropy_per_image", "entropy_expected_per_image", "chi2_p_pooled", "corr_h_pooled", "npcr",
            "key_npcr", "decrypt_psnr", "decrypt_ssim", "wrong_key_psnr", "wrong_key_ssim", "nist_passed", "nist_run"]:
    glue(f"keyed_{key}", row[keyed.name][key])
glue("aes_wrong_key_psnr", row["aes-ctr"]["wrong_key_psnr"])
glue("aes_entropy_per_image", row["aes-ctr"]["entropy_per_image"])

keyed_cipher = keyed.encrypt(test_images[:6], keyed_key)
fig = plots.image_grid({"plain": test_images, "ae-keyed cipher": keyed_cipher,
                        "decrypted": keyed.decrypt(keyed_cipher, keyed_key),
                        "key 1 bit off": keyed.decrypt(keyed_cipher, keyed.flip_key_bit(keyed_key, 77)),
                        f"AE-{latent_sizes[-1]} + GCM": hybrids[latent_sizes[-1]].decrypt(
                            hybrids[latent_sizes[-1]].encrypt(test_images[:6], gcm_key), gcm_key),
                        f"VAE-{vae_latent} + GCM": vae.decrypt(vae.encrypt(test_images[:6], gcm_key), gcm_key)}, n=6)
fig = plots.histogram_panel({"plaintext": test_images, "ae-keyed cipher": keyed.encrypt(test_images, keyed_key),
                             "AE latent + GCM (bytes)": np.asarray(hybrids[latent_sizes[-1]].encrypt(test_images, gcm_key))})
fig = plots.adjacent_scatter({"ae-keyed cipher": keyed.encrypt(test_images, keyed_key),
                              "AES-CTR": aes.encrypt(test_images, aes.keygen(seed=seed))})

# %% [markdown]
# The key-conditioned cipher decrypts to a PSNR of {glue:text}`keyed_decrypt_psnr:.2f` dB and
# an SSIM of {glue:text}`keyed_decrypt_ssim:.3f`; with the key one bit off, to
# {glue:text}`keyed_wrong_key_psnr:.2f` dB and {glue:text}`keyed_wrong_key_ssim:.3f`
# (AES-CTR's wrong key: {glue:text}`aes_wrong_key_psnr:.2f` dB). Its cipher images have a
# per-image entropy of {glue:text}`keyed_entropy_per_image:.4f` bits against
# {glue:text}`keyed_entropy_expected_per_image:.4f` expected, a horizontal correlation of
# {glue:text}`keyed_corr_h_pooled:.4f`, a pooled chi-square p-value of
# {glue:text}`keyed_chi2_p_pooled:.3g`, and pass {glue:text}`keyed_nist_passed` of
# {glue:text}`keyed_nist_run` NIST tests. A one-pixel change of the plaintext changes
# {glue:text}`keyed_npcr:.2%` of the cipher pixels and a one-bit change of the key
# {glue:text}`keyed_key_npcr:.2%`: a convolutional encoder is local and smooth, which is
# the opposite of diffusion.
#
# Compare the two decryption figures. When the wrong-key PSNR is close to the right-key
# PSNR, the decoder has learned to read the image out of the cipher image *without* the
# key, and the key protects nothing, whatever the cipher statistics say. Nothing in the
# architecture forces a learned decoder to depend on the key; the wrong-key loss only
# asks it to, and it competes with reconstruction. The loss curves in section 4.2 show
# which of the two won in this run.

# %% [markdown]
# ## 4.6 Diagnostic utility
#
# A small CNN is trained on the original training images to tell pneumonia from normal.
# We then give it the original test images and the decrypted test images of every
# variant. AES-GCM decrypts exactly, so its row equals the original one and serves as
# the check.

# %%
model, clf_history = classifier.train_classifier(train_images, train_split.labels, epochs=classifier_epochs,
                                                 batch_size=batch_size, seed=seed)
labels = test_split.labels
gcm = get("aes-gcm")
gcm_images_key = gcm.keygen(seed=seed)
variants = {"original": test_images,
            "AES-GCM (exact)": gcm.decrypt(gcm.encrypt(test_images, gcm_images_key), gcm_images_key),
            "ae-keyed": keyed.decrypt(keyed.encrypt(test_images, keyed_key), keyed_key),
            "ae-keyed, key 1 bit off": keyed.decrypt(keyed.encrypt(test_images, keyed_key),
                                                     keyed.flip_key_bit(keyed_key, 77))}
for model_ in [*hybrids.values(), vae]:
    variants[f"{model_.name} ({model_.compression_ratio:.0f}:1)"] = model_.decrypt(model_.encrypt(test_images, gcm_key),
                                                                                   gcm_key)
utility = pd.DataFrame({name: {**classifier.diagnostic_scores(model, images, labels),
                               "PSNR (dB)": metrics.psnr(test_images, images).pooled}
                        for name, images in variants.items()}).T
glue("clf_accuracy", utility.loc["original", "accuracy"])
glue("clf_auc", utility.loc["original", "auc"])
glue("keyed_clf_auc", utility.loc["ae-keyed", "auc"])
glue("keyed_wrong_clf_auc", utility.loc["ae-keyed, key 1 bit off", "auc"])
small = [n for n in variants if n.startswith(hybrids[latent_sizes[0]].name)][0]
large = [n for n in variants if n.startswith(hybrids[latent_sizes[-1]].name)][0]
glue("small_clf_auc", utility.loc[small, "auc"])
glue("large_clf_auc", utility.loc[large, "auc"])
fig = clf_history.plot(title="diagnostic classifier (trained on original images)")
utility.round(3)

# %% [markdown]
# On the original test images the classifier reaches an accuracy of
# {glue:text}`clf_accuracy:.1%` and an AUC of {glue:text}`clf_auc:.3f`. On images decrypted by
# the key-conditioned autoencoder its AUC is {glue:text}`keyed_clf_auc:.3f`; on the hybrids'
# decryptions it ranges from {glue:text}`small_clf_auc:.3f` at the strongest compression to
# {glue:text}`large_clf_auc:.3f` at the weakest. With the autoencoder cipher's key one bit off,
# the AUC is {glue:text}`keyed_wrong_clf_auc:.3f`: the closer that is to the original, the
# more of the diagnosis a wrong key still reveals. An AUC measured by a small classifier
# is a proxy, not a radiologist, but the direction is clear: every lossy scheme gives up
# some diagnostic information, and the loss is a property to report, not a footnote.

# %% tags=["hide-input"]
checkpoints = {"ae-keyed": keyed_path.name, "vae-latent-gcm": vae_path.name}
if vae_latent in hybrid_paths:  # chapter 7 attacks the autoencoder hybrid of the VAE's latent size
    checkpoints["ae-latent-gcm"] = hybrid_paths[vae_latent].name
metadata = results.run_metadata(
    chapter="04_autoencoder", profile=profile, seed=seed, wall_time_s=time.perf_counter() - chapter_start,
    dataset=dataset, n_train=len(train_images), n_test=len(test_images), device_training=str(device),
    checkpoints=checkpoints, compression_curve=curve.reset_index().to_dict(orient="records"),
    diagnostic_utility=utility.reset_index().rename(columns={"index": "variant"}).to_dict(orient="records"),
    losses={"ae-keyed": keyed.history.losses, "classifier": clf_history.losses})
print("wrote", results.write_results(results_dir, "04_autoencoder", rows, metadata))

# %% [markdown]
# ## Summary
#
# - Autoencoders either *are* the cipher or *compress* for a classical cipher; both
#   decrypt approximately.
# - A key-conditioned autoencoder can be trained towards flat histograms and wrong-key
#   failure, but a convolutional encoder diffuses poorly: one changed pixel or key bit
#   changes only part of the cipher image.
# - Encrypting the latent code with AES-GCM puts the security where it belongs, in a
#   vetted cipher, and leaves the network to trade compression against fidelity.
# - A VAE decodes any code to a plausible image, so its latents must be authenticated.
# - Diagnostic utility measured by a classifier shows what each compression ratio costs.
