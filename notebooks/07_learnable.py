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
# # 7. Learnable image encryption: block-wise transforms a network can still learn from
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/medcrypt-book/dl-medical-image-encryption/blob/main/notebooks/07_learnable.ipynb)
#
# The four families before this chapter encrypt an image so that nobody can use it
# without the key. Collaborative learning asks for something else: a hospital sends
# images to a model it does not control, and the model should still learn the diagnosis
# while a person looking at the images sees nothing. *Learnable image encryption*
# scrambles blocks of pixels under a key so that a network, adapted to the scrambling,
# still learns from the result. This chapter builds the two classic schemes, Tanaka's
# block-wise learnable encryption and the encryption-then-compression (EtC) block
# scrambling of Kiya and colleagues, trains a diagnosis model on encrypted chest X-rays,
# measures both schemes with the common suite, and attacks them: with puzzle solvers
# that see only cipher images, and with chapter 8's known-plaintext attacks.

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
results_dir = "results"  # where this chapter writes 07_learnable.json
weights_dir = "weights"  # unused: nothing here is trained for a later chapter
datasets = ["pneumoniamnist", "breastmnist"]
size = 28
n_train = None  # diagnosis models' training images (None: every one in the data root; offline copies hold a subset)
n_test = None  # None: every test image in the data root
block_size = 4  # the block size of both schemes, a divisor of 28
large_block = 7  # a larger EtC block size for the jigsaw attack
epochs = 10  # training epochs of each diagnosis model
n_pairs = [100, 1000]  # known pairs for the learned inversion
attack_steps = 300
jigsaw_counts = [2, 5, 10, 20, 50]  # cipher images the attacker solves the arrangement from
jigsaw_alone = 50  # images solved one by one
jigsaw_images = 200  # test images the jigsaw attack is scored on
le_counts = [1, 2, 5]  # cipher images the attacker solves LE's shuffle from
kpa_pairs = 6  # known pairs for the from-scratch column matching on EtC (section 7.6)
seed = 2026
alpha = 0.05
nist_bits = None
data_root = None

# %% tags=["hide-input"]
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from medcrypt import data, learnable, metrics, nist, plots, results
from medcrypt.attacks import algebraic, jigsaw
from medcrypt.ciphers.learnable import to_blocks
from medcrypt.book import literature, prose
from medcrypt.ciphers import get
from medcrypt.book.notebook import glue

chapter_start = time.perf_counter()
plt.rcParams["figure.dpi"] = 110
with data.accepting_subsets():  # the offline CI copy is a subset with another checksum; expected
    train_split = data.load(datasets[0], "train", size=size, root=data_root).subset(n_train, seed)
    test_splits = {flag: data.load(flag, "test", size=size, root=data_root, limit=n_test) for flag in datasets}
test_split = test_splits[datasets[0]]
tests = {flag: split.images for flag, split in test_splits.items()}
train_labels, test_labels = train_split.labels.reshape(-1), test_split.labels.reshape(-1)
print("training:", train_split.images.shape, "test:", {flag: images.shape for flag, images in tests.items()})
sets = {"pneumoniamnist": "PneumoniaMNIST", "breastmnist": "BreastMNIST"}

