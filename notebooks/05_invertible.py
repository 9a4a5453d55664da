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
# # 5. Invertible neural networks
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/medcrypt-book/dl-medical-image-encryption/blob/main/notebooks/05_invertible.ipynb)
#
# An invertible network runs forwards to encrypt and backwards to decrypt, with the same
# weights, so it promises what autoencoders cannot: exact decryption. The literature
# shows two gaps in that promise. A real-valued network is exact only in real arithmetic,
# and its outputs must be rounded to 8 bits for storage; and many invertible schemes have
# no key at all. This chapter builds a compact cipher that closes both gaps, an integer
# coupling network keyed by 128 bits that decrypts bit for bit by construction, and a
# continuous flow that measures what rounding costs.

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
results_dir = "results"  # where this chapter writes 05_invertible.json
weights_dir = "weights"  # trained models are saved here and reused when present
datasets = ["pneumoniamnist", "breastmnist"]
size = 28
n_train = 1024  # training images (a seeded random subset of the PneumoniaMNIST training split)
n_test = None  # None: the whole test splits
layers = 4
width = 8
epochs = 3
batch_size = 32
flow_scales = [1.0, 2.0, 3.0]
throughput_images = 2000
seed = 2026
alpha = 0.05
nist_bits = None  # cap on the cipher bits given to the NIST tests (None: all)
retrain = False
data_root = None

# %% tags=["hide-input"]
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from medcrypt import attempts, bench, data, metrics, nist, plots, results
from medcrypt.attacks.key_audit import audit_key
from medcrypt.book import literature, prose, reproduction
from medcrypt.ciphers import IntegerCouplingCipher, get
from medcrypt.ciphers.invertible import ContinuousFlow, quantised_round_trip
from medcrypt.ciphers.neural import load_or_train
from medcrypt.book.notebook import glue

chapter_start = time.perf_counter()
plt.rcParams["figure.dpi"] = 110
train_images, tests = data.train_and_tests(datasets, size=size, n_train=n_train, n_test=n_test, seed=seed,
                                           root=data_root)
print({flag: images.shape for flag, images in tests.items()}, "training:", train_images.shape)
Path(weights_dir).mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## 5.1 The family in the literature
#
# Most invertible networks in this literature **hide** an image rather than encrypt it.
# HiNet hides a secret image inside a cover image with a stack of invertible blocks in
# the wavelet domain and reveals it by running the network backwards
# {cite}`jing2021hinet`; ISN does the same for larger payloads, sharing all parameters
# between hiding and revealing {cite}`lu2021isn`. They are steganography: the output
# looks like the cover, and neither has a key, so anyone with the weights can reveal the
# secret. DKiS adds a private key to such hiding {cite}`yang2023dkis`. The hiding line
# has grown: DeepMIH hides several images in one cover with cascaded invertible networks
# {cite}`guan2023deepmih`, PRIS makes invertible hiding robust to noise and compression
# and handles the rounding of its output to integers {cite}`yang2024pris`, FIIH makes both the data and
# the network invertible {cite}`huang2024fiih`, and SMILENet hides a mosaic of many
# images {cite}`huang2025smilenet`; none of them has a key either. **Encryption**
# with invertible networks is rarer. FlowCrypt splits the image with a key-conditioned
# mask and passes it through invertible blocks, and reports near-lossless recovery,
# {glue:text}`flowcrypt_claim`, on three datasets of photos {cite}`yang2025flowcrypt`.
# For medical images, a high-order Hopfield network generates a chaotic "cipher flow"
# that conditions an invertible network whose inverse, with the same weights, decrypts
# {cite}`liu2024dynamical`. The table comes from `data/papers.csv`
# and `data/literature.csv`; empty cells are values no source we saw gives.

# %%
literature.review_table("invertible")

