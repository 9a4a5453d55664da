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
# # 3. GAN-based methods
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/medcrypt-book/dl-medical-image-encryption/blob/main/notebooks/03_gan.ipynb)
#
# Generative adversarial networks enter medical image encryption in two distinct ways.
# Some schemes **translate** a medical image into a noise-like "cipher domain" and train
# a second network to translate it back, as DeepEDN does {cite}`ding2020deepedn`. Others
# use a GAN only to **generate a key**, which is then combined with the image by a
# classical operation, as DeepKeyGen does {cite}`ding2021deepkeygen`. This chapter reviews
# both, builds a compact version of each, trains them on PneumoniaMNIST and measures them
# beside AES-CTR with the suite of chapter 1.

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
results_dir = "results"  # where this chapter writes 03_gan.json
weights_dir = "weights"  # trained models are saved here (chapter 8 loads them) and reused when present
dataset = "pneumoniamnist"
size = 28
n_train = None  # None: every training image in the data root (offline copies may hold a subset); else a seeded subset
n_test = None  # None: the whole test split (held out from training)
translation_epochs = 8
translation_width = 16
keygen_epochs = 20
keygen_samples = 4096  # uniform-noise "real keys" per epoch
batch_size = 64
n_key_samples = 500  # generated keys measured in section 3.4
seed = 2026
alpha = 0.05
nist_bits = None  # cap on the cipher bits given to the NIST tests (None: all)
retrain = False  # True: ignore saved weights and train again
data_root = None

# %% tags=["hide-input"]
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch

from medcrypt import attempts, bench, data, metrics, plots, results, train
from medcrypt.book import literature, prose, reproduction
from medcrypt.ciphers import GANKeyGenCipher, GANTranslationCipher, get
from medcrypt.ciphers.neural import load_or_train
from medcrypt.book.notebook import glue

chapter_start = time.perf_counter()
plt.rcParams["figure.dpi"] = 110
device = train.pick_device()
train_images, tests = data.train_and_tests([dataset], size=size, n_train=n_train, n_test=n_test, seed=seed,
                                           root=data_root)
test_images = tests[dataset]
print(f"training on {device}: {len(train_images)} training and {len(test_images)} held-out test images")
glue("n_train", len(train_images))
glue("n_test", len(test_images))
glue("size", size)
glue("on_device", prose.on_device(device))

# %% [markdown]
# ## 3.1 The family in the literature
#
# **Translation.** DeepEDN trains a CycleGAN between chest X-rays and a target domain
# of noise-like images; the generator that maps X-rays into that domain encrypts, and a
# reconstruction network decrypts {cite}`ding2020deepedn`. DeepEDN also trains a
# region-of-interest (ROI) mining network that extracts the object of interest, such as a
# lesion, directly from the cipher images {cite}`ding2020deepedn`. That such a network
# can work at all says something about the cipher: the cipher domain keeps enough of the
# image's structure for a network to find the region of interest, so the cipher images
# leak it. The output of an ideal cipher carries no such structure, and no network could
# find a lesion in it. Later schemes follow the same plan
# {cite}`inam2024cyclegan,panwar2023encipher`, and CryptoGAN trains its generator on
# AES-encrypted targets {cite}`bhat2024cryptogan`. In translation schemes the working key
# is the trained network itself; Encipher GAN assigns trained weights to the network by
# a secret key {cite}`panwar2023encipher`. Decryption is by a learned network, so it is
# approximate, and papers judge it by PSNR and SSIM.
#
# **Key generation.** DeepKeyGen trains a generator to produce private keys that, its
# authors argue, differ between training runs, and combines them with the image
# {cite}`ding2021deepkeygen`. Deep-KEDI generates keys with a GAN and applies them by XOR
# in a zigzag cipher {cite}`selvakumar2024deepkedi`; other schemes feed generated values
# into chaotic permutation and diffusion {cite}`kumar2025dcgan,murmu2024gan`. Decryption
# is exact whenever the combination is (XOR, addition modulo 256).
#
# **GANs beside classical ciphers.** A larger group uses the GAN for one stage and a
# classical cipher for the rest. Singh et al. train a GAN on logistic-map sequences and
# use it as the random number generator of substitution, permutation and diffusion boxes
# {cite}`singh2022robust`. For medical images, a GAN-generated fake image feeds a tent
# map, a hash and DNA coding {cite}`murmu2024novel`, a GAN with a hash table and a 2-D
# chaotic map raises the key's entropy before two rounds of confusion and diffusion
# {cite}`kumar2023enhancing`, and an improved GAN drives a hyperchaotic double-image
# cipher {cite}`dai2024image`. Outside medicine, a GAN with an optical chaotic map
# encrypts faces {cite}`alsafyani2023face`, and another scrambles documents and signs
# them {cite}`radhi2024enhancing`. In all of these the security argument rests on the
# classical stages, and the papers evaluate it with the statistics of chapter 1.
#
# **Attacks.** Trained encryption and decryption networks are software artefacts that
# can be tampered with: backdoors have been demonstrated against networks of the DeepEDN
# type {cite}`ding2023backdoor`.
#
# The table collects what the sources we could read say; it comes from
# `data/papers.csv` and `data/literature.csv`. An empty cell means that no source we saw gives the value. For
# most of these papers only the abstract or front matter was available to us, so the
# numbers inside their results tables are missing here rather than guessed.

# %%
review = literature.review_table("gan")
review