# %% [markdown]
# ## 7.1 The family in the literature
#
# Tanaka's *learnable image encryption* (LE) cuts an image into blocks, splits every
# 8-bit pixel value into its upper and lower four bits, and in every block shuffles these
# 4-bit values and reverses some of them under a key; a network whose first layer works
# block by block, the *adaptation network*, is trained on the encrypted images and still
# classifies them {cite}`tanaka2018learnable`. We could not read the paper's text here;
# these details, with 4×4 blocks and one key for every block, are those of the author's
# published code, which this chapter's `le-blockwise` follows. A later network puts an
# adaptation network in front of a standard classifier to recognise block-scrambled
# images {cite}`madono2020blockwise`. The EtC schemes of Kiya and colleagues come from image
# compression: they scramble the positions of blocks, rotate and flip each block, apply a
# negative–positive transformation and shuffle the colour components, so that the
# encrypted image can still be JPEG-compressed; a grayscale-based variant allows smaller
# and more blocks {cite}`chuman2019encryption,sirichotedumrong2018grayscale`. The same
# keyed block transformations were then matched to vision transformers, whose patch
# embedding works block by block, so that a model can be trained on encrypted images or
# transformed with the key itself {cite}`maungmaung2022privacy,kiya2023image,kiya2023blockwise,hamano2023effects`.
# An overview collects these schemes {cite}`kiya2022overview`. Two medical papers train
# diagnosis models on such images: an enhanced LE on medical datasets
# {cite}`huang2022privacy` and block-based perceptual encryption for tuberculosis
# screening on chest X-rays {cite}`ahmad2022perceptual`.
#
# The family's attack literature is as old as the schemes. A block keeps its content, so
# a jigsaw-puzzle solver, extended to rotated, flipped and negated pieces, reassembles
# EtC images; its authors note that the key space is not what limits the attack
# {cite}`chuman2018security`, and later work applies such solvers to block scrambling with
# pixel shuffling and to the encryptions matched to vision transformers
# {cite}`chuman2022jigsaw,chuman2022security,chuman2023security`. Ciphertext-only attacks
# that learn an inverse, GAN-based ones among them, show that most of these visual
# protections do not hide the image {cite}`sirichotedumrong2020visual,kashyap2024attack`.
# The table lists every paper of the family in `data/papers.csv`; the survey page
# discusses more of them.

# %%
literature.review_table("learnable")

# %% [markdown]
# ## 7.2 Two schemes and what their keys choose
#
# Both schemes transform every image the same way under one key; that is what lets a
# network learn from their images, and what the attacks of this chapter use.
#
# ```{prf:definition} Block-wise learnable encryption (LE)
# :label: def-le-blockwise
#
# Fix a block size $M$ that divides the image's height and width. Cut a grey image into
# $M \times M$ blocks and each pixel $p$ into its upper and lower 4-bit values
# $\lfloor p/16 \rfloor$ and $p \bmod 16$, so that a block holds $K = 2M^2$ values
# $v_1, \dots, v_K$. The key chooses one permutation $\sigma$ of $\{1, \dots, K\}$ and one
# reversal mask $r \in \{0, 1\}^K$. Every block of every image is encrypted alike:
#
# $$ v'_i = v_{\sigma(i)} \oplus 15\,r_i , \qquad i = 1, \dots, K, $$
#
# where the reversal $v \to 15 - v$ is $v \oplus 15$. The values $v'$ are packed back two
# per byte, so the cipher image has the image's shape {cite}`tanaka2018learnable`.
# ```
#
# ```{prf:definition} EtC block scrambling
# :label: def-le-etc
#
# Fix a block size $M$ and cut the image into $N_B$ blocks of $M \times M$ pixels. The key
# chooses a permutation $\pi$ of the block positions and, for every cipher block $j$, one
# of the eight rotations and flips of a square, $o_j$, and a bit $n_j$. Cipher block $j$
# is plain block $\pi(j)$ turned by $o_j$ and, when $n_j = 1$, negative–positive
# transformed ($p \to 255 - p$, which is $p \oplus 255$). A colour image also has its three
# components shuffled per block by the key; an X-ray has none to shuffle. Every image
# is encrypted alike {cite}`chuman2019encryption`.
# ```
#
# `le-blockwise` is {prf:ref}`def-le-blockwise` on {glue:text}`block_label` blocks, so a
# block holds {glue:text}`le_values` 4-bit values; `etc-blockwise` is
# {prf:ref}`def-le-etc` on {glue:text}`block_label` blocks. Both take a 256-bit key, from
# which $\sigma$ and $r$, or $\pi$, $o$ and $n$, are expanded with SHAKE-256. The table
# counts the distinct transformations each scheme can apply to a 28×28 image.

# %%
le, etc = get("le-blockwise", block_size=block_size), get("etc-blockwise", block_size=block_size)
etc_large = get("etc-blockwise", block_size=large_block)
keys = {name: cipher.keygen(seed=seed + i) for i, (name, cipher) in
        enumerate({"LE": le, "EtC": etc, f"EtC {large_block}": etc_large}.items())}