# %% [markdown]
# ## 5.2 An integer coupling cipher: a keyed Feistel network
#
# Our `inn-coupling` treats an image as $T$ integers modulo 256. Each of its $L$ layers
# first moves every pixel by a permutation $\pi_\ell(k)$ derived from the key with
# SHA-256, then splits the pixels into two halves on a checkerboard, $x_A$ (the squares
# of one colour) and $x_B$ (the others), and updates only $x_B$:
#
# $$ y_A = x_A, \qquad y_B = \big(x_B + F_\ell(x_A, k)\big) \bmod 256, \qquad
#    F_\ell = \operatorname{round} \circ f_\ell , $$
#
# where $f_\ell$ is a small convolutional network that sees half $x_A$ (as signed
# integers), the checkerboard and the key $k$ (as a vector of ±1), and $F_\ell$ is
# its integer output. Decryption runs the layers in reverse order; since
# $y_A = x_A$, it recomputes the same shift and subtracts it,
#
# $$ x_A = y_A, \qquad x_B = \big(y_B - F_\ell(y_A, k)\big) \bmod 256 , $$
#
# and then undoes $\pi_\ell(k)$. This is the additive coupling, the special case $s = 0$
# of the affine coupling of section 5.5: before rounding and the modulo its Jacobian is
# triangular with ones on the diagonal, so its determinant is 1 and it neither stretches
# nor squeezes. On 8-bit images it is a bijection of the $256^T$ possible images **for
# any weights and any key**: $f_\ell$ need not be invertible, just as the round function
# of a Feistel network need not be. Rounding happens *inside* the layer, on the shift,
# never on the output, so there is nothing left to round afterwards. The secret is the
# 128-bit key; the weights are public.
#
# Bit-exactness rests on one practical condition: decryption must recompute $F_\ell$ to
# the same bits as encryption did, on whatever machine it runs. So $F_\ell$ is an
# integer function: its weights are small integers, each activation is a floor and a
# clamp to a small integer range, and a bound on the inputs, weights and fan-in keeps
# every partial sum far below $2^{24}$, where single-precision floats still hold every
# integer. A sum of integers that never leaves that range is the same integer whatever
# the order of its additions, so the shift is the same on any device, batch size or
# thread count, in float32 as in float64 (`tests/test_invertible.py` checks all four).
# Training keeps float weights behind the scenes and passes the rounding by
# straight-through gradients.

# %% tags=["hide-input"] mystnb={"figure": {"caption": "One layer of the integer coupling cipher: a key-derived permutation, a checkerboard split, and an integer shift of half B computed from half A and the key.", "name": "fig-inn-layer"}, "image": {"alt": "Block diagram of one coupling layer"}}
fig = plots.pipeline_diagram({"one layer": ["image (uint8)", "permute by π_ℓ(k)", "split A | B (checkerboard)",
                                            "B + round(f(A, k)) mod 256", "next layer"]})

# %% [markdown]
# **One layer from scratch.** Given the layer's permutation $\pi_\ell(k)$, its
# checkerboard and its shift function $F_\ell(\cdot, k)$, a coupling layer and its
# inverse are a few lines of integer arithmetic. The inverse never inverts $F_\ell$:
# it recomputes it from the unchanged half.

# %% tags=["from-scratch"]
def coupling_layer(x, perm, mask, f):
    """One layer on uint8 images (N, H, W): permute the pixels, then B <- (B + f(A)) mod 256, A unchanged."""
    x = x.reshape(len(x), -1)[:, perm].reshape(x.shape).astype(np.int64)
    a = (x - 128) * mask  # half A as signed integers, zero on half B
    return ((x + f(a) * (1 - mask)) % 256).astype(np.uint8)


def coupling_layer_inverse(y, perm, mask, f):
    """Undo one layer: A is unchanged, so f(A) is recomputed and subtracted; then the permutation is undone."""
    y = y.astype(np.int64)
    x = ((y - f((y - 128) * mask) * (1 - mask)) % 256).reshape(len(y), -1)
    out = np.empty_like(x)
    out[:, perm] = x
    return out.reshape(y.shape).astype(np.uint8)


# %% [markdown]
# ## 5.3 Training towards cipher statistics, honestly measured
#
# The construction guarantees exactness, not security, so we train the shift networks
# towards the statistics of a good cipher: a flat histogram, no neighbour correlation,
# and a large change after a one-pixel change of the plaintext. Rounding and the
# modulo are passed by straight-through gradients. Then we compare, in one table, the
# trained network, **the same architecture at its random initialisation**, and AES-CTR.