# %% [markdown]
# ## 3.2 A DeepEDN-style translation cipher
#
# **The GAN game.** A generative adversarial network {cite}`goodfellow2014gan` trains a
# generator $G$ against a discriminator $D$:
#
# $$ \min_G \max_D \; \mathbb{E}_{y \sim p_{\text{data}}}\big[\log D(y)\big]
#    + \mathbb{E}_{z \sim p_z}\big[\log\big(1 - D(G(z))\big)\big], $$
#
# where $p_{\text{data}}$ is the distribution the generator should imitate, $G(z)$ is the
# sample it makes from a random input $z$ drawn from $p_z$, and $D(y) \in (0, 1)$ is the
# discriminator's probability that $y$ is a real sample. The discriminator learns to tell
# the two apart; the generator learns to make that impossible.
#
# **CycleGAN.** To translate between two image domains $X$ and $Y$ without paired
# examples, CycleGAN {cite}`zhu2017cyclegan` trains two generators, $G: X \to Y$ and
# $F: Y \to X$, each against a discriminator of its target domain ($D_Y$ and $D_X$), and
# adds a cycle-consistency term:
#
# $$ \mathcal{L}(G, F, D_X, D_Y) = \mathcal{L}_{\text{GAN}}(G, D_Y) + \mathcal{L}_{\text{GAN}}(F, D_X)
#    + \lambda\, \mathcal{L}_{\text{cyc}}(G, F), \qquad
#    \mathcal{L}_{\text{cyc}}(G, F) = \mathbb{E}_{x}\big[\lVert F(G(x)) - x \rVert_1\big]
#    + \mathbb{E}_{y}\big[\lVert G(F(y)) - y \rVert_1\big], $$
#
# where each $\mathcal{L}_{\text{GAN}}$ is the adversarial objective above for one
# generator and its discriminator, $\lVert\cdot\rVert_1$ is the sum of absolute pixel
# differences, and $\lambda$ sets how strictly a round trip must return to where it
# started. The adversarial terms make translated images look like the target domain; the
# cycle term makes $F$ undo $G$, which is what lets $F$ decrypt.
#
# Our `gan-translation` is such a CycleGAN shrunk to MedMNIST size: two generators
# (encoder, two residual blocks, decoder) and two PatchGAN discriminators, which we call
# critics.
#
# - **PatchGAN critics.** A PatchGAN {cite}`isola2017pix2pix` does not give one score per
#   image. It is a small convolutional network whose output is a grid of scores, each
#   judging one overlapping patch of the input; the losses average over the grid. For our
#   images the grid is {glue:text}`patch_rows` × {glue:text}`patch_cols` scores. A patch
#   critic judges local texture, which is where a cipher image and an X-ray differ most.
# - **Target domain.** We choose images of independent, uniformly distributed 8-bit
#   pixels: the distribution of an ideal cipher image, which is what AES-CTR produces.
#   Any other target (a fixed texture, a natural-image domain) would give the critic a
#   goal that is *not* the statistics of a good cipher.
# - **Losses.** Like CycleGAN, we replace the logarithms by the least-squares loss of
#   LSGAN {cite}`mao2017lsgan`. Write $E$ for the encryptor ($G$ above), $F$ for the
#   decryptor, $C_{\mathrm{c}}$ and $C_{\mathrm{p}}$ for the critics of cipher and plain
#   images, $q$ for rounding to the 256 grey levels, $x$ for an X-ray and $n$ for an image
#   of uniform noise. The generators minimise
#
#   $$ \mathcal{L}_{E,F} = \mathbb{E}_x\big[(C_{\mathrm{c}}(q(E(x))) - 1)^2\big]
#      + \mathbb{E}_n\big[(C_{\mathrm{p}}(F(n)) - 1)^2\big]
#      + \lambda \Big(\mathbb{E}_x \big\lVert F(q(E(x))) - x \big\rVert_1
#      + \mathbb{E}_n \big\lVert q(E(F(n))) - n \big\rVert_1\Big) $$
#
#   and the critics minimise
#
#   $$ \mathcal{L}_{C} = \tfrac12 \Big(\mathbb{E}_n\big[(C_{\mathrm{c}}(n) - 1)^2\big]
#      + \mathbb{E}_x\big[C_{\mathrm{c}}(q(E(x)))^2\big]
#      + \mathbb{E}_x\big[(C_{\mathrm{p}}(x) - 1)^2\big]
#      + \mathbb{E}_n\big[C_{\mathrm{p}}(F(n))^2\big]\Big). $$
#
#   A critic is trained towards the score $1$ on real samples and $0$ on generated ones,
#   and the generators towards making their samples score $1$. The squares are averaged over
#   each critic's grid of scores, the norms are mean absolute differences of pixels scaled
#   to $[-1, 1]$, and $\lambda$ is {glue:text}`cycle_weight:g`. Each batch takes one step of
#   the generators and then one of the critics. The rounding $q$ is applied in the
#   forward pass (with a straight-through gradient), because a `uint8` cipher image is
#   what would be stored and sent.
# - **The secret.** There is no key input. Whoever holds the decryptor's weights decrypts
#   every image, and whoever holds the encryptor's weights can encrypt. Under
#   Kerckhoffs's principle the trained weights *are* the key, so the scheme's security is
#   security by obscurity, and its `key_bits` is 0.

# %% tags=["remove-stderr"]
Path(weights_dir).mkdir(parents=True, exist_ok=True)
translation_training = {"epochs": translation_epochs, "n_train": len(train_images), "subset_seed": seed, "batch_size": batch_size,
                        "dataset": dataset}
translator, translator_path, translator_trained = load_or_train(
    GANTranslationCipher(image_shape=train_images.shape[1:], width=translation_width, seed=seed),
    weights_dir, translation_training,
    lambda c: c.fit(train_images, epochs=translation_epochs, batch_size=batch_size, seed=seed), retrain=retrain)
print(("trained" if translator_trained else "loaded"), translator_path.name, f"({translator.history.seconds:.0f} s of training)")
with torch.no_grad():
    patch_scores = translator.modules["critic_cipher"](torch.zeros(1, 1, *train_images.shape[1:3], device=translator.device))