schemes = {"LE": (le, keys["LE"]), "EtC": (etc, keys["EtC"])}
space = learnable.key_space_table({"LE": le, "EtC": etc, f"EtC {large_block}×{large_block}": etc_large},
                                  train_split.images.shape[1:])
learnable.shown(space, 1)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Six test X-rays, their LE and EtC encryptions on the chapter's blocks, and their EtC encryption on larger blocks.", "name": "fig-learnable-images"}, "image": {"alt": "Rows of plain chest X-rays and their learnable encryptions"}}
xrays = tests[datasets[0]]
glue("block_label", f"{block_size}×{block_size}")
glue("large_label", f"{large_block}×{large_block}")
glue("le_values", 2 * block_size ** 2)
glue("le_space", space.loc["LE", "log2 transformations"])
glue("etc_space", space.loc["EtC", "log2 transformations"])
glue("etc_large_space", space.iloc[2]["log2 transformations"])
glue("etc_blocks", int(space.loc["EtC", "blocks"]))
fig = plots.image_grid({"plain": xrays, "LE": le.encrypt(xrays[:6], keys["LE"]),
                        "EtC": etc.encrypt(xrays[:6], keys["EtC"]),
                        f"EtC {large_block}×{large_block}": etc_large.encrypt(xrays[:6], keys[f"EtC {large_block}"])})

# %% [markdown]
# In bits, LE can apply about {glue:text}`le_space:.0f` bits' worth of transformations,
# fewer than its key chooses. EtC on {glue:text}`etc_blocks` blocks has about
# {glue:text}`etc_space:.0f` bits of them, more than a 256-bit key can reach, and
# {glue:text}`etc_large_space:.0f` bits on {glue:text}`large_label` blocks. A count of
# transformations is a claim; chapter 8's key audit checks it by flipping every key bit
# and asking whether the wrong key still decrypts closer to the image than noise does.

# %%
audit = learnable.audit_table(schemes, xrays[:8], alpha=alpha)
learnable.shown(audit[["claimed_bits", "effective_bits", "bits_decrypting_closer_than_noise", "strength_bits"]])

# %% tags=["hide-input"]
glue("audit_sentence", prose.audit_sentence(audit))
glue("audit_seed", seed)
glue("audit_images", len(xrays[:8]))

# %% [markdown]
# {glue:text}`audit_sentence` The count depends on the key and on the images: this
# audit uses this chapter's LE key (seed {glue:text}`audit_seed`) and
# {glue:text}`audit_images` test X-rays, chapter 8 audits `le-blockwise` under its own
# key and images, so the two chapters' counts of LE's bits that matter differ.
#
# The last column is the search cost as chapters 2 and 8 define it: $\log_2$ of the
# number of keys the best search we know must try, here the search that the flips guide
# (it tries the bits that matter). Zero bits means that no flipped key bit moved the
# decryption as far from the X-ray as noise: a wrong key still returns the image's own
# pieces, and there is nothing to search. Where it is larger, it is still only an upper
# bound on the work: the attacks below never search the key at all.

# %% [markdown]
# ## 7.3 Learning on encrypted X-rays
#
# The diagnosis model is the same network for plain and encrypted images: a block-wise
# first layer (kernel and stride equal to the block size) on the images' 4-bit planes,
# as Tanaka's adaptation network, followed by a dense layer with its own weights for
# every block position. The first layer can undo LE's shuffle, which is the same in every
# block ({prf:ref}`def-le-blockwise`); the dense layer can undo EtC's arrangement, which is
# the same in every image ({prf:ref}`def-le-etc`).
# Beside it, the book's CNN of chapter 4 is trained on the same images. Each model is
# trained on PneumoniaMNIST's training images, plain or encrypted under one key, and
# tested on its test images; the plain model is also tested on encrypted images, and
# each encrypted model on images encrypted under another key.

# %% tags=["remove-stderr"]
wrong_keys = {name: cipher.keygen(seed=seed + 100) for name, (cipher, _) in schemes.items()}
utility = learnable.utility_table(schemes, train_split.images, train_labels, test_split.images, test_labels,
                                  wrong_keys=wrong_keys, block_size=block_size, epochs=epochs, seed=seed)
