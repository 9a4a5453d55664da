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
results_dir = "results"  # where this chapter writes 03_gan.json
weights_dir = "weights"  # trained models are saved here (chapter 7 loads them) and reused when present
dataset = "pneumoniamnist"
size = 28
n_train = None  # None: the whole training split; otherwise a seeded random subset
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
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from medcrypt import data, literature, metrics, plots, results, train
from medcrypt.ciphers import GANKeyGenCipher, GANTranslationCipher, get
from medcrypt.ciphers.neural import load_or_train
from medcrypt.notebook import glue

chapter_start = time.perf_counter()
plt.rcParams["figure.dpi"] = 110
device = train.pick_device()
print("training on", device)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the offline CI copy is a subset with another checksum; expected
    train_images = data.load(dataset, "train", size=size, root=data_root).subset(n_train, seed).images
    test_images = data.load(dataset, "test", size=size, root=data_root, limit=n_test).images
print(f"{len(train_images)} training and {len(test_images)} held-out test images of shape {train_images.shape[1:]}")
glue("n_train", len(train_images))
glue("n_test", len(test_images))

# %% [markdown]
# ## 3.1 The family in the literature
#
# **Translation.** DeepEDN trains a CycleGAN between chest X-rays and a target domain
# of noise-like images; the generator that maps X-rays into that domain encrypts, and a
# reconstruction network decrypts {cite}`ding2020deepedn`. Later schemes follow the same
# plan {cite}`inam2024cyclegan,panwar2023encipher`, and CryptoGAN trains its generator on
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
# Our `gan-translation` is a CycleGAN shrunk to MedMNIST size: two generators (encoder,
# two residual blocks, decoder) and two PatchGAN critics.
#
# - **Target domain.** We choose images of independent, uniformly distributed 8-bit
#   pixels: the distribution of an ideal cipher image, which is what AES-CTR produces.
#   Any other target (a fixed texture, a natural-image domain) would give the critic a
#   goal that is *not* the statistics of a good cipher.
# - **Losses.** The encryptor tries to make the cipher critic take its output for uniform
#   noise; the decryptor tries to make the plain critic take its output for an X-ray; and
#   two cycle losses ask that plain → cipher → plain and noise → plain → noise return
#   to where they started. The cipher image is rounded to `uint8` in the forward pass
#   (with a straight-through gradient), because that is what would be stored and sent.
# - **The secret.** There is no key input. Whoever holds the decryptor's weights decrypts
#   every image, and whoever holds the encryptor's weights can encrypt. Under
#   Kerckhoffs's principle the trained weights *are* the key, so the scheme's security is
#   security by obscurity, and its `key_bits` is 0.

# %%
Path(weights_dir).mkdir(parents=True, exist_ok=True)
translation_training = {"epochs": translation_epochs, "n_train": len(train_images), "subset_seed": seed, "batch_size": batch_size,
                        "dataset": dataset}
translator, translator_path, translator_trained = load_or_train(
    GANTranslationCipher(image_shape=train_images.shape[1:], width=translation_width, seed=seed),
    weights_dir, translation_training,
    lambda c: c.fit(train_images, epochs=translation_epochs, batch_size=batch_size, seed=seed), retrain=retrain)
print(("trained" if translator_trained else "loaded"), translator_path, f"({translator.history.seconds:.0f} s of training)")
glue("translation_params", translator.parameter_count())
glue("translation_train_s", translator.history.seconds)
fig = translator.history.plot(groups={"adversarial": ["adversarial (G)", "critics (D)"],
                                      "cycle (L1, scale [-1, 1])": ["cycle plain", "cycle noise"]})

# %% [markdown]
# ## 3.3 A DeepKeyGen-style key generator
#
# Our `gan-keygen` maps a secret **128-bit seed** to a key image with a small
# fully-connected generator. A PatchGAN critic compares its outputs with images of
# uniform noise, the distribution a key image should have. To encrypt, the key image is
# added to the plaintext modulo 256; to decrypt, it is subtracted, so decryption is
# exact. The generator's weights are public, as Kerckhoffs's principle requires; only the
# seed is secret, and `key_bits` is 128.
#
# One seed gives one key image. Encrypting two images with the same seed is therefore a
# **two-time pad**: the difference of the two cipher images is the difference of the two
# plaintexts. Used safely, the scheme needs a fresh seed for every image, exactly like the
# nonce of AES-CTR, and then the seed has to travel or be agreed for every image.