print("one critic's grid of patch scores:", tuple(patch_scores.shape[-2:]))

# %% tags=["hide-input"]
tr_losses = translator.history.losses
glue("patch_rows", int(patch_scores.shape[-2]))
glue("patch_cols", int(patch_scores.shape[-1]))
glue("cycle_weight", translator.config["cycle_weight"])
glue("translation_epochs_run", len(tr_losses["cycle plain"]))
glue("translation_params", f"{translator.parameter_count():,}")
glue("translation_width", translation_width)
glue("default_translation_width", GANTranslationCipher().config["width"])
glue("translation_generator_params", f"{sum(p.numel() for n, m in translator.modules.items() if 'critic' not in n for p in m.parameters()):,}")
glue("translation_train_s", translator.history.seconds)
# A critic that answers 1/2 for everything: each squared term is 1/4, and L_C (two critics) is 1/2.
glue("tr_critic_verdict", prose.critic_verdict(tr_losses["critics (D)"][-1], equilibrium=0.5))
glue("tr_adversarial_trend", prose.loss_trend("the generators' adversarial loss", tr_losses["adversarial (G)"]))
glue("tr_cycle_plain_trend", prose.loss_trend("the plain cycle loss (X-ray → cipher → X-ray)", tr_losses["cycle plain"]))
glue("tr_cycle_noise_trend", prose.loss_trend("the noise cycle loss (noise → X-ray → noise)", tr_losses["cycle noise"]))

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Training losses of gan-translation per epoch: the adversarial losses of the generators and the critics (left) and the two cycle-consistency losses (right).", "name": "fig-gan-translation-losses"}, "image": {"alt": "Line plots of the adversarial and cycle losses of the translation cipher against the training epoch."}}
fig = translator.history.plot(groups={"adversarial": ["adversarial (G)", "critics (D)"],
                                      "cycle (L1, scale [-1, 1])": ["cycle plain", "cycle noise"]})
fig.axes[0].axhline(0.5, color="grey", linestyle=":", label="critics that cannot tell (½)")
fig.axes[0].legend(fontsize="small");

# %% [markdown]
# A critic that cannot tell real from generated samples answers $\tfrac12$ for all of
# them, so each squared term above is $\tfrac14$: the critics' loss $\mathcal{L}_C$ is then
# $\tfrac12$, and so is the adversarial part of $\mathcal{L}_{E,F}$. That is the dotted reference line in the left
# panel. In the last of the {glue:text}`translation_epochs_run` epochs the critics' mean loss
# was {glue:text}`tr_critic_verdict`. Over the epochs (each value is an epoch's mean over its
# batches), {glue:text}`tr_adversarial_trend`;
# {glue:text}`tr_cycle_plain_trend`, and {glue:text}`tr_cycle_noise_trend`. The plain
# cycle loss is the decryption error in training; section 3.6 measures it on held-out
# images.

# %% [markdown]
# ## 3.3 A DeepKeyGen-style key generator
#
# Our `gan-keygen` maps a secret **128-bit seed** to a key image with a small
# fully-connected generator. A PatchGAN critic compares its outputs with images of
# uniform noise, the distribution a key image should have, with the same least-squares
# losses: the generator minimises $\mathbb{E}_s\big[(C(G(s)) - 1)^2\big]$ over random seeds
# $s$, and the critic minimises
# $\tfrac12\big(\mathbb{E}_n\big[(C(n) - 1)^2\big] + \mathbb{E}_s\big[C(G(s))^2\big]\big)$.
# To encrypt, the key image is added to the plaintext modulo 256; to decrypt, it is
# subtracted, so decryption is exact. The generator's weights are public, as
# Kerckhoffs's principle requires; only the seed is secret, and `key_bits` is 128.
#
# One seed gives one key image. Encrypting two images with the same seed is therefore a
# **two-time pad**: the difference of the two cipher images is the difference of the two
# plaintexts. Used safely, the scheme needs a fresh seed for every image, exactly like the
# nonce of AES-CTR, and then the seed has to travel or be agreed for every image.
#
# **Making the seed matter.** DeepKeyGen and Deep-KEDI present the generated key as the
# secret {cite}`ding2021deepkeygen,selvakumar2024deepkedi`. For that, a seed one bit off
# must give a key image unrelated to the right one: otherwise decrypting with it
# subtracts nearly the right key and shows the image. Chapter 8's key audit checks exactly
# this, bit by bit. We train four attempts for the same epochs and audit each one's 128
# seed bits on {glue:text}`audit_images` test images:
#
# - *as first built*: the seed's bits go straight into the generator, which ends in tanh;
# - *hashed key*: the seed is first hashed (SHAKE-256), so that a seed one bit off is an
#    unrelated generator input, as the hash or chaotic-map key derivations of the papers
#    make it {cite}`kumar2025dcgan,murmu2024novel`;
# - *+ key diversity*: a term pulls the difference of the key images of two seeds one bit
#    apart, taken modulo 256, towards uniform, the mode-seeking idea {cite}`mao2019mode`
#    aimed at the audit: that difference is exactly what a wrong seed adds to the plaintext;
# - *sawtooth output*: no diversity term, but the generator's last activation wraps its
#    output modulo 256 instead of saturating in tanh, the modulo step of a chaotic map.

# %% tags=["remove-stderr"]
keygen_training = {"epochs": keygen_epochs, "samples": keygen_samples, "batch_size": batch_size}
keygen_attempts = attempts.run(
    lambda **options: GANKeyGenCipher(image_shape=train_images.shape[1:], seed=seed, **options),
    attempts.KEY_ATTEMPTS["gan-keygen"], weights_dir=weights_dir, training=keygen_training, test_images=test_images,
    train=lambda c: c.fit(keygen_samples, epochs=keygen_epochs, batch_size=batch_size, seed=seed), key_seed=seed,
    retrain=retrain)