learnable.shown(utility)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "ROC AUC of each classifier by what it was trained and tested on, with two bootstrap standard errors; the dashed line is chance.", "name": "fig-learnable-utility"}, "image": {"alt": "Bar chart of AUC for plain and encrypted training and testing"}}
glue("n_train_images", len(train_split.images))
glue("n_test_images", len(test_split.images))
glue("epochs", epochs)
glue("utility_sentence", prose.utility_sentence(utility, list(schemes)))
glue("key_needed_sentence", prose.key_needed_sentence(utility, list(schemes)))
glue("promise_sentence", prose.promise_sentence(utility, list(schemes)))
fig = plots.auc_bars(utility)

# %% [markdown]
# With {glue:text}`n_train_images` training and {glue:text}`n_test_images` test X-rays
# and {glue:text}`epochs` epochs per model. {glue:text}`utility_sentence`
# {glue:text}`key_needed_sentence`
#
# {glue:text}`promise_sentence` A network can learn from the encrypted images only
# because the transformation keeps their structure, and an attacker can use that
# structure too. This is not a weakness of these two schemes alone. Carlini and
# colleagues formalised such *instance encodings*, which change each training image
# before an ordinary learner sees it, proved that the stronger of their two notions of
# privacy cannot be reached by them, and broke InstaHide, an encoding that mixes each
# training image with others and flips pixel signs so that a model can still learn from
# it, in the weaker one {cite}`carlini2021instahide`.

# %% [markdown]
# ## 7.4 The common suite
#
# The suite of chapter 1 measures both schemes on {glue:text}`block_label` blocks beside AES-CTR and the
# chaotic baseline, on both test sets.

# %%
baselines = {name: get(name) for name in ("aes-ctr", "chaos-logistic")}
contenders = {"le-blockwise": schemes["LE"], "etc-blockwise": schemes["EtC"],
              **{name: (cipher, cipher.keygen(seed=seed)) for name, cipher in baselines.items()}}
rows = results.evaluate_all(contenders, tests, seed=seed, alpha=alpha, nist_bits=nist_bits)
frame = pd.DataFrame(rows)

# %% tags=["hide-input"]
table = results.summary_table(frame.assign(cipher=frame["cipher"] + " · " + frame["dataset"]))
table["NIST passed"] = [prose.nist_count(p, n) for p, n in zip(frame["nist_passed"], frame["nist_run"])]
first = {r["cipher"]: r for r in rows if r["dataset"] == datasets[0]}
for name, short in [("le-blockwise", "le"), ("etc-blockwise", "etc"), ("aes-ctr", "aes")]:
    for k_ in ["entropy_per_image", "npcr", "uaci", "key_npcr", "corr_h_pooled"]:
        glue(f"{short}_{k_}", first[name][k_])
    glue(f"{short}_nist", prose.nist_count(first[name]["nist_passed"], first[name]["nist_run"]))
npcr_critical = metrics.npcr_critical(metrics.pixels_per_image(xrays), alpha)
glue("npcr_verdicts", prose.npcr_against_critical({"LE": first["le-blockwise"]["npcr"],
                                                   "EtC": first["etc-blockwise"]["npcr"],
                                                   "AES-CTR": first["aes-ctr"]["npcr"]}, npcr_critical))
glue("nist_why", prose.nist_denominator({r["cipher"] + " · " + r["dataset"]: r["nist_run"] for r in rows},
                                        metrics.NIST_SEQUENCE_BITS, nist.MIN_BITS))
results.styled(table)

# %% [markdown]
# On PneumoniaMNIST the entropy per image is {glue:text}`le_entropy_per_image:.3f` bits
# for LE and {glue:text}`etc_entropy_per_image:.3f` for EtC, against
# {glue:text}`aes_entropy_per_image:.3f` for AES-CTR. EtC only moves, turns and negates
# blocks, so the horizontal correlation of its cipher images is
# {glue:text}`etc_corr_h_pooled:.3f` (LE: {glue:text}`le_corr_h_pooled:.3f`; AES-CTR:
# {glue:text}`aes_corr_h_pooled:.3f`). A one-pixel change of the plaintext changes a
# fraction of the cipher pixels (NPCR) of {glue:text}`le_npcr:.2%` for LE and
# {glue:text}`etc_npcr:.2%` for EtC: {glue:text}`npcr_verdicts` Both schemes are
# deterministic and have no diffusion at all, by design: a network could not learn from
# images in which one pixel changes every other. NIST SP 800-22: LE
# {glue:text}`le_nist`, EtC {glue:text}`etc_nist`, AES-CTR {glue:text}`aes_nist`.
# {glue:text}`nist_why`