# %% tags=["remove-stderr"]
untrained = IntegerCouplingCipher(image_shape=train_images.shape[1:], layers=layers, width=width, seed=seed)
trained, trained_path, trained_now = load_or_train(
    IntegerCouplingCipher(image_shape=train_images.shape[1:], layers=layers, width=width, seed=seed), weights_dir,
    {"epochs": epochs, "n_train": len(train_images), "subset_seed": seed, "batch_size": batch_size},
    lambda c: c.fit(train_images, epochs=epochs, batch_size=batch_size, seed=seed), retrain=retrain)
print(("trained" if trained_now else "loaded"), trained_path.name, f"({trained.history.seconds:.0f} s of training)")
trained_label, untrained_label = "inn-coupling (trained)", "inn-coupling (random init)"  # table labels

# %% [markdown]
# The layers written from scratch above, given the trained cipher's parts
# (`layer_parts`), reproduce its encryption bit for bit, and their inverses undo it:

# %%
layer_key, by_hand = trained.keygen(seed=seed), tests[datasets[0]][:6]
for layer in range(layers):
    by_hand = coupling_layer(by_hand, *trained.layer_parts(layer_key, layer))
print("our layers give the library's cipher images:",
      "yes" if np.array_equal(by_hand, trained.encrypt(tests[datasets[0]][:6], layer_key)) else "NO")
for layer in reversed(range(layers)):
    by_hand = coupling_layer_inverse(by_hand, *trained.layer_parts(layer_key, layer))
print("our inverse layers give the plaintexts back:", "yes" if np.array_equal(by_hand, tests[datasets[0]][:6]) else "NO")

# %% tags=["hide-input"] mystnb={"figure": {"caption": "The statistics loss of the coupling cipher (histogram, neighbour correlation and one-pixel sensitivity terms together) per training epoch.", "name": "fig-inn-loss"}, "image": {"alt": "Training loss per epoch of inn-coupling"}}
glue("train_time", prose.duration(trained.history.seconds))
glue("inn_loss", prose.training_loss(trained.history.losses["statistics"], "statistics loss"))
fig = trained.history.plot(title="inn-coupling: statistics loss per epoch")

# %% [markdown]
# In {glue:text}`train_time` of training, {glue:text}`inn_loss` (figure above).

# %%
aes = get("aes-ctr")
key = trained.keygen(seed=seed)
contenders = {trained_label: (trained, key), untrained_label: (untrained, key),
              "aes-ctr": (aes, aes.keygen(seed=seed))}
rows = results.evaluate_all(contenders, tests, training_time_s={trained_label: trained.history.seconds},
                            seed=seed, alpha=alpha, nist_bits=nist_bits)
frame = pd.DataFrame(rows)

# %% tags=["hide-input"]
columns = {**results.SUMMARY_COLUMNS, "encrypt_mb_per_s": ("Encrypt MB/s", 2)}  # the coupling cipher is slow
table = results.summary_table(frame.assign(cipher=frame["cipher"] + " · " + frame["dataset"]), columns)
table["NIST passed"] = [prose.nist_count(p, n) for p, n in zip(frame["nist_passed"], frame["nist_run"])]
first = {r["cipher"]: r for r in rows if r["dataset"] == datasets[0]}
for name, short in [(trained_label, "tr"), (untrained_label, "un"), ("aes-ctr", "aes")]:
    for k_ in ["entropy_per_image", "npcr", "uaci", "key_npcr", "key_uaci", "wrong_key_psnr"]:
        glue(f"{short}_{k_}", first[name][k_])
    glue(f"{short}_nist", prose.nist_count(first[name]["nist_passed"], first[name]["nist_run"]))