keygen_best = attempts.strongest(keygen_attempts)
keygen, keygen_path = keygen_best.cipher, keygen_best.path
attempts.table(keygen_attempts)

# %% tags=["hide-input"]
keygen_records = [a.to_dict() for a in keygen_attempts]
glue("audit_images", attempts.AUDIT_IMAGES)
glue("keygen_attempts_sentence", prose.attempts_sentence("gan-keygen", keygen_records, keygen_best.label))
glue("keygen_chosen", keygen_best.label)
kg_losses = keygen.history.losses
glue("keygen_params", keygen.parameter_count())
glue("keygen_train_s", keygen.history.seconds)
glue("keygen_epochs_run", len(kg_losses["critic"]))
# One critic answering 1/2 for everything: each squared term is 1/4, the critic's loss 1/4.
glue("kg_critic_verdict", prose.critic_verdict(kg_losses["critic"][-1], equilibrium=0.25))
glue("kg_generator_trend", prose.loss_trend("the generator's loss", kg_losses["generator"]))

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Training losses of the four gan-keygen attempts per epoch: the least-squares losses of the generator and of its critic, and the key-diversity term where it was trained.", "name": "fig-gan-keygen-losses"}, "image": {"alt": "Three panels of line plots, generator, critic and key-diversity losses per epoch, one line per training attempt."}}
fig = plots.attempt_curves({a.label: a.cipher.history.losses for a in keygen_attempts},
                           ["generator", "critic", "key diversity"], title="gan-keygen: losses per attempt")

# %% [markdown]
# {glue:text}`keygen_attempts_sentence` Here one critic answering $\tfrac12$ everywhere
# has a loss of $\tfrac14$. For the attempt chosen, “{glue:text}`keygen_chosen`”, in the
# last of the {glue:text}`keygen_epochs_run` epochs the critic's mean loss was
# {glue:text}`kg_critic_verdict`; {glue:text}`kg_generator_trend`.

# %% [markdown]
# ## 3.4 How random are the generated keys?
#
# A key generator is only as good as its keys, so before looking at cipher images we
# measure the keys themselves: {glue:text}`n_key_samples` key images from random seeds,
# with the histogram, correlation and NIST statistics of chapter 1, and the key
# sensitivity of the generator: how much a key image changes when one bit of its seed
# flips. For a good generator a one-bit change of the seed gives a key image as
# different as that of an unrelated seed, and two independent uniform images differ in
# {glue:text}`npcr_expected:.2%` of their pixels on average (chapter 1).

# %%
seed_rng = np.random.default_rng(seed)
seeds = [seed_rng.bytes(16) for _ in range(n_key_samples)]
key_images = keygen.key_images(seeds)
neighbours = keygen.key_images([keygen.flip_key_bit(s, int(seed_rng.integers(0, 128))) for s in seeds])
unrelated = keygen.key_images([seed_rng.bytes(16) for _ in range(n_key_samples)])
key_entropy = metrics.entropy(key_images)
one_bit = metrics.npcr_uaci(key_images, neighbours)
independent = metrics.npcr_uaci(key_images, unrelated)
key_nist = metrics.nist_summary(metrics.nist_report(metrics.bitstream(key_images, nist_bits)))
# The pooled NPCR averages all key pixels, so its critical value is that of one image of all of them.
npcr_critical_keys = metrics.npcr_critical(metrics.pixels_per_image(key_images) * n_key_samples, alpha)

# %% tags=["hide-input"]
key_stats = {
    "entropy per key (bits)": (key_entropy.mean, "{:.4f}"),
    f"expected for random {size}×{size} images (bits)": (metrics.expected_entropy(metrics.pixels_per_image(key_images)), "{:.4f}"),
    "entropy pooled (bits)": (key_entropy.pooled, "{:.4f}"),
    "χ² p-value pooled": (metrics.chi_square(key_images).p_value.pooled, prose.p_value_text),
    "horizontal correlation": (metrics.correlation(key_images, "horizontal").pooled, "{:.4f}"),
    "NPCR, seeds one bit apart": (one_bit.npcr.pooled, "{:.2%}"),
    "UACI, seeds one bit apart": (one_bit.uaci.pooled, "{:.2%}"),
    "NPCR, unrelated seeds": (independent.npcr.pooled, "{:.2%}"),
    "distinct keys": (len({k.tobytes() for k in key_images}), "{:d}"),
    "NIST rows passed": (int(key_nist["nist_passed"]), "{:d}"),
    "NIST rows run": (int(key_nist["nist_run"]), "{:d}"),
}
pd.DataFrame({"generated keys": {label: fmt(value) if callable(fmt) else fmt.format(value)
                                  for label, (value, fmt) in key_stats.items()}})

# %% tags=["hide-input"]
glue("key_entropy", key_entropy.mean)
glue("expected_entropy_keys", metrics.expected_entropy(metrics.pixels_per_image(key_images)))
glue("key_chi2_p", metrics.chi_square(key_images).p_value.pooled)
glue("key_uniformity", prose.uniformity_clause(metrics.chi_square(key_images).p_value.pooled, alpha))
glue("key_nist_passed", int(key_nist["nist_passed"]))
glue("key_nist_run", int(key_nist["nist_run"]))
glue("key_distinct", int(key_stats["distinct keys"][0]))
glue("key_uaci_one_bit", one_bit.uaci.pooled)
glue("key_sensitivity", prose.key_sensitivity_sentence(one_bit.npcr.pooled, independent.npcr.pooled,
                                                        metrics.npcr_expected(), npcr_critical_keys))