# %% [markdown]
# ## 7.5 Puzzles: cipher images only
#
# EtC ({prf:ref}`def-le-etc`) leaves the pixels inside a block together. The solver of
# `medcrypt.attacks.jigsaw` treats every block as a puzzle piece in all its eight
# orientations, negated or not, and reassembles the image by edge continuity: a piece
# fits to the right of another when the other's right edge, extrapolated by its
# gradient, predicts its left edge. Solved image by image, this is the attack of the
# jigsaw literature. But a learnable scheme scrambles *every* image the same way, which
# is what lets a network learn from them, so the attacker can add up the edge costs of
# each pair of cipher positions over many cipher images and solve one puzzle for all of
# them. The table scores both, for {glue:text}`block_label` and {glue:text}`large_label` blocks, by the share of blocks put back
# exactly (direct comparison), the share of the original's neighbouring block pairs
# that are neighbours again (neighbour comparison) and the share of images restored
# bit for bit, up to a rotation, flip or negation of the whole image.

# %% [markdown]
# From scratch, the compatibility of two pieces, for one piece to the right of another
# (the solver computes it for every pair of pieces and every variant at once, and the
# same with "below" for rows):

# %% tags=["from-scratch"]
def compatibility(left, right):
    """Cost of putting block `right` to the right of block `left` (M×M arrays): each block's edge,
    extrapolated one pixel by its gradient, should predict the other block's edge."""
    a, b = np.asarray(left, dtype=np.float64), np.asarray(right, dtype=np.float64)
    next_column = 2 * a[:, -1] - a[:, -2]  # where a's right edge is heading
    previous_column = 2 * b[:, 0] - b[:, 1]  # where b's left edge comes from
    return float(np.sum((next_column - b[:, 0]) ** 2) + np.sum((a[:, -1] - previous_column) ** 2))


# %%
pieces = to_blocks(etc.encrypt(xrays[:1], keys["EtC"])[..., None], block_size).reshape(-1, block_size, block_size, 1)
right_costs, _ = jigsaw.edge_costs(pieces)  # the library: every pair at once
ours = np.array([[compatibility(a[..., 0], b[..., 0]) for b in pieces[:16]] for a in pieces[:16]])
print(f"16×16 pairs of one cipher image's {len(pieces)} pieces; "
      f"from scratch equals jigsaw.edge_costs: {'yes' if np.array_equal(ours, right_costs[:16, :16]) else 'NO'}")

# %% tags=["remove-stderr"]
jigsaw_test = tests[datasets[0]][:jigsaw_images]
jigsaw_rows, jigsaw_images_out = [], {}
for cipher, key in [(etc, keys["EtC"]), (etc_large, keys[f"EtC {large_block}"])]:
    part, shown = learnable.jigsaw_table(cipher, key, jigsaw_test, counts=jigsaw_counts, alone=jigsaw_alone)
    jigsaw_rows.append(part)
    jigsaw_images_out[cipher.block_size] = (cipher.encrypt(jigsaw_test[:6], key), shown)
jigsaw = pd.concat(jigsaw_rows, ignore_index=True)
learnable.shown(jigsaw)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "The jigsaw attack on EtC images: for each block size, the cipher images, the reconstruction of each image on its own, and the reconstruction from the arrangement solved from several cipher images together.", "name": "fig-learnable-jigsaw"}, "image": {"alt": "EtC cipher images and their jigsaw reconstructions at two block sizes"}}
glue("jigsaw_sentence", prose.jigsaw_sentence(jigsaw))
glue("jigsaw_images", len(jigsaw_test))
largest = f"{max(jigsaw_counts)} cipher images"
grid = {"plain": jigsaw_test}
for size_, (cipher_images, shown) in jigsaw_images_out.items():
    grid[f"EtC {size_}×{size_}"] = cipher_images
    grid[f"{size_}×{size_}, alone"] = shown["each image alone"]
    grid[f"{size_}×{size_}, {max(jigsaw_counts)} together"] = shown[largest]