# %%
keygen_training = {"epochs": keygen_epochs, "samples": keygen_samples, "batch_size": batch_size}
keygen, keygen_path, keygen_trained = load_or_train(
    GANKeyGenCipher(image_shape=train_images.shape[1:], seed=seed), weights_dir, keygen_training,
    lambda c: c.fit(keygen_samples, epochs=keygen_epochs, batch_size=batch_size, seed=seed), retrain=retrain)
print(("trained" if keygen_trained else "loaded"), keygen_path, f"({keygen.history.seconds:.0f} s of training)")
glue("keygen_params", keygen.parameter_count())
glue("keygen_train_s", keygen.history.seconds)
fig = keygen.history.plot(title="gan-keygen: least-squares GAN losses")

# %% [markdown]
# ## 3.4 How random are the generated keys?
#
# A key generator is only as good as its keys, so before looking at cipher images we
# measure the keys themselves: {glue:text}`n_key_samples` key images from random seeds,
# with the histogram, correlation and NIST statistics of chapter 1, and the key
# sensitivity of the generator: how much a key image changes when one bit of its seed
# flips. For a good generator that change is total, NPCR near
# {glue:text}`npcr_expected:.2%`, as for two unrelated keys.

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
key_stats = pd.Series({
    "entropy per key (bits)": key_entropy.mean,
    "expected for random 28×28 (bits)": metrics.expected_entropy(metrics.pixels_per_image(key_images)),
    "entropy pooled (bits)": key_entropy.pooled,
    "χ² p pooled": metrics.chi_square(key_images).p_value.pooled,
    "horizontal correlation": metrics.correlation(key_images, "horizontal").pooled,
    "NPCR, seeds one bit apart (%)": 100 * one_bit.npcr.pooled,
    "UACI, seeds one bit apart (%)": 100 * one_bit.uaci.pooled,
    "NPCR, unrelated seeds (%)": 100 * independent.npcr.pooled,
    "distinct keys": len({k.tobytes() for k in key_images}),
    "NIST rows passed": key_nist["nist_passed"],
    "NIST rows run": key_nist["nist_run"],
}, name="generated keys")
for label, short in [("entropy per key (bits)", "key_entropy"), ("entropy pooled (bits)", "key_entropy_pooled"),
                     ("χ² p pooled", "key_chi2_p"), ("horizontal correlation", "key_corr_h"),
                     ("NPCR, seeds one bit apart (%)", "key_npcr_one_bit"), ("UACI, seeds one bit apart (%)", "key_uaci_one_bit"),
                     ("NPCR, unrelated seeds (%)", "key_npcr_unrelated"), ("distinct keys", "key_distinct"),
                     ("NIST rows passed", "key_nist_passed"), ("NIST rows run", "key_nist_run")]:
    glue(short, key_stats[label])
glue("npcr_expected", metrics.npcr_expected())
glue("n_key_samples", n_key_samples)
glue("expected_entropy_28", metrics.expected_entropy(784))
key_stats.to_frame().style.format("{:.4g}")

# %%
fig = plots.image_grid({"key images": key_images[:6], "seed, one bit flipped": neighbours[:6]}, n=6)
fig = plots.histogram_panel({"generated keys (pooled)": key_images, "uniform reference (AES-CTR)":
                             get("aes-ctr", nonce_seed=seed).encrypt(np.zeros_like(key_images), bytes(32))})

# %% [markdown]
# The generated keys have a per-key entropy of {glue:text}`key_entropy:.4f` bits against the
# {glue:text}`expected_entropy_28:.4f` of random 28×28 images, a pooled chi-square p-value of
# {glue:text}`key_chi2_p:.3g`, and they pass {glue:text}`key_nist_passed` of
# {glue:text}`key_nist_run` NIST tests. Flipping one bit of the seed changes
# {glue:text}`key_npcr_one_bit:.2f` % of the key's pixels, against
# {glue:text}`key_npcr_unrelated:.2f` % between unrelated seeds, with a mean change of
# {glue:text}`key_uaci_one_bit:.2f` % of the intensity range. A smooth network maps nearby
# inputs to nearby outputs, which is the opposite of what a key generator needs;
# adversarial training towards a uniform *histogram* does nothing to fix it. Deep-KEDI
# reports a key entropy of 7.45 bits {cite}`selvakumar2024deepkedi`, but the key size it
# was measured on was not in the source we saw, so it cannot be set against our
# per-key value, which depends on the image size (chapter 1).

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
glue("two_time_pad_exact", bool(np.array_equal(difference, pair[0] - pair[1])))
glue("known_plaintext_recovery", metrics.bit_exact_rate(others, stolen))
fig, axes = plt.subplots(1, 5, figsize=(10, 2.3))
for ax, (title, image) in zip(axes, [("plaintext 1", pair[0]), ("plaintext 2", pair[1]), ("cipher 1", pair_cipher[0]),
                                     ("cipher 2", pair_cipher[1]), ("cipher 1 − cipher 2", difference)]):
    ax.imshow(image, cmap="gray", vmin=0, vmax=255)
    ax.set_title(title, fontsize=9)
    ax.axis("off")