glue("npcr_expected", metrics.npcr_expected())
glue("n_key_samples", n_key_samples)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Six generated key images (top) and the key images of the same seeds with one bit flipped (bottom).", "name": "fig-gan-key-images"}, "image": {"alt": "Two rows of six noise-like key images; the bottom row repeats the top row with one seed bit flipped."}}
fig = plots.image_grid({"key images": key_images[:6], "seed, one bit flipped": neighbours[:6]}, n=6)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Pooled grey-level histograms of the generated keys and of AES-CTR output of the same size; the red line is the uniform count.", "name": "fig-gan-key-histograms"}, "image": {"alt": "Two histograms of grey levels: generated keys and AES-CTR output, each with a horizontal line at the uniform count."}}
fig = plots.histogram_panel({"generated keys (pooled)": key_images, "uniform reference (AES-CTR)":
                             get("aes-ctr").encrypt(np.zeros_like(key_images), bytes(32))})

# %% [markdown]
# The generated keys have a per-key entropy of {glue:text}`key_entropy:.4f` bits against the
# {glue:text}`expected_entropy_keys:.4f` expected of random images of their size;
# {glue:text}`key_uniformity`, which the histogram above shows beside AES-CTR output; and
# they pass {glue:text}`key_nist_passed` of the {glue:text}`key_nist_run` NIST rows run (a row is one test, or
# one variant of a test, of chapter 1's battery).
# {glue:text}`n_key_samples` random seeds gave {glue:text}`key_distinct` distinct keys.
# {glue:text}`key_sensitivity` The mean change of intensity between keys of seeds one bit
# apart is {glue:text}`key_uaci_one_bit:.2%` of the range; the two rows of the key-image
# figure show the pairs. These are {glue:text}`n_key_samples` seeds, each with one random
# bit flipped; the Key NPCR of the suite in section 3.6 flips one random bit of one seed
# and compares cipher images of the test images, and chapter 8's key audit flips every
# bit on other images, so the three values measure one notion on different seeds, bits
# and images, and differ. Deep-KEDI reports a key entropy of {glue:text}`lit_deepkedi_key_entropy`
# bits {cite}`selvakumar2024deepkedi`, but the key size it was measured on was not in the
# source we saw, so it cannot be set against our per-key value, which depends on the
# image size (chapter 1).

# %% tags=["hide-input"]
glue("lit_deepkedi_key_entropy", f"{literature.load().set_index('id')['value']['G5-keyentropy']:g}")

# %% [markdown]
# ## 3.5 The two-time pad
#
# Two chest X-rays encrypted with one seed: subtracting the cipher images modulo 256
# cancels the key and leaves the difference of the plaintexts, in which both images
# are visible. And one known plaintext reveals the key image, $K = C - P$, which then
# decrypts every other image encrypted under that seed.

# %%
one_seed = keygen.keygen(seed=seed)
pair = test_images[:2]
pair_cipher = keygen.encrypt(pair, one_seed)
difference = pair_cipher[0] - pair_cipher[1]  # uint8 arithmetic: modulo 256
recovered_key = pair_cipher[0] - pair[0]  # known plaintext 0 gives the key image
others = test_images[2:8]
stolen = keygen.encrypt(others, one_seed) - recovered_key
print("pixels where the cipher difference equals the plaintext difference:",
      int((difference == pair[0] - pair[1]).sum()), "of", difference.size)
print("other images decrypted bit for bit with the recovered key:", f"{metrics.bit_exact_rate(others, stolen):.0%}")

# %% tags=["hide-input"]
glue("two_time_pad", prose.two_time_pad_sentence(int((difference == pair[0] - pair[1]).sum()), int(difference.size)))
glue("known_plaintext_recovery", metrics.bit_exact_rate(others, stolen))
glue("n_others", len(others))

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Two X-rays encrypted with one seed: the difference of the two cipher images (right) shows both plaintexts.", "name": "fig-gan-two-time-pad"}, "image": {"alt": "Five panels: two plaintext X-rays, their two noise-like cipher images, and the cipher difference in which both X-rays are visible."}}
fig, axes = plt.subplots(1, 5, figsize=(10, 2.3))
for ax, (title, image) in zip(axes, [("plaintext 1", pair[0]), ("plaintext 2", pair[1]), ("cipher 1", pair_cipher[0]),
                                     ("cipher 2", pair_cipher[1]), ("cipher 1 − cipher 2", difference)]):
    ax.imshow(image, cmap="gray", vmin=0, vmax=255)
    ax.set_title(title, fontsize=9)
    ax.axis("off")
fig.tight_layout()

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Other images encrypted under the same seed (top), decrypted with the key image recovered from one known plaintext (bottom).", "name": "fig-gan-known-plaintext"}, "image": {"alt": "Two rows of six images: noise-like cipher images on top and the X-rays recovered from them below."}}
fig = plots.image_grid({"other cipher images": keygen.encrypt(others, one_seed),
                        "decrypted with K = C − P": stolen}, n=6)

# %% [markdown]
# From scratch, the cipher given its key image and the known-plaintext attack on it are
# one line each; they agree with the library:

# %% tags=["from-scratch"]
def keystream_encrypt(images, key_image):
    """gan-keygen's encryption given the seed's key image: add it to every image modulo 256."""
    return ((images.astype(np.int64) + key_image) % 256).astype(np.uint8)


def recover_key_image(plain, cipher):
    """The known-plaintext attack: one pair gives K = C − P (mod 256), which decrypts every image under that seed."""
    return ((cipher.astype(np.int64) - plain) % 256).astype(np.uint8)


# %%
same = {True: "yes", False: "NO"}  # the agreement in words: a page shows no raw True
print("encryption from scratch = library:",
      same[np.array_equal(keystream_encrypt(others, keygen.key_image(one_seed)), keygen.encrypt(others, one_seed))])