glue("expected_entropy", first["aes-ctr"]["entropy_expected_per_image"])
directions = {"horizontal": "corr_h_pooled", "vertical": "corr_v_pooled", "diagonal": "corr_d_pooled"}
glue("training_helped", prose.correlation_change({d: first[trained_label][c] for d, c in directions.items()},
                                                 {d: first[untrained_label][c] for d, c in directions.items()}))
glue("exact_sentence", prose.exact_decryption(first[trained_label]["bit_exact_rate"],
                                              first[untrained_label]["bit_exact_rate"]))
results.styled(table, columns)

# %% tags=["hide-input"]
# The sentences of the differential and key tests, and of the NIST denominators.
npcr_critical = metrics.npcr_critical(metrics.pixels_per_image(tests[datasets[0]]), alpha)
labels = {trained_label: "the trained cipher", untrained_label: "its random initialisation", "aes-ctr": "AES-CTR"}
sets = {"pneumoniamnist": "PneumoniaMNIST", "breastmnist": "BreastMNIST"}
glue("npcr_verdicts", prose.npcr_against_critical({labels[n]: first[n]["npcr"] for n in first}, npcr_critical))
glue("spread_sentence", prose.coupling_spread(first[trained_label]["npcr"], npcr_critical))
glue("uaci_sentence", prose.uaci_band({f"{labels[r['cipher']]} on {sets.get(r['dataset'], r['dataset'])}": r["uaci"]
                                       for r in rows},
                                      *metrics.uaci_critical(metrics.pixels_per_image(tests[datasets[0]]), alpha)))
glue("chi2_sentence", prose.chi2_sentence({labels[n]: first[n]["chi2_p_pooled"] for n in first}, alpha))
glue("nist_why", prose.nist_denominator({r["cipher"] + " · " + r["dataset"]: r["nist_run"] for r in rows},
                                          metrics.NIST_SEQUENCE_BITS, nist.MIN_BITS))
glue("tr_key_uaci_pass", first[trained_label]["key_uaci_pass_rate"])
glue("tr_key_npcr_pass", first[trained_label]["key_npcr_pass_rate"])
glue("n_first_test", len(tests[datasets[0]]))

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Six test X-rays, their encryption by the trained coupling cipher, its decryption with the right key and with a key one bit off, and their encryption by the same network at random initialisation.", "name": "fig-inn-images"}, "image": {"alt": "Grid of plain, encrypted and decrypted chest X-rays"}}
xrays = tests[datasets[0]]
encrypted = trained.encrypt(xrays[:6], key)
fig = plots.image_grid({"plain": xrays, "trained cipher": encrypted, "decrypted": trained.decrypt(encrypted, key),
                        "key 1 bit off": trained.decrypt(encrypted, trained.flip_key_bit(key, 17)),
                        "random-init cipher": untrained.encrypt(xrays[:6], key)}, n=6)

# %% [markdown]
# {glue:text}`exact_sentence` With the key one bit off (fourth row of the figure above),
# the decryption has a PSNR of {glue:text}`tr_wrong_key_psnr:.2f` dB (AES-CTR:
# {glue:text}`aes_wrong_key_psnr:.2f` dB).

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Grey-level histograms of the test X-rays encrypted by the trained coupling cipher, by its random initialisation and by AES-CTR, pooled over the images; the red line is the flat histogram of an ideal cipher.", "name": "fig-inn-histograms"}, "image": {"alt": "Three grey-level histograms of cipher images"}}
fig = plots.histogram_panel({"trained": trained.encrypt(xrays, key), "random init": untrained.encrypt(xrays, key),
                             "AES-CTR": aes.encrypt(xrays, aes.keygen(seed=seed))})

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Each cipher pixel against its horizontal, vertical and diagonal neighbour, for the trained coupling cipher (top) and its random initialisation (bottom); a random cipher fills the square evenly.", "name": "fig-inn-neighbours"}, "image": {"alt": "Scatter plots of neighbouring cipher pixels"}}
fig = plots.adjacent_scatter({"trained": trained.encrypt(xrays, key), "random init": untrained.encrypt(xrays, key)})