fig = plots.image_grid(grid)

# %% [markdown]
# {glue:text}`jigsaw_sentence` A solve from several images together is all or nothing:
# one arrangement serves every image, so when a few cipher images leave it wrong, it is
# wrong for all of them, and the table can then show fewer blocks back than solving
# each image alone; once the images' edge costs agree, it is right for all of them.
# The attacker needs no key, no plaintext and no network:
# the cipher images that a learnable scheme produces for training are themselves the
# evidence that undoes it.
#
# LE leaves the blocks in place and shuffles the 4-bit values inside them, the same way
# in every block ({prf:ref}`def-le-blockwise`). The same reasoning works one level down. The upper halves of
# neighbouring pixels are alike and the lower halves are nearly noise, so the values that
# vary together across the blocks are the upper halves, and the signs of their
# correlations say which were reversed. The arrangement that makes neighbouring pixels'
# upper halves most alike, inside a block and across block borders, says where each one
# goes; then each lower half goes where it brings its pixel closest to the mean of its
# neighbours. All of this is solved once for the key, from all the blocks of a few cipher
# images, and then decrypts any image.

# %% tags=["remove-stderr"]
le_puzzle, le_shown = learnable.le_puzzle_table(le, keys["LE"], jigsaw_test, counts=le_counts)
learnable.shown(le_puzzle)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "The ciphertext-only attack on LE: the cipher images, and the test images decrypted with the shuffle solved from the fewest cipher images tried.", "name": "fig-learnable-le-puzzle"}, "image": {"alt": "LE cipher images and their reconstructions from cipher images alone"}}
glue("le_puzzle_sentence", prose.le_puzzle_sentence(le_puzzle))
fewest = min(le_counts)
fig = plots.image_grid({"plain": jigsaw_test, "LE": le.encrypt(jigsaw_test[:6], keys["LE"]),
                        f"from {fewest} cipher image{'s' if fewest > 1 else ''}": le_shown[le_puzzle.iloc[0]["attack"]]})

# %% [markdown]
# {glue:text}`le_puzzle_sentence` The attack uses nothing but the design's promise that
# every block is transformed the same way.

# %% [markdown]
# ## 7.6 Known plaintext: the learned inversion and the algebraic attack
#
# An attacker who holds some images and their encryptions, for example images published
# alongside a model, can run chapter 8's attacks. The learned inversion trains a
# decryptor on the pairs. The algebraic attack ({prf:ref}`alg-algebraic-kpa`) needs no
# training: EtC is a fixed permutation of pixels with some of them XORed with 255
# ($255 - p = p \oplus 255$), a form chapter 8's attack solves, and LE is the same on the
# images' 4-bit values (a reversal $15 - v$ is $v \oplus 15$), a form it solves too.

# %% [markdown]
# The heart of the algebraic attack, from scratch, for the XOR form $c = P\,p \oplus \beta$
# of EtC: over the known pairs $i$, the column of differences $c_i \oplus c_0$ at a cipher
# position must equal the column $p_i \oplus p_0$ at its source position, since the mask
# $\beta$ cancels. The cell after it checks the equivalent key against the library's.

# %% tags=["from-scratch"]
def match_columns(plain, cipher):
    """An equivalent key (source, mask) of c = P·p XOR β from known pairs: cipher position j holds plain position
    source[j], the first unused plain position whose column of differences p_i XOR p_0 equals j's."""
    x, u = plain.reshape(len(plain), -1), cipher.reshape(len(cipher), -1)
    where = {}
    for s, column in enumerate((x[1:] ^ x[0]).T):
        where.setdefault(column.tobytes(), []).append(s)
    source = np.array([where[column.tobytes()].pop(0) for column in (u[1:] ^ u[0]).T])  # KeyError: not this form
    return source, u[0] ^ x[0, source]


