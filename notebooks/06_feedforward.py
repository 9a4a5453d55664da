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
# # 6. Feed-forward and recurrent networks: adversarial neural cryptography and chaotic neural maps
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/medcrypt-book/dl-medical-image-encryption/blob/main/notebooks/06_feedforward.ipynb)
#
# Feed-forward and small recurrent networks enter image encryption in two ways. In
# **adversarial neural cryptography**, feed-forward networks learn a cipher: Alice
# encrypts with a shared key, Bob decrypts, and an eavesdropper network, Eve, is trained
# against them. In **chaotic neural networks**, a recurrent network with fixed weights
# (a Hopfield or a cellular neural network) is a dynamical system whose chaotic orbit
# supplies the key-stream of a classical permutation–diffusion cipher. This chapter
# builds a compact version of each, measures both with the common suite beside AES-CTR,
# asks a fresh Eve what the learned cipher leaks, and runs the chosen-plaintext attack
# of chapter 2 against the chaotic one.

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
results_dir = "results"  # where this chapter writes 06_feedforward.json
weights_dir = "weights"  # trained models are saved here and reused when present
datasets = ["pneumoniamnist", "breastmnist"]
size = 28
n_train = 2048  # training images (a seeded random subset of the PneumoniaMNIST training split)
n_test = None  # None: the whole test splits
patch = 4  # Alice encrypts 4×4 blocks of pixels
epochs = 15
batch_size = 512
fresh_eve_hidden = 512  # the stronger Eve trained after Alice and Bob are frozen
fresh_eve_layers = 3
fresh_eve_epochs = 15
throughput_images = 2000
seed = 2026
alpha = 0.05
nist_bits = None  # cap on the cipher bits given to the NIST tests (None: all)
keystream_bits = 4_000_000  # key-stream bits for the NIST tests of section 6.4 (100 sequences)
spectrum_starts = 64  # starting states of the full Lyapunov spectrum (section 6.4)
spectrum_iterations = 2000
entropy_mantissas = [14, 16, 18, 20, 22, 24, 26, 28]  # emulated significand bits of the state-entropy fit
entropy_pairs = 64  # colliding pairs aimed at per precision: more gives a tighter fit and a slower run
retrain = False
data_root = None

# %% tags=["hide-input"]
import functools
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from medcrypt import attempts, bench, data, dynamics, metrics, nist, plots, results
from medcrypt.book import literature, prose, reproduction
from medcrypt.attacks import AttackFailed, chosen_plaintext_attack
from medcrypt.ciphers import AdversarialNeuralCipher, get, hopfield
from medcrypt.ciphers.feedforward import (distinct_blocks, eve_reconstruct, no_ciphertext_guesses,
                                          reconstruction_table, train_fresh_eve)
from medcrypt.ciphers.neural import load_or_train
from medcrypt.book.notebook import glue

chapter_start = time.perf_counter()
plt.rcParams["figure.dpi"] = 110
hidden, eve_hidden = 256, 256  # hidden units of Alice and Bob, and of the Eve trained beside them
train_images, tests = data.train_and_tests(datasets, size=size, n_train=n_train, n_test=n_test, seed=seed,
                                           root=data_root)
print({flag: images.shape for flag, images in tests.items()}, "training:", train_images.shape)
Path(weights_dir).mkdir(parents=True, exist_ok=True)
sets = {"pneumoniamnist": "PneumoniaMNIST", "breastmnist": "BreastMNIST"}

# %% [markdown]
# ## 6.1 The family in the literature
#
# Abadi and Andersen trained Alice, Bob and Eve on random bit strings: Alice and Bob
# share a key, and their goal is to limit what a third network, Eve, learns
# {cite}`abadi2016adversarial`. Their setting is not images, and Eve is only ever a
# neural network; the security claim is that this particular adversary fails. Later work
# applies the idea to images and video, for example a scheme hardened against
# chosen-ciphertext attacks that reports Eve's accuracy as no better than random
# prediction {cite}`geng2022ccaanc`. Coutinho et al. analysed the ciphers that such
# training produces: with the original, passive Eve, Alice and Bob tend to learn weak
# ciphers, and only when Eve may choose plaintexts do they learn the one-time pad
# {cite}`coutinho2018learning`.
#
# The older and larger line uses recurrent networks as chaos generators. Cellular neural
# networks produce the sequences that confuse, permute and diffuse an image
# {cite}`wen2021cnnprng`; three-neuron chaotic Hopfield networks drive biomedical image
# encryption {cite}`njitacke2020hopfield` and a row–column permutation cipher
# {cite}`yao2023hopfield`. Memristive Hopfield networks, with a memristor as a synapse,
# are the newest variant: fractional-order and coupled models drive medical and
# biomedical image ciphers, often with a hardware implementation on an FPGA or a
# microcontroller {cite}`sun2025fractional,tamba2024multistable,leng2024memristive,biamou2023initial`,
# and general image ciphers {cite}`venkatesh2023fractional,li2024coexistence`;
# Hopfield and Hindmarsh–Rose neurons on an FPGA {cite}`tlelocuautle2020chaotic` and a
# six-dimensional cellular network {cite}`tao2025digital` do the same. A third line puts
# a deep network beside the chaotic map: an LSTM refines or predicts the chaotic
# sequence {cite}`zhou2025tdadl,feng2023digital,caluza2026image,mao2023hyperchaotic`, a
# Lyapunov-exponent check and an LSTM select the keystream of a DNA-coding medical
# cipher {cite}`aldayel2025lle`, a GRU appears beside a hyperchaotic map
# {cite}`li2025elevating`, an attention ResNet drives a chaotic map for medical images
# {cite}`li2023atresnet`, and convolutional networks generate key seeds or extract
# features {cite}`sun2024lvgg,liu2022application`. A keyed scrambling of a
# steganography network's parameters protects the network rather than the image
# {cite}`duan2022steganography`. In all of these the network is a source of numbers
# for a classical permutation–diffusion cipher, which is what chapter 2's attacks
# target. This line also has the longest record of breaks: ciphers
# built on chaotic neural networks fell to known- and chosen-plaintext attacks that
# recover an equivalent key instead of the secret one {cite}`li2004cryptanalysis,li2005clipped`.
# The table comes from `data/papers.csv` and `data/literature.csv`; empty cells are values no source we saw
# gives.

# %%
literature.review_table("feedforward")