# %% [markdown]
# On the chest X-rays the trained cipher's per-image entropy is
# {glue:text}`tr_entropy_per_image:.4f` bits against {glue:text}`un_entropy_per_image:.4f`
# at random initialisation and {glue:text}`expected_entropy:.4f` expected for random
# images. {glue:text}`chi2_sentence` {glue:text}`training_helped` The scatter plots
# above show the same neighbour pairs. The trained cipher passes
# {glue:text}`tr_nist` NIST rows (random init {glue:text}`un_nist`, AES-CTR
# {glue:text}`aes_nist`). {glue:text}`nist_why`
#
# **The differential test.** A one-pixel change of the plaintext changes
# {glue:text}`tr_npcr:.2%` of the trained cipher's pixels ({glue:text}`un_npcr:.2%` at
# random initialisation, {glue:text}`aes_npcr:.2%` for AES-CTR): {glue:text}`npcr_verdicts`
# {glue:text}`spread_sentence` {glue:text}`uaci_sentence`
#
# **The key test.** A one-bit change of the key, which changes every permutation and
# every shift, changes {glue:text}`tr_key_npcr:.2%` of the trained cipher's pixels, but
# by a mean intensity (key UACI) of {glue:text}`tr_key_uaci:.2%` of the range, where two
# unrelated cipher images differ by {glue:text}`aes_key_uaci:.2%` (AES-CTR's key UACI
# here). Per image, {glue:text}`tr_key_npcr_pass:.0%` of the {glue:text}`n_first_test`
# X-rays pass chapter 1's NPCR test and {glue:text}`tr_key_uaci_pass:.0%` its UACI test.
# A high key NPCR alone does not show key sensitivity:
# the cipher images under the two keys differ almost everywhere, but by less than
# unrelated images do. These values come from one flipped key bit, drawn by the suite's
# seed, on this chapter's test images; chapter 8 flips other bits on other images, so
# its key NPCR and UACI for `inn-coupling` differ from these, and its verdict follows the
# same tests. The cipher is deterministic, so, like the textbook chaotic cipher of
# chapter 2, it is exposed to chosen-plaintext attacks; chapter 8 tries them.
#
# **What depends on training.** The structural properties, exact decryption, determinism
# and the locality of each layer's shift, hold for any weights (section 5.2); the
# statistical ones in the table (histogram, correlation, NPCR and UACI) are properties of
# this training run, a short one on a subset of images, and would change with longer training.

# %% [markdown]
# ## 5.4 Throughput

# %%
batch = np.resize(xrays, (throughput_images, *xrays.shape[1:]))
speed = {name: metrics.measure_throughput(c, batch, k, repeats=1)
         for name, c, k in [(trained_label, trained, key), ("aes-ctr", aes, aes.keygen(seed=seed))]}
speed, ceiling = bench.with_ceiling(speed, batch.nbytes)

# %% tags=["hide-input", "remove-stderr"] mystnb={"figure": {"caption": "Encryption and decryption speed of the trained coupling cipher and of AES-CTR, in MB/s on a log scale, from one run; the dashed line is the ceiling measured in the same run.", "name": "fig-inn-throughput"}, "image": {"alt": "Bar chart of encryption and decryption throughput"}}
glue("inn_mb_s", speed[trained_label]["encrypt_mb_per_s"])
glue("aes_mb_s", speed["aes-ctr"]["encrypt_mb_per_s"])
glue("device", metrics.device_name())
glue("throughput_images", throughput_images)
glue("ceiling_sentence", prose.ceiling_sentence(speed, ceiling, len(batch)))
fig = plots.throughput_bars(speed, ceiling=ceiling)

# %% [markdown]
# On {glue:text}`device`, the coupling cipher encrypts {glue:text}`inn_mb_s:.2f` MB/s and AES-CTR
# {glue:text}`aes_mb_s:.1f` MB/s, in one run on {glue:text}`throughput_images` X-rays (figure
# above). {glue:text}`ceiling_sentence` These speeds come from a run of their own, on
# another batch than the metric suite's, so they differ from the Encrypt MB/s column of
# the table in section 5.3. Because its shift function is integer arithmetic,
# the coupling network runs in float32 at no cost to exactness; `make bench` also times
# it in float64 and counts the round trips that decrypt exactly there.