# %%
few = train_split.images[:kpa_pairs]
few_cipher = etc.encrypt(few, keys["EtC"])
source, mask = match_columns(few, few_cipher)
library_key = algebraic.recover_key(few, few_cipher, "permutation + XOR")
exact = metrics.bit_exact_rate(xrays, library_key.decrypt(etc.encrypt(xrays, keys["EtC"])))
print(f"{kpa_pairs} known pairs; same equivalent key as the library: "
      f"{'yes' if np.array_equal(source, library_key.source) and np.array_equal(mask, library_key.mask) else 'NO'}; "
      f"test X-rays decrypted bit for bit: {exact:.0%}")

# %% tags=["remove-stderr"]
pool = train_split.images[:max(n_pairs)]
known, known_shown = learnable.known_plaintext_table(schemes, pool, xrays[:200], n_pairs=n_pairs,
                                                     steps=attack_steps, seed=seed)
learnable.shown(known)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Test X-rays, their encryptions, and what the known-plaintext attacks recover from them.", "name": "fig-learnable-known-plaintext"}, "image": {"alt": "Plain, cipher and attacked images for LE and EtC"}}
glue("known_sentence", prose.known_plaintext_sentence(known))
fig = plots.image_grid({"plain": xrays, "LE": le.encrypt(xrays[:6], keys["LE"]),
                        **{label: images for label, images in known_shown.items() if label.startswith("LE")},
                        "EtC": etc.encrypt(xrays[:6], keys["EtC"]),
                        **{label: images for label, images in known_shown.items() if label.startswith("EtC")}})

# %% [markdown]
# {glue:text}`known_sentence` Chapter 8 runs its whole suite on both schemes, beside
# every other cipher of the book, and its IND-CPA test ({prf:ref}`def-ind-cpa`) shows what the design implies: a
# deterministic scheme gives the same cipher image for the same image, so an adversary
# who asks for the encryption of one of two images can tell which one she got.

# %% tags=["hide-input"]
written = results.save_chapter(
    results_dir, "07_learnable", rows, profile=profile, seed=seed, started=chapter_start, datasets=datasets,
    n_train=len(train_split.images), block_size=block_size, key_space=space.reset_index().to_dict(orient="records"),
    utility=utility.to_dict(orient="records"), jigsaw=jigsaw.to_dict(orient="records"),
    le_puzzle=le_puzzle.to_dict(orient="records"),
    known_plaintext=known.to_dict(orient="records"))
print("wrote", written.name)
restored_alone = [label for label, table_ in (("LE", le_puzzle), ("EtC", jigsaw)) if (table_["restored"] == 1.0).any()]
glue("verdict_sentence", prose.verdict_sentence(utility, restored_alone, known, list(schemes)))

# %% [markdown]
# ## Summary
#
# - {glue:text}`promise_sentence`
# - {glue:text}`verdict_sentence`
# - The schemes are deterministic by design and have no diffusion, so no key space can
#   make them IND-CPA secure: asked twice for the same image, they give the same cipher
#   image, and an adversary who sees it knows which of two images was encrypted.
# - They are visual protections, not ciphers: never use one, or any research cipher of
#   this book, to protect patient data. Where images must stay confidential while a model
#   learns from them, the tools are those built for it, such as federated learning or
#   cryptographic computation, whose own guarantees must be checked.