print("key image from one pair = the seed's key image:",
      same[np.array_equal(recover_key_image(pair[0], pair_cipher[0]), keygen.key_image(one_seed))])

# %% [markdown]
# {glue:text}`two_time_pad`, and the key recovered from a single known pair decrypts
# {glue:text}`known_plaintext_recovery:.0%` of the {glue:text}`n_others` other images under
# that seed bit for bit (the two figures above). Calling a generated key a one-time pad
# is only true if it is used once.

# %% [markdown]
# ## 3.6 The metric suite on held-out images
#
# Both models and AES-CTR run through the suite on the {glue:text}`n_test` test images,
# which neither model saw in training. `gan-keygen` uses one seed for the batch, as in
# the demonstration above; its differential test therefore measures one key image.
# That is a choice of the harness, not of DeepKeyGen: the suite, and chapter 8's attacks,
# encrypt a whole batch under one seed, so the failures that follow from key reuse (the
# one-pixel NPCR here, chapter 8's IND-CPA and known-plaintext breaks) would not arise
# with a fresh seed per image, which section 3.3 says safe use requires. What belongs to
# the generator itself is measured in section 3.4: how uniform its keys are, and how
# much a one-bit change of the seed changes them.
# `gan-translation` has no key, so the key-sensitivity and wrong-key columns do not apply
# to it: its cells in those columns hold a dash (–).

# %%
aes = get("aes-ctr")
candidates = {"gan-translation": (translator, translator.keygen()), "gan-keygen": (keygen, one_seed),
              "aes-ctr": (aes, aes.keygen(seed=seed))}
training_time = {"gan-translation": translator.history.seconds, "gan-keygen": keygen.history.seconds}
rows = results.evaluate_all(candidates, tests, training_time_s=training_time, seed=seed, alpha=alpha,
                            nist_bits=nist_bits)

# %% tags=["hide-input"]
columns = {}
for key, spec in results.SUMMARY_COLUMNS.items():  # the NIST count beside its denominator
    columns.update({key: spec, **({"nist_run": ("NIST rows run", 0)} if key == "nist_passed" else {})})
columns.update({"decrypt_ssim": ("SSIM", 3), "parameters": ("Parameters", 0), "training_time_s": ("Training (s)", 0)})
table = results.summary_table(results.without_key_tests(rows), columns)
table["Parameters"] = ["–" if pd.isna(v) else f"{int(v):,}" for v in table["Parameters"]]
results.styled(table, columns)

# %% tags=["hide-input"]
row = {r["cipher"]: r for r in rows}
for name, short in [("gan-translation", "tr"), ("gan-keygen", "kg"), ("aes-ctr", "aes")]:
    for key in ["entropy_per_image", "chi2_p_pooled", "corr_h_pooled", "npcr", "decrypt_psnr", "decrypt_ssim",
                "bit_exact_rate", "nist_passed", "nist_run", "encrypt_mb_per_s"]:
        value = row[name][key]
        glue(f"{short}_{key}", value if value is None or np.isfinite(value) else "∞")
n_pairs = {d: metrics.adjacent_pairs(test_images, d)[0].size for d in metrics.DIRECTIONS}
for name, short, subject in [("gan-translation", "tr", "the translation cipher's"), ("gan-keygen", "kg", "the keygen cipher's")]:
    corr = {d: row[name][f"corr_{d[0]}_pooled"] for d in metrics.DIRECTIONS}
    glue(f"{short}_correlation", prose.correlation_sentence(corr, n_pairs, alpha, subject=subject))
    glue(f"{short}_uniformity", prose.uniformity_clause(row[name]["chi2_p_pooled"], alpha))
glue("kg_wrong_key_psnr", row["gan-keygen"]["wrong_key_psnr"])
glue("kg_wrong_key_ssim", row["gan-keygen"]["wrong_key_ssim"])
glue("aes_wrong_key_psnr", row["aes-ctr"]["wrong_key_psnr"])
glue("kg_wrong_seed", prose.wrong_seed_sentence(row["gan-keygen"]["wrong_key_psnr"], row["aes-ctr"]["wrong_key_psnr"]))
glue("kg_sensitivity_clause", prose.keygen_sensitivity_clause(one_bit.npcr.pooled, npcr_critical_keys))
glue("kg_one_pixel", int(round(row["gan-keygen"]["npcr"] * metrics.pixels_per_image(test_images))))

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Six held-out X-rays, their translation and keygen cipher images, the decryptions, and the keygen decryption with a seed one bit off (bottom row).", "name": "fig-gan-decryptions"}, "image": {"alt": "Six rows of six images: plaintexts, translation cipher images and decryptions, keygen cipher images and decryptions, and keygen decryptions with a wrong seed."}}
translated = translator.encrypt(test_images[:6])
keyed = keygen.encrypt(test_images[:6], one_seed)
fig = plots.image_grid({"plain": test_images, "translation cipher": translated,
                        "its decryption": translator.decrypt(translated),
                        "keygen cipher": keyed, "keygen decryption": keygen.decrypt(keyed, one_seed),
                        "keygen, seed 1 bit off": keygen.decrypt(keyed, keygen.flip_key_bit(one_seed, 5))}, n=6)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Pooled grey-level histograms of the held-out test images encrypted by the two GAN ciphers and by AES-CTR; the red line is the uniform count.", "name": "fig-gan-histograms"}, "image": {"alt": "Three grey-level histograms: translation cipher, keygen cipher and AES-CTR, each with a line at the uniform count."}}