# %% [markdown]
# ## 6.2 A feed-forward cipher: Alice, Bob and Eve on image blocks
#
# Our `anc-alice-bob` cuts an image into 4×4 blocks of 16 pixels. For each block $p$ and
# a 128-bit key $k$ (as ±1 values), three small multilayer perceptrons play the roles:
#
# - Alice: $c = A(p, k)$, 16 values in $[-1, 1]$ (a `tanh` output);
# - Bob: $\hat p = B(c, k)$;
# - Eve: $\tilde p = E(c)$, without the key.
#
# **The cipher image.** Each cipher value is stored as the 8-bit pixel
# $\operatorname{round}(127.5\,(c+1))$, in the place of the block it came from, so a
# cipher image is a `uint8` image of the plaintext's size and the common metric suite
# applies. Bob and Eve are trained on these rounded values (straight-through gradients),
# so Bob decrypts what is actually stored.
#
# **Training.** Every training block gets a fresh random key. Errors are mean absolute
# errors on the $[-1, 1]$ scale. Eve minimises her error. Alice and Bob minimise Bob's
# error plus $\big(\max(0, e_0 - e_{\text{Eve}})/e_0\big)^2$, where $e_0$ is the error of
# the best guess made without the ciphertext (the per-pixel median of the training
# blocks): they are penalised while Eve beats that guess. This is the image analogue of
# Abadi and Andersen's target of Eve getting half the bits wrong. Eve takes two steps
# per Alice–Bob step. The key is secret and the weights are public.

# %% tags=["hide-input"] mystnb={"figure": {"caption": "The three networks of adversarial neural cryptography on image blocks: Alice and Bob share the key, Eve sees only the cipher block.", "name": "fig-anc-roles"}, "image": {"alt": "Block diagrams of Alice, Bob and Eve"}}
fig = plots.pipeline_diagram({"Alice": ["4×4 block p", "[p, k] → MLP", "tanh → c", "round to uint8"],
                              "Bob": ["cipher block c", "[c, k] → MLP", "p̂"],
                              "Eve": ["cipher block c", "c → MLP", "p̃ (no key)"]})

# **Making the key matter.** Abadi and Andersen's loss asks only that Bob, with the key,
# decrypts and that Eve, without it, does not {cite}`abadi2016adversarial`. It does not ask
# that Bob with a key *one bit off* fail, and chapter 8's key audit asks exactly that of
# every key bit, together with a changed encryption. We train four attempts for the same
# epochs and audit each one's 128 key bits on {glue:text}`audit_images` test images:
# *as first built* (the loss above, key bits fed to the networks); *hashed key* (the key
# first hashed with SHAKE-256, so that a key one bit off is an unrelated input);
# *+ wrong-key term* (Bob with a key one bit off is pushed as far from the block as
# uniform noise is); *+ key diversity* (Alice is pushed to change every cipher pixel under
# that key).

# %% tags=["remove-stderr"]
anc_attempts = attempts.run(
    lambda **options: AdversarialNeuralCipher(image_shape=train_images.shape[1:], patch=patch, hidden=hidden,
                                              eve_hidden=eve_hidden, seed=seed, **options),
    attempts.KEY_ATTEMPTS["anc-alice-bob"], weights_dir=weights_dir, test_images=tests[datasets[0]],
    training={"epochs": epochs, "n_train": len(train_images), "subset_seed": seed, "batch_size": batch_size},
    train=lambda c: c.fit(train_images, epochs=epochs, batch_size=batch_size, seed=seed), key_seed=seed,
    retrain=retrain)
anc_best = attempts.strongest(anc_attempts)
anc, anc_path, anc_trained_now = anc_best.cipher, anc_best.path, anc_best.trained_now
attempts.table(anc_attempts)

# %% tags=["hide-input"]
anc_records = [a.to_dict() for a in anc_attempts]
glue("audit_images", attempts.AUDIT_IMAGES)
glue("anc_attempts_sentence", prose.attempts_sentence("anc-alice-bob", anc_records, anc_best.label))

# %% [markdown]
# {glue:text}`anc_attempts_sentence` The figure below follows the attempt chosen.

# %% tags=["hide-input"]
grey = 127.5  # errors on the [-1, 1] scale times 127.5 are grey levels
losses = anc.history.losses

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Mean absolute error per epoch of Bob (with the key) and of the Eve trained alongside him (without it), in grey levels, against the best guess that ignores the ciphertext (dashed).", "name": "fig-anc-losses"}, "image": {"alt": "Bob's and Eve's training errors per epoch"}}
fig, ax = plt.subplots(figsize=(6, 3.2))
epochs_axis = range(1, len(losses["Bob error"]) + 1)
ax.plot(epochs_axis, np.array(losses["Bob error"]) * grey, marker="o", label="Bob (with the key)")
ax.plot(epochs_axis, np.array(losses["Eve error"]) * grey, marker="o", label="Eve (without the key)")
ax.axhline(anc.chance_error * grey, color="grey", ls="--", label="best guess without the ciphertext")
ax.set(xlabel="epoch", ylabel="mean absolute error (grey levels)", title="Adversarial training on X-ray blocks")
ax.legend(fontsize="small")
fig.tight_layout()
glue("anc_train_time", prose.duration(anc.history.seconds))
glue("bob_trend", prose.training_loss([v * grey for v in losses["Bob error"]], "error of Bob", " grey levels", 1))
glue("eve_error_final", losses["Eve error"][-1] * grey)
glue("chance_error", anc.chance_error * grey)
glue("anc_parameters", anc.parameter_count())

# %% [markdown]
# In {glue:text}`anc_train_time` of training, {glue:text}`bob_trend` (figure
# above); at the end the training Eve's error is {glue:text}`eve_error_final:.1f` grey
# levels, against {glue:text}`chance_error:.1f` for the best guess that ignores the
# ciphertext. Alice, Bob and Eve have {glue:text}`anc_parameters:,` weights together.

# %% [markdown]
# ## 6.3 A fresh and stronger Eve
#
# An Eve that lost during training says little: she was trained against a moving target
# and was as small as Alice. As the original work did, we freeze Alice and Bob and train
# a new Eve from scratch, larger ({glue:text}`fresh_eve_layers` hidden layers of
# {glue:text}`fresh_eve_hidden` units in this run) and for {glue:text}`fresh_eve_epochs`
# epochs (Alice and Bob: {glue:text}`anc_epochs`), on ciphertexts made under fresh random
# keys. Her reconstructions of the test X-rays are then compared with two guesses that
# ignore the ciphertext: the median training block put in every position (the guess
# behind Eve's training target, since she sees blocks without their position), and the
# median training image, which also knows where each block sits.

# %% tags=["remove-stderr"]
fresh_eve, fresh_history = train_fresh_eve(anc, train_images, hidden=fresh_eve_hidden, layers=fresh_eve_layers,
                                           epochs=fresh_eve_epochs, batch_size=batch_size, seed=seed + 7)
xrays = tests[datasets[0]]
anc_key = anc.keygen(seed=seed)
xray_cipher = anc.encrypt(xrays, anc_key)
eve_guess = eve_reconstruct(anc, fresh_eve, xray_cipher)
bob_plain = anc.decrypt(xray_cipher, anc_key)
guesses = {"Bob (with the key)": bob_plain, "fresh Eve (no key)": eve_guess,
           **{f"{name} (no ciphertext)": g for name, g in no_ciphertext_guesses(anc, train_images, len(xrays)).items()}}