fig.tight_layout()
fig = plots.image_grid({"other cipher images": keygen.encrypt(others, one_seed),
                        "decrypted with K = C − P": stolen}, n=6)

# %% [markdown]
# The difference equals the plaintext difference exactly ({glue:text}`two_time_pad_exact`),
# and the key recovered from a single known pair decrypts
# {glue:text}`known_plaintext_recovery:.0%` of the other images under that seed bit for bit.
# Calling a generated key a one-time pad is only true if it is used once.

# %% [markdown]
# ## 3.6 The metric suite on held-out images
#
# Both models and AES-CTR run through the suite on the {glue:text}`n_test` test images,
# which neither model saw in training. `gan-keygen` uses one seed for the batch, as in
# the demonstration above; its differential test therefore measures one key image.

# %%
aes = get("aes-ctr", nonce_seed=seed)
candidates = {"gan-translation": (translator, translator.keygen()), "gan-keygen": (keygen, one_seed),
              "aes-ctr": (aes, aes.keygen(seed=seed))}
training_time = {"gan-translation": translator.history.seconds, "gan-keygen": keygen.history.seconds}
rows = [metrics.evaluate(c, test_images, k, dataset=dataset, profile=profile, seed=seed, alpha=alpha,
                         nist_bits=nist_bits, training_time_s=training_time.get(name))
        for name, (c, k) in candidates.items()]
columns = {**results.SUMMARY_COLUMNS, "decrypt_ssim": ("SSIM", 3), "parameters": ("parameters", 0),
           "training_time_s": ("training (s)", 0)}
table = results.summary_table(rows, columns)
results.styled(table, columns)

# %%
row = {r["cipher"]: r for r in rows}
for name, short in [("gan-translation", "tr"), ("gan-keygen", "kg"), ("aes-ctr", "aes")]:
    for key in ["entropy_per_image", "entropy_pooled", "chi2_p_pooled", "corr_h_pooled", "corr_v_pooled", "npcr",
                "uaci", "key_npcr", "decrypt_psnr", "decrypt_ssim", "bit_exact_rate", "nist_passed", "nist_run",
                "encrypt_mb_per_s"]:
        value = row[name][key]
        glue(f"{short}_{key}", value if value is None or np.isfinite(value) else "∞")
glue("kg_wrong_key_psnr", row["gan-keygen"]["wrong_key_psnr"])
glue("kg_wrong_key_ssim", row["gan-keygen"]["wrong_key_ssim"])
glue("aes_wrong_key_psnr", row["aes-ctr"]["wrong_key_psnr"])

# %%
translated = translator.encrypt(test_images[:6])
keyed = keygen.encrypt(test_images[:6], one_seed)
fig = plots.image_grid({"plain": test_images, "translation cipher": translated,
                        "its decryption": translator.decrypt(translated),
                        "keygen cipher": keyed, "keygen decryption": keygen.decrypt(keyed, one_seed),
                        "keygen, seed 1 bit off": keygen.decrypt(keyed, keygen.flip_key_bit(one_seed, 5))}, n=6)
fig = plots.histogram_panel({"translation cipher": translator.encrypt(test_images),
                             "keygen cipher": keygen.encrypt(test_images, one_seed),
                             "AES-CTR": aes.encrypt(test_images, aes.keygen(seed=seed))})
fig = plots.adjacent_scatter({"translation cipher": translator.encrypt(test_images),
                              "keygen cipher": keygen.encrypt(test_images, one_seed)})

# %% [markdown]
# ## 3.7 Throughput
#
# Encryption and decryption speed on the test images, in this run and on this machine
# ({glue:text}`device`), from the evaluation above.

# %%
glue("device", metrics.device_name())
fig = plots.throughput_bars({r["cipher"]: r for r in rows})