fig = plots.histogram_panel({"translation cipher": translator.encrypt(test_images),
                             "keygen cipher": keygen.encrypt(test_images, one_seed),
                             "AES-CTR": aes.encrypt(test_images, aes.keygen(seed=seed))})

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Each cipher pixel against its horizontal, vertical and diagonal neighbour, for the two GAN ciphers (a random sample of pairs).", "name": "fig-gan-scatter"}, "image": {"alt": "Scatter plots of neighbouring cipher pixels in three directions, one row per GAN cipher."}}
fig = plots.adjacent_scatter({"translation cipher": translator.encrypt(test_images),
                              "keygen cipher": keygen.encrypt(test_images, one_seed)})

# %% [markdown]
# ## 3.7 Throughput
#
# Encryption and decryption speed on the test images, in this run and on this machine
# ({glue:text}`device`), from the evaluation above.

# %% tags=["hide-input"]
glue("device", metrics.device_name())
glue("throughput", prose.throughput_sentence({r["cipher"]: r["encrypt_mb_per_s"] for r in rows},
                                             {r["cipher"]: r["decrypt_mb_per_s"] for r in rows}))

# %% tags=["hide-input", "remove-stderr"] mystnb={"figure": {"caption": "Encryption and decryption speed of the three ciphers on the held-out test images, in MB/s on a log scale, on this run's machine; the dashed line is the ceiling measured in the same run.", "name": "fig-gan-throughput"}, "image": {"alt": "Horizontal bar chart of encrypt and decrypt MB/s for gan-translation, gan-keygen and AES-CTR, with the ceiling as a dashed line."}}
speed, ceiling = bench.with_ceiling({r["cipher"]: r for r in rows}, test_images.nbytes)
glue("ceiling_sentence", prose.ceiling_sentence(speed, ceiling, len(test_images)))
fig = plots.throughput_bars(speed, ceiling=ceiling)

# %% [markdown]
# {glue:text}`throughput` {glue:text}`ceiling_sentence` Encryption by the translation cipher is a forward pass of a
# convolutional network for every image; the key generator runs its network once per
# seed and then only adds; AES-CTR runs a block cipher in counter mode. These are speeds
# of this implementation on this machine, not of the published schemes.

# %% [markdown]
# ## 3.8 Discussion
#
# **The translation cipher.** On held-out X-rays its cipher images have a per-image
# entropy of {glue:text}`tr_entropy_per_image:.4f` bits (AES-CTR:
# {glue:text}`aes_entropy_per_image:.4f`); {glue:text}`tr_uniformity`, and they pass
# {glue:text}`tr_nist_passed` of the {glue:text}`tr_nist_run` NIST rows run.
# {glue:text}`tr_correlation` Decryption by a learned network is approximate: here a PSNR
# of {glue:text}`tr_decrypt_psnr:.2f` dB and an SSIM of {glue:text}`tr_decrypt_ssim:.3f`, with
# {glue:text}`tr_bit_exact_rate:.0%` of images recovered bit for bit. A one-pixel change of
# the plaintext changes {glue:text}`tr_npcr:.2%` of the cipher pixels (an ideal cipher:
# {glue:text}`npcr_expected:.2%`). There is no key, so no key-sensitivity test applies, and
# anybody holding the decryptor decrypts; chapter 8 tests whether an attacker without the
# weights can train one from known plaintext–cipher pairs. The model here trained for
# {glue:text}`translation_train_s:.0f` s {glue:text}`on_device`, on
# {glue:text}`n_train` images, so these figures describe a compact model, not DeepEDN
# itself; the papers' decryption PSNR and SSIM were not in the sources we could read.
# Its parameter count in the table, {glue:text}`translation_params`, covers all four
# networks that training updates: the two generators, {glue:text}`translation_generator_params`
# parameters, which are all that encryption and decryption run, and the two critics. It
# is trained at a width of {glue:text}`translation_width` channels; chapter 10 counts the same
# four networks at the library's default width of {glue:text}`default_translation_width`, and
# the count grows with the square of the width, so the two chapters' counts differ.
#
# **The key-generator cipher.** Decryption is exact ({glue:text}`kg_bit_exact_rate:.0%`
# bit-exact), and the cipher images inherit the statistics of the key: per-image entropy
# {glue:text}`kg_entropy_per_image:.4f` bits and horizontal correlation
# {glue:text}`kg_corr_h_pooled:.4f`. Because one key image encrypts the whole batch, a
# one-pixel change of the plaintext changes {glue:text}`kg_one_pixel` cipher pixel per image
# (NPCR {glue:text}`kg_npcr:.2%`), the signature of the reused AES nonce of chapter 1, and
# {glue:text}`kg_uniformity`. Decryption with a seed one bit off gives a PSNR of
# {glue:text}`kg_wrong_key_psnr:.2f` dB and an SSIM of {glue:text}`kg_wrong_key_ssim:.3f`,
# where AES-CTR's wrong key gives {glue:text}`aes_wrong_key_psnr:.2f` dB, the PSNR of noise.
# {glue:text}`kg_wrong_seed` The bottom row of the decryption figure in section 3.6 shows
# it.
#
# **What the family shows.** Adversarial training aims at outputs that a critic cannot
# tell from uniform noise, but the metric that matters for a cipher is not the output
# distribution: it is what an attacker can do with the outputs. The translation scheme
# has no key. The key-generator scheme is a stream cipher whose key-stream generator has
# {glue:text}`kg_sensitivity_clause` in this run, and which is only safe if every image gets
# a fresh seed. AES-CTR {cite}`fips197,dworkin2001modes` is designed for both jobs: a
# keystream in which every key bit affects every output bit, and a fresh nonce for every
# image. Its row in the table of section 3.6 shows how it measures here.

# %% [markdown]
# ## 3.9 What we reproduced of the papers' claims
#
# A re-implementation is a fair target only if it has what its papers claim. Each card
# sets every value the GAN papers report (from `data/literature.csv`) and their claim that
# the key is the secret beside what we measured under this book's protocol, and says
# whether we reproduced it. Times are not comparable across machines. Where a claim is
# not reproduced, the reason column says what we measured about why.