# %% [markdown]
# ## 5.5 The continuous flow and the rounding problem
#
# A RealNVP flow is built from affine couplings {cite}`dinh2017realnvp`. The input $x$ is
# split into two halves $x_1$ and $x_2$ (here the two colours of a checkerboard), and
#
# $$ y_1 = x_1, \qquad y_2 = x_2 \odot \exp\big(s(x_1)\big) + t(x_1) , $$
#
# where $s$ and $t$ are networks of any form and $\odot$ is the element-wise product.
# The layer is inverted without inverting $s$ or $t$, because $y_1 = x_1$ lets them be
# recomputed:
#
# $$ x_1 = y_1, \qquad x_2 = \big(y_2 - t(y_1)\big) \odot \exp\big(-s(y_1)\big) . $$
#
# Its Jacobian $\partial y / \partial x$ is triangular with $\exp(s(x_1))$ on the
# diagonal, so its log-determinant is the sum of the scales,
#
# $$ \log \left| \det \frac{\partial y}{\partial x} \right| = \sum_j s(x_1)_j , $$
#
# summed over the components $j$ of $x_2$. Our flow bounds $s$ with $\tanh$, so every
# layer scales each value of $x_2$ by a factor between $e^{-1}$ and $e$. The layers are
# exactly invertible in real arithmetic. To be stored or sent as an image, $y$ must be
# rounded to 8 bits, and its range, which the scalings widen, must be squeezed into 256
# levels. Decryption then starts from a perturbed $y$; each layer multiplies the error by
# $\exp(-s)$ and feeds it into the next layer's $s$ and $t$. Below, the same random flow
# with its weights multiplied by increasing factors (stronger scalings), decrypted once
# from its real-valued output and once from its stored 8-bit output.

# %%
flow_rows = []
for scale in flow_scales:
    trip = quantised_round_trip(ContinuousFlow(layers=layers, scale=scale, seed=seed), xrays)
    flow_rows.append({"weight scale": scale,
                      "float round trip bit-exact": metrics.bit_exact_rate(xrays, trip["float round trip"]),
                      "8-bit round trip bit-exact": metrics.bit_exact_rate(xrays, trip["decrypted from 8 bits"]),
                      "8-bit round trip PSNR (dB)": metrics.psnr(xrays, trip["decrypted from 8 bits"]).pooled,
                      "pixels exact": float(np.mean(trip["decrypted from 8 bits"] == xrays))})
    last_trip = trip
flow_table = pd.DataFrame(flow_rows).set_index("weight scale")

# %% tags=["hide-input"]
# FlowCrypt's reported recovery PSNR, from data/literature.csv (never typed by hand).
reported = literature.load("invertible").query("citation_key == 'yang2025flowcrypt' and metric == 'psnr_db'")
flowcrypt = reported.dropna(subset=["value"]).iloc[0] if reported["value"].notna().any() else None
glue("flowcrypt_claim", f"a PSNR of {flowcrypt['value']:g} dB (in its {flowcrypt['where']})" if flowcrypt is not None
     else "no PSNR value that we could read")
glue("flow_sentence", prose.flow_rounding(flow_scales, list(flow_table["float round trip bit-exact"]),
                                          list(flow_table["8-bit round trip bit-exact"]),
                                          list(flow_table["8-bit round trip PSNR (dB)"])))
glue("flowcrypt_sentence", prose.reported_psnr(float(flowcrypt["value"]), list(flow_table["8-bit round trip PSNR (dB)"]))
     if flowcrypt is not None else "No recovery PSNR of FlowCrypt is recorded in data/literature.csv.")