eve_table = reconstruction_table(xrays, guesses)

# %% tags=["hide-input"]
for short, label in zip(["bob", "eve", "block", "median"], guesses):
    glue(f"{short}_psnr", eve_table.loc[label, "PSNR (dB)"])
    glue(f"{short}_ssim", eve_table.loc[label, "SSIM"])
glue("fresh_eve_time", prose.duration(fresh_history.seconds))
glue("fresh_eve_layers", fresh_eve_layers)
glue("fresh_eve_hidden", fresh_eve_hidden)
glue("fresh_eve_epochs", fresh_eve_epochs)
glue("anc_epochs", epochs)
mae = eve_table["mean abs. error (grey levels)"]
glue("eve_verdict", prose.eve_verdict(mae.iloc[1], mae.iloc[2], mae.iloc[3]))
glue("bob_exact_sentence", prose.lossy_sentence(metrics.bit_exact_rate(xrays, bob_plain)))
eve_table.style.format({"PSNR (dB)": "{:.2f}", "SSIM": "{:.3f}", "mean abs. error (grey levels)": "{:.1f}"})

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Six test X-rays, their cipher images, Bob's decryption with the key, the fresh Eve's reconstruction without it, and the median training image, which needs no ciphertext.", "name": "fig-anc-eve"}, "image": {"alt": "Plain, cipher, Bob's and Eve's reconstructions of chest X-rays"}}
fig = plots.image_grid({"plain": xrays, "cipher": xray_cipher, "Bob": bob_plain, "fresh Eve": eve_guess,
                        "no-ciphertext guess": guesses["median training image (no ciphertext)"]}, n=6)

# %% [markdown]
# Bob decrypts the test X-rays to {glue:text}`bob_psnr:.2f` dB (SSIM
# {glue:text}`bob_ssim:.3f`). The fresh Eve, trained for {glue:text}`fresh_eve_time`,
# reaches {glue:text}`eve_psnr:.2f` dB (SSIM {glue:text}`eve_ssim:.3f`); the median block
# put everywhere reaches {glue:text}`block_psnr:.2f` dB, and the median training image
# {glue:text}`median_psnr:.2f` dB (SSIM {glue:text}`median_ssim:.3f`). {glue:text}`eve_verdict`
# Two limits of this result matter more than its sign. First, Eve is one neural network
# trained one way; a failing Eve proves nothing about an attacker who thinks, which is
# why the next chapters attack every cipher with other methods.
# {glue:text}`bob_exact_sentence`

# %% [markdown]
# **Block structure leaks.** Alice encrypts every block on its own with the same key,
# like a block cipher in ECB mode. Equal plaintext blocks therefore give equal cipher
# blocks. A synthetic image with two flat halves shows it.