# %%
cards = {"gan-translation": reproduction.card("gan-translation", row["gan-translation"]),
         "gan-keygen": reproduction.card("gan-keygen", row["gan-keygen"], audit=keygen_best.audit.to_dict(),
                                         extra={"key_entropy_bits": key_entropy.mean},
                                         evidence={"key sensitivity": "see the attempts of section 3.3"})}
for name, card in cards.items():
    display(reproduction.shown(card, caption=name))

# %% tags=["hide-input"]
glue("card_sentences", " ".join(prose.card_sentence(name, list(card["status"])) for name, card in cards.items()))

# %% [markdown]
# {glue:text}`card_sentences` The translation cipher cannot reproduce a key claim at all:
# like DeepEDN as we read it, it has no key input, so whoever holds its weights decrypts.

# %% tags=["hide-input"]
written = results.save_chapter(
    results_dir, "03_gan", rows, profile=profile, seed=seed, started=chapter_start, dataset=dataset,
    n_train=len(train_images), n_test=len(test_images), device_training=str(device),
    checkpoints={"gan-translation": translator_path.name, "gan-keygen": keygen_path.name},
    trained_now={"gan-translation": translator_trained, "gan-keygen": keygen_best.trained_now},
    key_attempts={"gan-keygen": keygen_records},
    reproduction_cards={name: card.to_dict(orient="records") for name, card in cards.items()},
    generated_keys={label: float(value) for label, (value, _) in key_stats.items()},
    losses={"gan-translation": translator.history.losses, "gan-keygen": keygen.history.losses})
print("wrote", written.name)

# %% [markdown]
# ## Summary
#
# - The literature uses GANs to translate images into noise-like cipher images, or to
#   generate keys. For most papers the reported metric values were not available to us;
#   the table says so rather than guess.
# - DeepEDN's own ROI-mining network finds regions of interest in its cipher images, a
#   sign that that cipher domain keeps the image's structure.
# - A translation cipher's key is its weights: security by obscurity, with lossy
#   decryption.
# - A key generator with a public generator and a secret seed is a stream cipher. Ours
#   decrypts exactly, because addition modulo 256 is undone by subtraction, but a seed
#   reused for two images is a two-time pad, and one known plaintext reveals the key
#   image. A seed one bit off decrypts to a PSNR of {glue:text}`kg_wrong_key_psnr:.2f` dB in
#   this run, against {glue:text}`aes_wrong_key_psnr:.2f` dB for AES-CTR's wrong key.

# %% [markdown]
# ## Exercises
#
# ```{exercise} What the critic rewards
# :label: ex-gan-critic
#
# The critic of `gan-keygen` compares key images with uniform noise. Name a generator
# whose key images no critic could tell from noise and which is still useless as a key
# generator. What property of a key generator does the adversarial loss not measure,
# and which section of this chapter measures it?
# ```
#
# ```{solution} ex-gan-critic
# :class: dropdown
#
# A generator that ignores its seed and outputs one fixed image of uniform noise: each
# key image looks like noise, but every seed gives the same key, so the key space is a
# single key. The critic sees single images, not how they depend on the seed; the key
# sensitivity of section 3.4 (seeds one bit apart) and the count of distinct keys
# measure that dependence.
# ```
#
# ```{exercise} One pixel changed, one key image
# :label: ex-gan-one-pixel
#
# Encrypt an X-ray and the same X-ray with one pixel changed under one seed of
# `gan-keygen`. Predict the NPCR (in percent) between the two cipher images before you
# compute it, then compute it with `metrics.npcr_uaci` on a 28×28 image. Check:
# `exercises.check("03_gan", 2, answer)`. Why does this not depend on training?
# ```
#
# ```{solution} ex-gan-one-pixel
# :class: dropdown
#
# Encryption adds the same key image to both, so only the changed pixel differs: one
# pixel of the image's 784, in percent. The key image cancels whatever the generator
# learned; only a fresh seed per image would change that.
# ```
#
# ```{exercise} Change a parameter: more key samples
# :label: ex-gan-key-samples
#
# Set `n_key_samples` to four times its value and rerun section 3.4. Predict first: which
# values in the key table move towards their ideal, which stay where they are, and which
# only get a narrower spread?
# ```
#
# ```{solution} ex-gan-key-samples
# :class: dropdown
#
# Pooled statistics (the χ² p-value, the NIST rows) see more data, so any departure from
# uniformity becomes easier to detect and their p-values shrink if the keys are not
# uniform. The per-key entropy is a mean over keys of one size, so it barely moves. The
# NPCR of seeds one bit apart is an average, so it keeps its value with less scatter.
# ```
#
# ```{exercise} Break it: a key image used twice
# :label: ex-gan-two-time-pad
#
# A hospital encrypted two X-rays with one seed of `gan-keygen`. You know the first X-ray
# and hold both cipher images. The generator here is at its random initialisation under
# a secret seed from a fixed seed: the attack does not depend on training, since one seed
# gives one key image whatever the weights. Get the material with
# `task = exercises.challenge("03_gan", 4).give()` (`known_plain`, `known_cipher` and
# `cipher`), recover the second X-ray bit for bit and check it with
# `exercises.check("03_gan", 4, image)`.
# ```
#
# ```{solution} ex-gan-two-time-pad
# :class: dropdown
#
# $K = C_1 - P_1 \bmod 256$, then $P_2 = C_2 - K \bmod 256$; in `uint8` arithmetic
# `task["cipher"] - (task["known_cipher"] - task["known_plain"])`. The library's reference
# solution is `medcrypt.ciphers.gan.key_image_from_pair`, the attack of section 3.5.
# ```