glue("flow_scale_strong", flow_scales[-1])
shown = flow_table.rename(columns={"pixels exact": "pixels exact after 8 bits"})
shown.style.format({c: "{:.1%}" for c in shown.columns if "PSNR" not in c} | {
    "8-bit round trip PSNR (dB)": lambda v: "∞" if np.isinf(v) else f"{v:.2f}"}).format_index("{:g}")

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Six test X-rays, the continuous flow's output at the strongest weight scale stored as 8-bit pixels, and its decryption from those 8 bits.", "name": "fig-flow-rounding"}, "image": {"alt": "Plain X-rays, stored flow outputs and their decryptions"}}
fig = plots.image_grid({"plain": xrays, "flow output, 8-bit": last_trip["stored 8-bit cipher"],
                        "decrypted from 8 bits": last_trip["decrypted from 8 bits"]}, n=6)

# %% [markdown]
# {glue:text}`flow_sentence` The figure above shows the decryption at weight scale
# {glue:text}`flow_scale_strong:g`.
#
# **What rounding does, and what a reported PSNR implies.** FlowCrypt reports
# {glue:text}`flowcrypt_claim` for its recovery {cite}`yang2025flowcrypt`.
# {glue:text}`flowcrypt_sentence` The integer coupling of section 5.2 never meets the
# problem, because it never rounds its output.

# %% [markdown]
# ## 5.6 What we reproduced of the papers' claims
#
# A re-implementation is a fair target only if it has what its papers claim. The card
# sets every value the invertible-network papers report (from `data/literature.csv`;
# most are steganography, marked as another design of the family) and FlowCrypt's claim
# that the key is the secret beside what we measured for the trained coupling cipher on
# {glue:text}`first_dataset`, with chapter 8's key audit run on it here. Parameter counts
# are not comparable.

# %%
inn_audit = audit_key(trained, tests[datasets[0]][:attempts.AUDIT_IMAGES], key)
inn_card = reproduction.card("inn-coupling", first[trained_label], audit=inn_audit.to_dict(), evidence={
    "key sensitivity": f"training length: {len(trained.history.losses['statistics'])} epoch(s) on {len(train_images)} images in this run"})
reproduction.shown(inn_card)

# %% tags=["hide-input"]
glue("first_dataset", datasets[0])
glue("inn_card_sentence", prose.card_sentence("inn-coupling", list(inn_card["status"])))

# %% [markdown]
# {glue:text}`inn_card_sentence`

# %% tags=["hide-input"]
written = results.save_chapter(
    results_dir, "05_invertible", rows, profile=profile, seed=seed, started=chapter_start,
    datasets=datasets, n_train=len(train_images), checkpoints={"inn-coupling": trained_path.name}, device_training=str(trained.device),
    reproduction_cards={"inn-coupling": inn_card.to_dict(orient="records")},
    trained_now=trained_now, throughput=speed, continuous_flow=flow_table.reset_index().to_dict(orient="records"),
    losses=trained.history.losses)
print("wrote", written.name)
glue("summary_npcr", f"{first[trained_label]['npcr']:.2%}")
glue("summary_aes_npcr", f"{first['aes-ctr']['npcr']:.2%}")
glue("summary_flow", prose.flow_summary(list(flow_table["float round trip bit-exact"]),
                                        list(flow_table["8-bit round trip bit-exact"])))

# %% [markdown]
# ## Summary
#
# - Many invertible-network schemes are steganography without a key; the weights reveal
#   the secret.
# - Additive coupling on integers modulo 256, keyed by 128 bits and with key-derived
#   permutations, is a bijection for any weights: exact decryption by construction.
# - Whether training beats random initialisation is measured, direction by direction
#   (section 5.3), not assumed. A one-pixel change of the plaintext changes
#   {glue:text}`summary_npcr` of the trained cipher's pixels, against
#   {glue:text}`summary_aes_npcr` for AES-CTR.
# - A real-valued flow is exact in real arithmetic, not after its output is stored.
#   {glue:text}`summary_flow`