# %%
halves = np.zeros((1, *xrays.shape[1:]), dtype=np.uint8)
halves[:, :, xrays.shape[2] // 2:] = 200
halves_cipher = anc.encrypt(halves, anc_key)
aes_halves = get("aes-ctr").encrypt(halves, get("aes-ctr").keygen(seed=seed))
print(f"distinct {patch}×{patch} blocks: plaintext {distinct_blocks(halves[0], patch)}, "
      f"cipher {distinct_blocks(halves_cipher[0], patch)}")

# %% tags=["hide-input"] mystnb={"figure": {"caption": "An image with two flat halves, its encryption by the learned cipher and by AES-CTR.", "name": "fig-anc-ecb"}, "image": {"alt": "A two-tone image and its two encryptions"}}
glue("ecb_sentence", prose.ecb_leak(distinct_blocks(halves_cipher[0], patch), distinct_blocks(halves[0], patch),
                                    (size // patch) ** 2))
fig, axes = plt.subplots(1, 3, figsize=(7.5, 2.8))
for ax, (label, image) in zip(axes, {"two flat halves": halves, "anc-alice-bob": halves_cipher,
                                     "AES-CTR": aes_halves}.items()):
    ax.imshow(np.asarray(image)[0], cmap="gray", vmin=0, vmax=255)
    ax.set_title(label)
    ax.axis("off")
fig.tight_layout()

# %% [markdown]
# {glue:text}`ecb_sentence` AES-CTR's cipher image (right) shows no such layout.

# %% [markdown]
# ## 6.4 A recurrent network as a chaotic map: the discrete Hopfield key-stream
#
# The second line needs no training. Hopfield's continuous model of graded neurons
# {cite}`hopfield1984graded`, with unit capacitances and resistances, no input currents,
# $\tanh$ as the response of a neuron and weights $W$, is the differential equation
#
# $$ \dot x = -x + W \tanh(x), \qquad x \in \mathbb{R}^3 . $$
#
# Its forward-Euler step with step size $h$ is
# $x_{t+1} = x_t + h\,\big(-x_t + W\tanh(x_t)\big) = (1-h)\,x_t + h\,W\tanh(x_t)$, and
# with $h = 1$ it reduces to the map we iterate (`hopfield.step`):
#
# $$ x_{t+1} = W \tanh(x_t) . $$
#
# So our network is exactly the forward-Euler discretisation of the Hopfield ODE with
# step 1. A step as long as the model's time constant does not follow the ODE's orbits
# closely: the map is a discrete dynamical system in its own right, and we measure its
# chaos directly. We follow the design of the chaotic-Hopfield image ciphers
# {cite}`njitacke2020hopfield,yao2023hopfield`, a key-set initial state whose orbit gives
# a permutation and the diffusion key-streams, but we could not read their weight
# matrices. Our $W$ is our own: the most chaotic of 5,000 seeded random matrices, found
# by `hopfield.search_weights`.
#
# **Chaos, measured.** The largest Lyapunov exponent of the map is
#
# $$ \lambda = \lim_{n\to\infty} \frac{1}{n} \sum_{t=0}^{n-1} \ln \lVert J(x_t)\, v_t \rVert,
#    \qquad v_{t+1} = \frac{J(x_t)\, v_t}{\lVert J(x_t)\, v_t \rVert},
#    \qquad J(x) = W \operatorname{diag}\big(1 - \tanh^2 x\big), $$
#
# where $J(x_t)$ is the Jacobian of the map at the state $x_t$ and $v_t$ a unit tangent
# vector carried along the orbit. For a one-dimensional map $x_{t+1} = f(x_t)$ it is the
# average of $\ln |f'(x_t)|$ (for chapter 2's logistic map at $r = 4$, $\ln 2$). A
# positive $\lambda$ means that nearby orbits separate by a factor of about $e^\lambda$
# per step: chaos. `hopfield.largest_lyapunov` computes the sum over 3,000 iterations
# after 500 dropped ones, from $v_0 = (1, 1, 1)/\sqrt 3$.
#
# **Key.** 24 bytes, hashed with SHA-256 into the three neurons' initial states in
# $(-1, 1)$, so that every one of the 192 key bits moves the state by far more than
# rounding can swallow (read straight from the key, the lowest bits of a state are
# sometimes lost where $\tanh$ saturates; chapter 8's key audit finds such bits). After
# 200 dropped iterations, each iteration yields three values; the first neuron's values
# sort into a pixel permutation, and bits 33 to 40 below the binary point of the other
# two give two byte key-streams for the forward–backward diffusion of chapter 2.

# %%
weights_search_start = time.perf_counter()
found, found_exponent = hopfield.search_weights(seed=2026)
search_seconds = time.perf_counter() - weights_search_start
starts = np.random.default_rng(seed).uniform(-1, 1, (256, 3))
exponents = hopfield.largest_lyapunov(hopfield.WEIGHTS, starts)
print("W =", hopfield.WEIGHTS.tolist(), f"(search {search_seconds:.1f} s)")

# %% tags=["hide-input", "remove-stderr"] mystnb={"figure": {"caption": "Left: the orbit of one starting state, projected on the first two neurons. Right: the largest Lyapunov exponent from each of the random starting states.", "name": "fig-hopfield-attractor"}, "image": {"alt": "Hopfield attractor and histogram of Lyapunov exponents"}}
glue("weights_sentence", prose.weights_search(bool(np.array_equal(found, hopfield.WEIGHTS))))
glue("lyapunov_sentence", prose.lyapunov_sentence(float(exponents.min()), float(exponents.max()), len(starts),
                                                  hopfield.TRANSIENT, hopfield.MANTISSA_BITS))
trajectory = hopfield.orbit(starts[:1], 4000)[0]
fig, axes = plt.subplots(1, 2, figsize=(8.4, 3.4))
axes[0].plot(trajectory[:, 0], trajectory[:, 1], ",", alpha=0.5)
axes[0].set(xlabel="$x_1$", ylabel="$x_2$", title=f"attractor ({len(trajectory):,} iterations)")
axes[1].hist(exponents, bins=30)
axes[1].set(xlabel="largest Lyapunov exponent per iteration", ylabel="starting states",
            title=f"{len(starts)} random starting states")
fig.tight_layout()

# %% [markdown]
# From scratch, the key-stream: iterate the map from the key's initial state, drop the
# first 200 states, and cut a byte out of the second and third neurons at every step.
# The cell after it checks it against the library's `hopfield.keystream` byte for byte.

# %% tags=["from-scratch"]
def hopfield_keystream(x0, n_bytes, weights, transient=200):
    """Key-stream bytes of the Hopfield map x ← W·tanh(x) from the state x0: drop `transient` iterations, then
    take bits 33 to 40 below the binary point of the second and third neurons at every iteration."""
    x, out = np.array(x0, dtype=np.float64), []
    for i in range(transient + (n_bytes + 1) // 2):
        t = np.tanh(x)
        x = t[0] * weights[:, 0] + t[1] * weights[:, 1] + t[2] * weights[:, 2]  # W·tanh(x), summed in this order
        if i >= transient:
            out.extend(int(np.floor(v * 2.0**40)) & 0xFF for v in x[1:])
    return np.array(out[:n_bytes], dtype=np.uint8)


# %%
hop = get("chaos-hopfield")
hop_key = hop.keygen(seed=seed)
ours = hopfield_keystream(hopfield.initial_state(hop_key), 4096, hopfield.WEIGHTS)
print("from scratch equals hopfield.keystream:", "yes" if np.array_equal(ours, hopfield.keystream(hop_key, 4096)) else "NO")
stream_bits = np.unpackbits(hopfield.keystream(hop_key, keystream_bits // 8)).astype(np.int64)
stream_report = metrics.nist_report(stream_bits)
stream_summary = metrics.nist_summary(stream_report)

# %% tags=["hide-input"]
glue("stream_sentence", prose.keystream_nist(stream_summary["nist_passed"], stream_summary["nist_run"],
                                             stream_summary["nist_sequences"], len(stream_bits),
                                             stream_summary["nist_sequence_bits"], nist.UNIFORMITY_MIN_SEQUENCES))
passes = stream_report.calibrated(metrics.NIST_LEVEL)
stream_nist = pd.DataFrame([r.to_dict() for r in stream_report.rows]).set_index("name")
shown = pd.DataFrame({
    "share of sequences passing": stream_nist["proportion"].map("{:.0%}".format),
    "§4.2.1 interval": [f"{lo:.1%} to {min(hi, 1):.0%}" for lo, hi in zip(stream_nist["interval_low"],
                                                                        stream_nist["interval_high"])],
    "P of so few passes": stream_nist["proportion_p"].map(prose.p_value),
    "uniformity P-value": stream_nist["uniformity_p"].map(lambda p: prose.p_value(p) if pd.notna(p) else "–"),
    "passed": [("yes" if passes[name] else "no") for name in stream_nist.index]}, index=stream_nist.index)
shown.index.name = "NIST row"
glue("uniformity_threshold", f"{nist.UNIFORMITY_THRESHOLD:g}")
glue("nist_rule", f"at least {metrics.NIST_LEVEL:g}/{stream_report.n_rows}, which holds the false-alarm rate of the "
                  f"whole report at {metrics.NIST_LEVEL:g}")
shown

# %% [markdown]
# {glue:text}`weights_sentence` {glue:text}`lyapunov_sentence` {glue:text}`stream_sentence`
# In the table, "P of so few passes" is the probability that a perfect generator passes
# on that few of the sequences or fewer; as in chapter 1, a row passes when it is
# {glue:text}`nist_rule`, and when its P-values, where judged, are uniform. Uniformity is
# judged as SP 800-22 §4.2.2 judges it, at its own threshold of
# {glue:text}`uniformity_threshold`, not at the level of the pass counts: a uniformity
# P-value below that level but above {glue:text}`uniformity_threshold` still passes.

# %% [markdown]
# **Where the key goes: the whole spectrum and the entropy of the state.** A positive
# largest exponent says that nearby orbits separate. It does not say how many different
# states an orbit can be in once the dropped iterations are over, and that state alone
# sets an image's permutation and key-streams. The other exponents decide it. Carrying
# three tangent vectors along the orbit and re-orthonormalising them by a QR
# decomposition every step (the method of Benettin and co-workers) gives all of them,
# $\lambda_1 \ge \lambda_2 \ge \lambda_3$; their sum is the mean of
# $\ln\lvert\det J(x_t)\rvert$, the rate at which the map shrinks volumes. The
# Kaplan–Yorke dimension
#
# $$ D_{KY} = j + \frac{\lambda_1 + \dots + \lambda_j}{\lvert\lambda_{j+1}\rvert}, $$
#
# with $j$ the largest $k$ for which $\lambda_1 + \dots + \lambda_k \ge 0$, estimates the
# dimension of the set that the orbits fill (`dynamics.lyapunov_spectrum`,
# `dynamics.kaplan_yorke_dimension`).
#
# How many states that set holds at a given precision we count directly. From random
# starts in $(-1, 1)^3$, as the hash gives (at most $3 \times 53 = 159$ bits), we run the
# 200 dropped iterations and count the pairs of starts that end in exactly the same
# state. The fraction of colliding pairs estimates $\sum_i p_i^2$, the probability that
# two independent runs agree, and so the collision entropy
# $H_2 = -\log_2 \sum_i p_i^2$. In float64, collisions are too rare to count, so we
# measure in real float32 arithmetic and in emulated arithmetic with $p$-bit significands
# (the weights, $\tanh$, every product and every partial sum rounded to $p$ bits,
# `dynamics.hopfield_step_at`), fit a straight line to $H_2$ against $p$, and extrapolate
# it to float64's $p = 53$ (`dynamics.state_entropy`). Error bars are exact Poisson
# intervals on the pair counts; the interval at $p = 53$ comes from the fit.

# %% tags=["remove-stderr"]
hopfield_map = functools.partial(hopfield.step, weights=hopfield.WEIGHTS)
spectrum = dynamics.lyapunov_spectrum(hopfield_map, hopfield.jacobian, starts[:spectrum_starts],
                                      iterations=spectrum_iterations, transient=500)
kaplan_yorke = dynamics.kaplan_yorke_dimension(spectrum.mean(axis=0))
entropy = dynamics.state_entropy(np.random.default_rng(seed), mantissas=entropy_mantissas,
                                 target_pairs=entropy_pairs, progress=True)
print("spectrum per iteration:", spectrum.mean(axis=0).round(3), f"D_KY = {kaplan_yorke:.3f}")
print(f"H2 = {entropy.slope:.3f} p {entropy.intercept:+.2f}; at p = 53: {entropy.float64_bits:.1f} bits "
      f"[{entropy.float64_low:.1f}, {entropy.float64_high:.1f}] ({entropy.seconds:.1f} s)")

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Collision entropy of the Hopfield state after the dropped iterations against the significand bits of the arithmetic: emulated precisions with their Poisson intervals, real float32, the fitted line extrapolated to float64 with its interval, and the 128-bit security level (dashed).", "name": "fig-hopfield-state-entropy"}, "image": {"alt": "Collision entropy of the post-transient state rising about one bit per significand bit, far below 128 bits at float64"}}
glue("spectrum_sentence", prose.lyapunov_spectrum_sentence(spectrum.mean(axis=0), len(spectrum), kaplan_yorke))
glue("entropy_sentence", prose.state_entropy_sentence(
    entropy.float32.bits, (entropy.float32.low, entropy.float32.high), (min(entropy_mantissas), max(entropy_mantissas)),
    entropy.slope, entropy.intercept, entropy.float64_bits, (entropy.float64_low, entropy.float64_high),
    entropy.transient, entropy.state_bits, kaplan_yorke, entropy.confidence))
glue("guessing_sentence", prose.state_guessing_verdict(entropy.guessing_bits, get("chaos-hopfield-nonce").key_bits,
                                                      state_bits=entropy.state_bits))
points = entropy.points
fig, ax = plt.subplots(figsize=(6.5, 3.6))
ax.errorbar(entropy.mantissa_bits, [q.bits for q in points], yerr=[[q.bits - q.low for q in points],
            [q.high - q.bits for q in points]], fmt="o", ms=4, capsize=2, label="emulated p-bit arithmetic")
f32 = entropy.float32
ax.errorbar([24], [f32.bits], yerr=[[f32.bits - f32.low], [f32.high - f32.bits]], fmt="s", mfc="none", ms=8,
            label="real float32")
line = np.linspace(min(entropy_mantissas), 53, 100)
ax.plot(line, entropy.line(line), color="k", lw=1, label="fit, extrapolated")
ax.errorbar([53], [entropy.float64_bits], yerr=[[entropy.float64_bits - entropy.float64_low],
            [entropy.float64_high - entropy.float64_bits]], fmt="D", color="C3", capsize=3, label="float64 (extrapolated)")
ax.axhline(128, color="grey", ls="--", label="128-bit security level")
ax.set(xlabel="significand bits p", ylabel="collision entropy H₂ (bits)", ylim=(0, 140),
       title="Hopfield map: the state after the transient")
ax.legend(fontsize="small", loc="center left")
fig.tight_layout()

# %% [markdown]
# {glue:text}`spectrum_sentence` {glue:text}`entropy_sentence`
#
# {glue:text}`guessing_sentence`

# %% [markdown]
# ## 6.5 The common metric suite, beside AES-CTR
#
# One run, both test sets: the learned cipher, the textbook Hopfield cipher, its nonce
# variant of section 6.6, and AES-CTR.

# %%
nonce_hop = get("chaos-hopfield-nonce")
aes = get("aes-ctr")
contenders = {c.name: (c, k) for c, k in [(anc, anc_key), (hop, hop_key), (nonce_hop, nonce_hop.keygen(seed=seed)),
                                           (aes, aes.keygen(seed=seed))]}
rows = results.evaluate_all(contenders, tests, training_time_s={anc.name: anc.history.seconds},
                            seed=seed, alpha=alpha, nist_bits=nist_bits)
frame = pd.DataFrame(rows)

# %% tags=["hide-input"]
columns = {**results.SUMMARY_COLUMNS, "encrypt_mb_per_s": ("Encrypt MB/s", 2)}
table = results.summary_table(frame.assign(cipher=frame["cipher"] + " · " + frame["dataset"]), columns)
table["NIST passed"] = [prose.nist_count(p, n) for p, n in zip(frame["nist_passed"], frame["nist_run"])]
first = {r["cipher"]: r for r in rows if r["dataset"] == datasets[0]}
for name, short in [("anc-alice-bob", "anc"), ("chaos-hopfield", "hop"), ("chaos-hopfield-nonce", "hopn"),
                    ("aes-ctr", "aes")]:
    for k_ in ["entropy_per_image", "corr_h_pooled", "npcr", "uaci", "key_npcr", "uaci_pass_rate"]:
        glue(f"{short}_{k_}", first[name][k_])
    glue(f"{short}_nist", prose.nist_count(first[name]["nist_passed"], first[name]["nist_run"]))
glue("expected_entropy", first["aes-ctr"]["entropy_expected_per_image"])
n_pixels = metrics.pixels_per_image(xrays)
glue("npcr_verdicts", prose.npcr_against_critical({"the learned cipher": first["anc-alice-bob"]["npcr"],
                                                   "the Hopfield cipher": first["chaos-hopfield"]["npcr"],
                                                   "its nonce variant": first["chaos-hopfield-nonce"]["npcr"],
                                                   "AES-CTR": first["aes-ctr"]["npcr"]},
                                                  metrics.npcr_critical(n_pixels, alpha)))
glue("uaci_sentence", prose.uaci_band({f"{r['cipher']} on {sets.get(r['dataset'], r['dataset'])}": r["uaci"]
                                       for r in rows}, *metrics.uaci_critical(n_pixels, alpha)))
glue("anc_wrong_key", prose.wrong_key_sentence(first["anc-alice-bob"]["wrong_key_psnr"],
                                               first["anc-alice-bob"]["decrypt_psnr"]))
glue("hop_wrong_key", prose.wrong_key_noise(first["chaos-hopfield"]["wrong_key_psnr"],
                                            first["aes-ctr"]["wrong_key_psnr"]))
glue("nist_why", prose.nist_denominator({r["cipher"] + " · " + r["dataset"]: r["nist_run"] for r in rows},
                                          metrics.NIST_SEQUENCE_BITS, nist.MIN_BITS))
results.styled(table, columns)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Six test X-rays encrypted by the learned cipher, the textbook Hopfield cipher and AES-CTR, and the learned cipher's decryption with a key one bit off.", "name": "fig-anc-hopfield-images"}, "image": {"alt": "Plain chest X-rays and their cipher images"}}
fig = plots.image_grid({"plain": xrays, "anc-alice-bob": xray_cipher, "chaos-hopfield": hop.encrypt(xrays[:6], hop_key),
                        "AES-CTR": aes.encrypt(xrays[:6], aes.keygen(seed=seed)),
                        "anc, key 1 bit off": anc.decrypt(xray_cipher[:6], anc.flip_key_bit(anc_key, 17))}, n=6)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Grey-level histograms of the test X-rays encrypted by the learned cipher, the textbook Hopfield cipher and AES-CTR, pooled over the images; the red line is the flat histogram of an ideal cipher.", "name": "fig-anc-hopfield-histograms"}, "image": {"alt": "Three grey-level histograms of cipher images"}}
fig = plots.histogram_panel({"anc-alice-bob": xray_cipher, "chaos-hopfield": hop.encrypt(xrays, hop_key),
                             "AES-CTR": aes.encrypt(xrays, aes.keygen(seed=seed))})

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Each cipher pixel against its horizontal, vertical and diagonal neighbour, for the learned cipher (top) and the textbook Hopfield cipher (bottom); a random cipher fills the square evenly.", "name": "fig-anc-hopfield-neighbours"}, "image": {"alt": "Scatter plots of neighbouring cipher pixels"}}
fig = plots.adjacent_scatter({"anc-alice-bob": xray_cipher, "chaos-hopfield": hop.encrypt(xrays, hop_key)})

# %% [markdown]
# On the chest X-rays, the learned cipher's per-image entropy is
# {glue:text}`anc_entropy_per_image:.4f` bits (random images: {glue:text}`expected_entropy:.4f`)
# and its horizontal correlation {glue:text}`anc_corr_h_pooled:.4f`; the Hopfield cipher's
# are {glue:text}`hop_entropy_per_image:.4f` bits and {glue:text}`hop_corr_h_pooled:.4f`,
# and AES-CTR's {glue:text}`aes_entropy_per_image:.4f` and {glue:text}`aes_corr_h_pooled:.4f`
# (histograms and neighbour scatter plots above). NIST rows passed on the cipher bits:
# {glue:text}`anc_nist` for the learned cipher, {glue:text}`hop_nist` for the Hopfield
# cipher, {glue:text}`hopn_nist` for its nonce variant and {glue:text}`aes_nist` for
# AES-CTR. {glue:text}`nist_why`
#
# **Sensitivity.** A one-pixel change of the plaintext changes
# {glue:text}`anc_npcr:.2%` of the learned cipher's pixels (only its own block can
# change), {glue:text}`hop_npcr:.2%` of the Hopfield cipher's, whose forward–backward
# chaining spreads it, and {glue:text}`aes_npcr:.2%` of AES-CTR's, whose fresh nonce per
# image makes the two encryptions unrelated: {glue:text}`npcr_verdicts`
# {glue:text}`uaci_sentence` Per image, {glue:text}`hop_uaci_pass_rate:.0%` of the
# Hopfield cipher's UACIs lie in that band, against {glue:text}`aes_uaci_pass_rate:.0%` of
# AES-CTR's. A one-bit change of the key changes {glue:text}`anc_key_npcr:.2%` of the
# learned cipher's pixels; {glue:text}`anc_wrong_key` {glue:text}`hop_wrong_key`

# %% [markdown]
# **Every key bit, one at a time.** The suite flips one key bit; here we flip each of
# the 128 in turn and let Bob decrypt with the altered key.

# %%
sweep_images = xrays[:100]
sweep_cipher = anc.encrypt(sweep_images, anc_key)
bit_psnr = np.array([metrics.psnr(sweep_images, anc.decrypt(sweep_cipher, anc.flip_key_bit(anc_key, b))).pooled
                     for b in range(anc.key_bits)])
right_psnr = metrics.psnr(sweep_images, anc.decrypt(sweep_cipher, anc_key)).pooled

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Bob's PSNR on the sweep's X-rays with each of the key bits flipped in turn, against the right key (dashed).", "name": "fig-anc-key-bits"}, "image": {"alt": "Bar chart of PSNR per flipped key bit"}}
within_1db = int(np.sum(bit_psnr > right_psnr - 1))
glue("sweep_n", len(sweep_images))
glue("bit_psnr_median", float(np.median(bit_psnr)))
glue("bit_psnr_min", float(bit_psnr.min()))
glue("right_psnr_sweep", right_psnr)
glue("sweep_sentence", prose.key_bit_sweep(within_1db, anc.key_bits))
fig, ax = plt.subplots(figsize=(6.5, 2.8))
ax.bar(range(anc.key_bits), bit_psnr, width=1.0)
ax.axhline(right_psnr, color="k", ls="--", label="right key")
ax.set(xlabel="flipped key bit", ylabel="Bob's PSNR (dB)", title="anc-alice-bob: decryption with one key bit wrong")
ax.legend(fontsize="small")
fig.tight_layout()

# %% [markdown]
# With the right key Bob reaches {glue:text}`right_psnr_sweep:.2f` dB on these
# {glue:text}`sweep_n` X-rays. With one bit wrong, the median over the 128 bits is
# {glue:text}`bit_psnr_median:.2f` dB and the worst {glue:text}`bit_psnr_min:.2f` dB
# (figure above). {glue:text}`sweep_sentence`

# %% [markdown]
# ## 6.6 The chosen-plaintext attack on the Hopfield cipher
#
# The textbook Hopfield cipher derives its permutation and key-streams from the key
# alone, so, exactly like the logistic-map cipher of chapter 2, it computes
# $E(p) = M\,P\,p + b \pmod{256}$ with a public diffusion $M$. The attack of chapter 2
# asks for the encryption of a few chosen images and solves for an equivalent key
# $(P, b)$; it never touches the chaotic network.

# %%
attack_start = time.perf_counter()
equivalent, n_chosen = chosen_plaintext_attack(lambda p: hop.encrypt(p, hop_key), xrays.shape[1:])
attack_seconds = time.perf_counter() - attack_start
recovered = equivalent.decrypt(hop.encrypt(xrays, hop_key))
nonce_key = nonce_hop.keygen(seed=seed)
try:
    chosen_plaintext_attack(lambda p: nonce_hop.encrypt(p, nonce_key), xrays.shape[1:])
    nonce_outcome = "recovered an equivalent key"
except AttackFailed as error:
    nonce_outcome = f"failed: {error}"
# The attack's first step alone: the mask b from an all-zero image, then applied to another encryption.
zero = np.zeros((1, *xrays.shape[1:]), dtype=np.uint8)
masks_differ = float(np.mean(nonce_hop.encrypt(zero, nonce_key).pixels() != nonce_hop.encrypt(zero, nonce_key).pixels()))

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Six test X-rays, their encryption by the textbook Hopfield cipher, and the attacker's decryption with the equivalent key recovered from chosen images.", "name": "fig-hopfield-attack"}, "image": {"alt": "Plain X-rays, Hopfield cipher images and the attacker's decryptions"}}
attack_bit_exact = metrics.bit_exact_rate(xrays, recovered)
nonce_failed = nonce_outcome.startswith("failed")
glue("attack_sentence", prose.chosen_plaintext(n_chosen, attack_seconds, attack_bit_exact, len(xrays), hop.key_bits))
glue("nonce_masks_differ", masks_differ)
glue("nonce_sentence", prose.nonce_attack(nonce_failed, entropy.guessing_bits))
fig = plots.image_grid({"plain": xrays, "chaos-hopfield cipher": hop.encrypt(xrays[:6], hop_key),
                        "attacker's decryption": recovered}, n=6)

# %% [markdown]
# {glue:text}`attack_sentence` This is the break reported for chaotic-neural-network
# ciphers since 2004 {cite}`li2004cryptanalysis,li2005clipped`.
#
# The nonce variant `chaos-hopfield-nonce` starts the network, for every image, from
# SHA-256 of the key and a fresh public 16-byte nonce, as AES-CTR does. Encrypting the
# same all-zero image twice gives masks that differ in {glue:text}`nonce_masks_differ:.1%`
# of the pixels, {glue:text}`nonce_sentence`
#
# ```{warning}
# Surviving this attack, or every attack of chapter 8's suite, does not make
# `chaos-hopfield-nonce` a cipher to use. It is one more pseudo-random generator with no
# security argument of its own: nobody has analysed the map as a generator, it has no
# integrity check (a changed cipher image decrypts to a changed X-ray without notice),
# its floating-point arithmetic may round differently on another platform, and attacks
# outside the suite, such as recovering an image's orbit state from a known part of that
# image, are untested. The hash and the nonce do the work here, and they do it better
# with AES: use AES-GCM from a maintained library.
# ```

# %% [markdown]
# ## 6.7 Throughput

# %%
batch = np.resize(xrays, (throughput_images, *xrays.shape[1:]))
speed = {name: metrics.measure_throughput(c, batch, k, repeats=1) for name, (c, k) in contenders.items()}
speed, ceiling = bench.with_ceiling(speed, batch.nbytes)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Encryption and decryption speed of the learned cipher, the two Hopfield ciphers and AES-CTR, in MB/s on a log scale, from one run; the dashed line is the ceiling measured in the same run.", "name": "fig-anc-hopfield-throughput"}, "image": {"alt": "Bar chart of encryption and decryption throughput"}}
for name, short in [("anc-alice-bob", "anc"), ("chaos-hopfield", "hop"), ("chaos-hopfield-nonce", "hopn"),
                    ("aes-ctr", "aes")]:
    glue(f"{short}_mb_s", speed[name]["encrypt_mb_per_s"])
glue("device", metrics.device_name())
glue("throughput_images", throughput_images)
glue("ceiling_sentence", prose.ceiling_sentence(speed, ceiling))
fig = plots.throughput_bars(speed, ceiling=ceiling)

# %% [markdown]
# On {glue:text}`device`, in one run on {glue:text}`throughput_images` X-rays, encryption
# runs at {glue:text}`anc_mb_s:,.2f` MB/s for the learned cipher,
# {glue:text}`hop_mb_s:,.2f` MB/s for the textbook Hopfield cipher (its key schedule is
# computed once per key), {glue:text}`hopn_mb_s:,.2f` MB/s for the nonce variant (one
# orbit per image) and {glue:text}`aes_mb_s:,.1f` MB/s for AES-CTR (figure above).
# {glue:text}`ceiling_sentence` On a batch this small, a cipher's fixed cost per call
# weighs heavily, and the batch is not that of chapter 9's benchmark, which times every
# cipher of the book under the same conditions: compare speeds within one run only.

# %% [markdown]
# ## 6.8 What we reproduced of the papers' claims
#
# A re-implementation is a fair target only if it has what its papers claim. The card
# sets every value the papers of this family report (from `data/literature.csv`; most
# are chaotic-map designs, marked as another design of the family) and the claim that the
# key is the secret beside what we measured for `anc-alice-bob` on
# {glue:text}`first_dataset`, and says whether we reproduced it. Times and speeds are not
# comparable across machines.

# %%
NO_STATISTICS_TERM = "design limit: Abadi and Andersen's loss has no histogram or correlation term"
block_limit = prose.block_evidence(patch, first["anc-alice-bob"]["pixels_per_image"])
anc_card = reproduction.card("anc-alice-bob", first["anc-alice-bob"], audit=anc_best.audit.to_dict(),
                             evidence={"key sensitivity": "see the attempts of section 6.2", "NPCR (%)": block_limit,
                                       "UACI (%)": block_limit, "entropy (bits)": NO_STATISTICS_TERM,
                                       "corr. H": NO_STATISTICS_TERM})
reproduction.shown(anc_card)

# %% tags=["hide-input"]
glue("first_dataset", datasets[0])
glue("anc_card_sentence", prose.card_sentence("anc-alice-bob", list(anc_card["status"])))

# %% [markdown]
# {glue:text}`anc_card_sentence`

# %% tags=["hide-input"]
written = results.save_chapter(
    results_dir, "06_feedforward", rows, profile=profile, seed=seed, started=chapter_start,
    datasets=datasets, n_train=len(train_images), checkpoints={"anc-alice-bob": anc_path.name}, device_training=str(anc.device),
    trained_now=anc_trained_now, throughput=speed, key_attempts={"anc-alice-bob": anc_records},
    reproduction_cards={"anc-alice-bob": anc_card.to_dict(orient="records")}, losses=anc.history.losses, fresh_eve=eve_table.reset_index().to_dict(orient="records"),
    fresh_eve_losses=fresh_history.losses, hopfield_weights=hopfield.WEIGHTS.tolist(),
    lyapunov={"min": float(exponents.min()), "max": float(exponents.max()), "starts": len(starts),
              "spectrum": spectrum.mean(axis=0).tolist(), "kaplan_yorke": kaplan_yorke},
    state_entropy={"mantissa_bits": list(entropy.mantissa_bits), "bits": [q.bits for q in entropy.points],
                   "pairs": [q.pairs for q in entropy.points], "float32_bits": entropy.float32.bits,
                   "slope": entropy.slope, "intercept": entropy.intercept, "float64_bits": entropy.float64_bits,
                   "float64_interval": [entropy.float64_low, entropy.float64_high],
                   "guessing_bits": entropy.guessing_bits, "seconds": entropy.seconds},
    keystream_nist=stream_nist.reset_index(names="test").to_dict(orient="records"),
    attack={"chosen_images": n_chosen, "seconds": attack_seconds,
            "bit_exact": attack_bit_exact, "nonce_variant": nonce_outcome})
print("wrote", written.name)
glue("summary_bob", prose.bob_learned(mae.iloc[0], min(mae.iloc[2], mae.iloc[3])))
glue("summary_anc", prose.anc_summary(within_1db, anc.key_bits))
glue("summary_hopfield", prose.hopfield_summary(stream_summary["nist_passed"], stream_summary["nist_run"], n_chosen,
                                                attack_bit_exact))
glue("summary_nonce", prose.nonce_summary(nonce_failed, entropy.guessing_bits))

# %% [markdown]
# ## Summary
#
# - {glue:text}`summary_bob` The Eve they trained against, and a stronger fresh one, are
#   single neural adversaries, and beating them is not a security argument.
# - {glue:text}`summary_anc`
# - {glue:text}`summary_hopfield`
# - {glue:text}`summary_nonce`

# %% [markdown]
# ## Exercises
#
# Three of the exercises are checked by the library: after `from medcrypt import exercises`,
# `exercises.check` says whether your answer is right and gives a hint for a common slip.
#
# ```{exercise} What a losing Eve shows
# :label: ex-feedforward-eve
#
# Section 6.3's fresh Eve does no better than a guess that ignores the ciphertext. Name
# two attacks on `anc-alice-bob` that do not train a network at all, and say which
# property of the cipher each one uses.
# ```
#
# ```{solution} ex-feedforward-eve
# :class: dropdown
#
# Alice encrypts every block alone and deterministically, like a block cipher in ECB mode,
# so equal blocks give equal cipher blocks (section 6.3's two flat halves): the layout of
# an image shows through. The same determinism wins the IND-CPA game of chapter 1 with one
# oracle query. Both use structure that no loss on Eve's error measures; a failing Eve
# rules out one attacker, not the others.
# ```
#
# ```{exercise} How far can one pixel spread?
# :label: ex-feedforward-npcr
#
# `anc-alice-bob` encrypts every 4×4 block of a 28×28 image on its own. What is the
# largest NPCR, in percent, that changing one plaintext pixel can give? Check:
# `exercises.check("06_feedforward", 2, answer)`. Compare it with the measured NPCR of
# section 6.5.
# ```
#
# ```{solution} ex-feedforward-npcr
# :class: dropdown
#
# Only the block that holds the pixel can change: at most $16$ of the $784$ cipher pixels,
# $100 \cdot 16/784$ percent. The measured NPCR lies at or below it, far from the
# ideal cipher's value of chapter 1.
# ```
#
# ```{exercise} The high bits of a chaotic orbit: predict, then run
# :label: ex-feedforward-high-bits
#
# The key-stream takes bits 33 to 40 below the binary point of each state. Predict what
# the NIST rows of section 6.4 would say about bytes taken from bits 1 to 8 instead, then
# run it: change `2.0**40` to `2.0**8` in your `hopfield_keystream` and pass its bits to
# `metrics.nist_summary(metrics.nist_report(bits))`.
# ```
#
# ```{solution} ex-feedforward-high-bits
# :class: dropdown
#
# The first bits below the point follow the attractor's shape (figure of section 6.4),
# whose states are far from uniform on their interval, so expect those bytes to fail the
# frequency rows. Positive Lyapunov exponents spread a state's rounding only into the low
# bits; taking bits far below the point is what makes the stream look random, and neither
# choice is a security argument.
# ```
#
# ```{exercise} Break it: the textbook Hopfield cipher under chosen plaintext
# :label: ex-feedforward-chosen
#
# `task = exercises.challenge("06_feedforward", 4).give()` hands you an encryption oracle
# `task["encrypt"]` (images in, cipher images out) of `chaos-hopfield` under a hidden key,
# and a cipher image `task["cipher"]`. Recover its plain image and check it with
# `exercises.check("06_feedforward", 4, answer)`, first by hand with a few chosen images,
# then with chapter 2's `chosen_plaintext_attack`.
# ```
#
# ```{solution} ex-feedforward-chosen
# :class: dropdown
#
# The cipher is $E(p) = M\,(P\,p) + b$ with the public diffusion $M$. The all-zero image
# gives $b$; images that mark the pixels give $P$. Then $p = P^{-1} M^{-1}(c - b)$:
# `equivalent, _ = chosen_plaintext_attack(task["encrypt"], task["cipher"].shape)` and
# `equivalent.decrypt(task["cipher"][None])[0]`. The chaotic network is never touched.
# ```
#
# ```{exercise} Break it: IND-CPA against the deterministic Hopfield cipher
# :label: ex-feedforward-ind-cpa
#
# `task = exercises.challenge("06_feedforward", 5).give()` holds two images `task["m0"]`
# and `task["m1"]`, the oracle `task["encrypt"]`, and challenge cipher images
# `task["challenges"]`, each the encryption of $m_0$ or $m_1$. Answer with one guess $b'$ per
# challenge and check it with `exercises.check("06_feedforward", 5, answer)`. Why would the
# same adversary fail against `chaos-hopfield-nonce`?
# ```
#
# ```{solution} ex-feedforward-ind-cpa
# :class: dropdown
#
# Ask the oracle once for the encryption of $m_0$ and answer $b' = 0$ for the challenges equal to
# it, $1$ for the others: the advantage is 1 ({prf:ref}`def-advantage`). The nonce variant
# starts every image from a fresh state, so two encryptions of $m_0$ differ; that defeats
# this adversary, and proves nothing more: the nonce variant is one more pseudo-random
# generator without a security argument (section 6.6).
# ```