# %% [markdown]
# ## 3.8 Discussion
#
# **The translation cipher.** On held-out X-rays its cipher images have a per-image
# entropy of {glue:text}`tr_entropy_per_image:.4f` bits (AES-CTR:
# {glue:text}`aes_entropy_per_image:.4f`), a pooled chi-square p-value of
# {glue:text}`tr_chi2_p_pooled:.3g` and a horizontal correlation of
# {glue:text}`tr_corr_h_pooled:.4f`, and they pass {glue:text}`tr_nist_passed` of
# {glue:text}`tr_nist_run` NIST tests. Decryption reaches a PSNR of
# {glue:text}`tr_decrypt_psnr:.2f` dB and an SSIM of {glue:text}`tr_decrypt_ssim:.3f`, with
# {glue:text}`tr_bit_exact_rate:.0%` of images recovered bit for bit: a lossy channel for
# diagnostic images. A one-pixel change of the plaintext changes
# {glue:text}`tr_npcr:.2%` of the cipher pixels. There is no key, so no key-sensitivity test
# applies, and anybody holding the decryptor decrypts; chapter 7 shows that an attacker
# without the weights can also train one from known plaintext–cipher pairs. The training
# budget here, {glue:text}`translation_train_s:.0f` s on a CPU, is far below what the papers
# used, so these figures describe a compact model, not DeepEDN itself; the papers'
# decryption PSNR and SSIM were not in the sources we could read.
#
# **The key-generator cipher.** Decryption is exact ({glue:text}`kg_bit_exact_rate:.0%`
# bit-exact), and the cipher images inherit the statistics of the key:
# per-image entropy {glue:text}`kg_entropy_per_image:.4f` bits and horizontal correlation
# {glue:text}`kg_corr_h_pooled:.4f`. Because one key image encrypts the whole batch, a
# one-pixel change of the plaintext changes exactly one cipher pixel
# (NPCR {glue:text}`kg_npcr:.2%`), and the pooled histogram keeps the structure of the
# X-rays (pooled χ² p-value {glue:text}`kg_chi2_p_pooled:.3g`): the same signature as the
# reused AES nonce of chapter 1. Decryption with a seed one bit off gives a PSNR of
# {glue:text}`kg_wrong_key_psnr:.2f` dB and an SSIM of {glue:text}`kg_wrong_key_ssim:.3f`,
# where AES-CTR's wrong key gives {glue:text}`aes_wrong_key_psnr:.2f` dB, the PSNR of noise.
# The further the first number is above the second, the more of the X-ray a wrong seed
# reveals; the bottom row of the figure in section 3.6 shows it. This follows from the
# generator's weak key sensitivity measured in section 3.4: a seed one bit away yields
# a key image close to the right one, and a near-right key decrypts to a near-right image.
#
# **What the family shows.** GANs can be trained to produce outputs whose histograms
# look uniform, but the metric that matters for a cipher is not the output distribution:
# it is what an attacker can do with the outputs. The translation scheme has no key; the
# key-generator scheme is a stream cipher whose key-stream generator has poor
# key sensitivity, and which is only safe if every image gets a fresh seed. AES-CTR does
# both jobs, with a proof-backed key schedule, at {glue:text}`aes_encrypt_mb_per_s:.1f` MB/s.

# %% tags=["hide-input"]
metadata = results.run_metadata(
    chapter="03_gan", profile=profile, seed=seed, wall_time_s=time.perf_counter() - chapter_start, dataset=dataset,
    n_train=len(train_images), n_test=len(test_images), device_training=str(device),
    checkpoints={"gan-translation": translator_path.name, "gan-keygen": keygen_path.name},
    trained_now={"gan-translation": translator_trained, "gan-keygen": keygen_trained},
    generated_keys={k: float(v) for k, v in key_stats.items()},
    losses={"gan-translation": translator.history.losses, "gan-keygen": keygen.history.losses})
print("wrote", results.write_results(results_dir, "03_gan", rows, metadata))

# %% [markdown]
# ## Summary
#
# - The literature uses GANs to translate images into noise-like cipher images, or to
#   generate keys. For most papers the reported metric values were not available to us;
#   the table says so rather than guess.
# - A translation cipher's key is its weights: security by obscurity, with lossy
#   decryption.
# - A key generator with a public generator and a secret seed is a stream cipher. Ours
#   decrypts exactly, but a seed reused for two images is a two-time pad, and one known
#   plaintext reveals the key image.