# %% [markdown]
# ## Exercises
#
# Two of the exercises are checked by the library: after `from medcrypt import exercises`,
# `exercises.check` says whether your answer is right and gives a hint for a common slip.
#
# ```{exercise} One query beats any key length
# :label: ex-learnable-ind-cpa
#
# Using {prf:ref}`def-le-etc` and the IND-CPA game ({prf:ref}`def-ind-cpa`), describe an
# adversary that wins against EtC with advantage 1. Would a larger key, or more blocks,
# change her advantage?
# ```
#
# ```{solution} ex-learnable-ind-cpa
# :class: dropdown
#
# She submits two different images $m_0$ and $m_1$, asks the oracle for the encryption of
# $m_0$, and answers $b' = 0$ exactly when the challenge equals it. EtC encrypts every
# image alike, so she is always right, whatever the key length or the number of blocks:
# the definition has no nonce, and a learnable scheme cannot have one, since the network
# must see every image transformed the same way.
# ```
#
# ```{exercise} What the key of EtC can choose
# :label: ex-learnable-key-space
#
# From {prf:ref}`def-le-etc`, count the distinct scramblings of one 28×28 grey image on
# 7×7 blocks, as $\log_2$ of their number, in bits. Then check:
# `exercises.check("07_learnable", 2, answer)`. Is that number a bound on the work of the
# jigsaw attack?
# ```
#
# ```{solution} ex-learnable-key-space
# :class: dropdown
#
# There are $N_B = 16$ blocks: $N_B!$ arrangements, 8 orientations and 2 negations per
# block, so $\log_2\big(N_B!\,8^{N_B}\,2^{N_B}\big) = \log_2 N_B! + 4 N_B$ bits, which is
# `get("etc-blockwise", block_size=7).key_space_bits((28, 28))`. It bounds a search of
# the transformations, and says nothing about the jigsaw attack, which searches nothing:
# it reads the arrangement off the edges of the pieces.
# ```
#
# ```{exercise} Smaller blocks: predict, then run
# :label: ex-learnable-blocks
#
# Predict whether the jigsaw attack of section 7.5 gets easier or harder with 2×2 blocks,
# first for an image solved alone and then for the arrangement solved from many cipher
# images together. Then run `learnable.jigsaw_table` with
# `get("etc-blockwise", block_size=2)` on the chapter's `jigsaw_test` images and compare.
# ```
#
# ```{solution} ex-learnable-blocks
# :class: dropdown
#
# Smaller blocks mean more pieces and shorter edges, so each edge says less about its
# neighbour and an image alone has more pieces that fit equally badly: the solve per image
# gets harder. Pooling the edge costs of many cipher images works against exactly that
# noise, because every image is scrambled the same way; how many images it needs is what
# the run shows. The key of EtC still does not enter.
# ```
#
# ```{exercise} Break it: an EtC image from a few known pairs
# :label: ex-learnable-known-pairs
#
# `task = exercises.challenge("07_learnable", 4).give()` hands you a few images
# `task["known_plain"]`, their EtC encryptions `task["known_cipher"]` under a hidden key,
# and one more cipher image `task["cipher"]`. Recover the image behind it without the key
# and check it with `exercises.check("07_learnable", 4, answer)`. Hint: your
# `match_columns` of section 7.6 is most of the work.
# ```
#
# ```{solution} ex-learnable-known-pairs
# :class: dropdown
#
# EtC is $c = P\,p \oplus \beta$ on pixels, so `source, mask = match_columns(task["known_plain"], task["known_cipher"])`
# gives an equivalent key; the image is `plain.ravel()[source] = task["cipher"].ravel() ^ mask`
# (cipher position $j$ holds plain position `source[j]`). The library's reference is
# `algebraic.recover_key(..., "permutation + XOR").decrypt(...)` ({prf:ref}`alg-algebraic-kpa`).
# ```
#
# ```{exercise} A fresh key per image?
# :label: ex-learnable-fresh-key
#
# The pooled jigsaw of section 7.5 and the known-plaintext attacks all use the fact that
# every image is scrambled alike. Suppose a hospital draws a fresh key for every image
# instead. What happens to the diagnosis model of section 7.3, and what do Carlini and
# colleagues' results on instance encoding suggest about repairing the scheme this way?
# ```
#
# ```{solution} ex-learnable-fresh-key
# :class: dropdown
#
# The model no longer sees one transformation it can learn: the block-wise first layer and
# the dense layer of section 7.3 each rely on the same shuffle or arrangement in every
# image, so accuracy falls towards what section 7.3 measured on images encrypted under
# another key. Each image alone is still a jigsaw puzzle (section 7.5), so the repair costs
# the utility and leaves the per-image attack. Carlini and colleagues showed that instance
# encodings which keep images learnable cannot reach the stronger notion of privacy they
# define, and attacked InstaHide in practice {cite}`carlini2021instahide`: a learnable
# encoding is not a cipher, and the tools for training on confidential images are the
# ones the summary names.
# ```