# %% [markdown]
# ## Exercises
#
# ```{exercise} Why the shift network need not be invertible
# :label: ex-inn-feistel
#
# Decryption of section 5.2 never inverts $f_\ell$. Explain why it does not need to.
# Then suppose the layer rounded its *output*, $y_B = \operatorname{round}(x_B + f_\ell(x_A, k))$
# with a real-valued $f_\ell$, and stored $y_B$ as a byte: which step of decryption could
# then fail, and why does rounding the shift, as `inn-coupling` does, avoid it?
# ```
#
# ```{solution} ex-inn-feistel
# :class: dropdown
#
# Half A passes through unchanged, so the decryptor sees the same $x_A$ and recomputes
# the same shift $F_\ell(x_A, k)$, then subtracts it modulo 256: a Feistel round needs
# its round function to be computable, not invertible. Rounding the output loses the
# fractional part of $x_B + f_\ell$, so subtracting the real-valued $f_\ell$ afterwards
# gives back $x_B$ only up to that lost part; rounding the shift first makes the shift
# an integer, and integer addition modulo 256 is undone exactly by subtraction.
# ```
#
# ```{exercise} Exactness: the largest partial sum
# :label: ex-inn-exact-bound
#
# Section 5.2 keeps every partial sum of the shift network below $2^{24}$. For a network
# of width 8 on grey-level images (two input channels: half A and the checkerboard; a
# 128-bit key), with integer weights in $[-7, 7]$, half A in $[-128, 127]$ and activations
# in $[-127, 127]$, work out the largest magnitude any partial sum can reach. Predict
# first, then compare with `ShiftNet.largest_sum` in `medcrypt.ciphers.invertible`.
# Check: `exercises.check("05_invertible", 2, answer)`. How wide could the network be
# before the bound fails?
# ```
#
# ```{solution} ex-inn-exact-bound
# :class: dropdown
#
# The first convolution sums $2 \cdot 9$ products of at most $7 \cdot 128$, plus the key
# embedding's 128 terms of at most 7; the middle and last convolutions sum
# $8 \cdot 9$ products of at most $7 \cdot 127$, which is the larger. The library's
# `ShiftNet.largest_sum(1, 8, 128)` computes the same. The middle bound grows linearly in
# the width, so the width can grow by a factor of a few hundred before it reaches $2^{24}$;
# the constructor refuses any width that would.
# ```
#
# ```{exercise} Key NPCR and key UACI
# :label: ex-inn-key-uaci
#
# Section 5.3 reports the key NPCR and key UACI of one flipped key bit. How can a
# one-bit change of the key change nearly every cipher pixel and still fail the UACI
# test, as chapter 8 finds for `inn-coupling` on some images? Then rerun the table with `epochs = 0` (the random initialisation is already
# in it as a row) and predict first: does training move the key UACI towards the ideal?
# ```
#
# ```{solution} ex-inn-key-uaci
# :class: dropdown
#
# NPCR counts pixels that differ at all; UACI measures by how much. If a wrong key changes
# the shifts by small amounts, almost every pixel moves, but only a little, so the two
# cipher images stay closer than two unrelated ones and the UACI falls below the lower
# bound of chapter 1's band. The table's random-initialisation row answers the second
# question in this run; the statistics loss of section 5.3 has a term for one-pixel
# changes of the plaintext, not for changes of the key, so nothing in training aims at it.
# ```
#
# ```{exercise} Break it: inn-coupling is deterministic
# :label: ex-inn-ind-cpa
#
# A small `inn-coupling` network under a secret key from a fixed seed is behind an
# encryption oracle. It is untrained: the attack rests on the cipher being deterministic,
# which no training changes. Get the material with
# `task = exercises.challenge("05_invertible", 4).give()` (an `oracle` and a pool of
# `images`), write an IND-CPA adversary (an object with a `name`, `choose(oracle, images, rng)`
# and `guess(oracle, challenges, rng)`, as in `medcrypt.attacks.ind_cpa`) and win the game
# with an advantage of at least 0.9: `exercises.check("05_invertible", 4, adversary)`.
# ```
#
# ```{solution} ex-inn-ind-cpa
# :class: dropdown
#
# Ask the oracle for $E_k(m_0)$ and compare it, byte for byte, with the challenge: it is
# equal exactly when $b = 0$. This is `ind_cpa.RepeatQuery`, the library's reference
# solution; it wins every challenge against any deterministic cipher, trained or not.
# A cipher with a fresh nonce per image, such as AES-CTR, defeats it.
# ```
