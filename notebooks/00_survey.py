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
# # How this survey was made
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/medcrypt-book/dl-medical-image-encryption/blob/main/notebooks/00_survey.ipynb)
#
# A survey is only as good as the way its papers were found and read. This page says how
# the literature base of the book was built: where we searched and with which queries,
# which records we kept and why we dropped the others, and where each paper's facts
# were read. It then places every included paper in a taxonomy of the field, and lists
# the papers of the topics that have no method chapter of their own: recent surveys,
# learnable image encryption, and the context of protecting images while they are used.
# Every count on this page is computed from four files in `data/`, so that the page
# changes when the data do:
#
# - `searches.csv`: every query, its date, the corpus it ran on and how many results it returned;
# - `screening.csv`: every distinct record those queries returned that we looked at, and the decision on it;
# - `papers.csv`: one row per included paper, with what its cipher's secret is, how it decrypts,
#   what it evaluates and where we read it;
# - `literature.csv`: one row per value a paper reports, with where in the source we read it.
#
# What we could read of the papers bounds what this page can claim. {glue:text}`read_sentence`
# From abstracts, a survey can say what the papers claim and how they describe their ciphers,
# and little about what their results show; {ref}`what-abstracts-support` draws the line.

# %% tags=["hide-input"]
# Colab only: install the book's library. Locally, `make book` has installed it already.
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "git+https://github.com/medcrypt-book/dl-medical-image-encryption.git"], check=True)

# %% tags=["parameters", "hide-input"]
# Parameters: nothing here depends on the profile; the runner passes these as for every chapter.
profile = "full"
results_dir = "results"

# %% tags=["remove-input"]
import time

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from medcrypt import plots, results
from medcrypt.book import literature, prose
from medcrypt.book.notebook import glue

chapter_start = time.perf_counter()
plt.rcParams["figure.dpi"] = 110
papers, values = literature.load_papers(), literature.load()
searches, screening = literature.load_searches(), literature.load_screening()
counts = literature.flow_counts(searches, screening, papers)
problems = literature.validate(papers, values) + literature.search_problems(searches, screening, papers)
for key in ("queries", "results", "earlier_records", "screened", "excluded", "included", "removed_before_screening"):
    glue(f"flow_{key}", counts[key])
glue("flow_not_assessed", counts["excluded_by_reason"].get("not-assessed", 0))
this_session = searches[searches["results"].notna()]
glue("search_dates", prose.names(sorted(set(this_session["date"]))))
glue("earlier_date", prose.names(sorted(set(searches.loc[searches["results"].isna(), "date"]))))
glue("page_queries", int((this_session["corpus"] == "pages").sum()))
glue("period", f"{literature.YEARS[0]}–{literature.YEARS[1]}")
glue("data_problems", len(problems))

# %% [markdown]
# ## Sources and queries
#
# The searches ran on {glue:text}`search_dates` over a stored collection of public
# material. {glue:text}`page_queries` of them ran over web pages: publisher pages,
# PubMed Central, arXiv and its HTML renderings, open-access journals (MDPI, Frontiers,
# Hindawi, Scientific Reports) and bibliographic indexes; the few others looked into
# documentation, issue threads and public code, where reference lists and authors' notes
# sometimes show a record in full (`data/searches.csv` names the collection each query
# searched). **No bibliographic database was queried**: not Scopus, Web of Science, IEEE
# Xplore or PubMed. The searches therefore cannot be rerun as they ran, and a search of those
# databases may find papers this one missed; what `searches.csv` offers instead is every
# query in words, which a reader can rerun on any of them. The book is written without
# access to the live web or to the papers' PDFs, so what we could read of a paper is what such a copy holds, and a copy
# holds a page from its beginning: the bibliographic record, the abstract, and sometimes
# the first section. Results tables deep inside a paper were out of reach even for
# open-access journals, which is why so many values in the chapters' tables are missing
# (we tried, with queries worded like the tables themselves). The
# search is ranked by meaning, not by keywords, so a query names a method or a title in
# plain words ("GAN-based medical image encryption", "jigsaw puzzle solver attack on
# block scrambling"), and many queries aim at one known paper, to see its record and its
# results.
#
# The {glue:text}`flow_queries` queries returned {glue:text}`flow_results` results
# between them; `data/searches.csv` lists every query with its result count. Before them,
# an earlier evidence base compiled on {glue:text}`earlier_date` contributed
# {glue:text}`flow_earlier_records` records (its queries were not recorded); every
# fact taken from it was seen again in a source before it entered `papers.csv`.
#
# ## Inclusion and exclusion
#
# A record was **included** when all of the following hold:
#
# - it is a research paper (journal, conference or preprint) published in
#   {glue:text}`period`;
# - it proposes an image cipher built with a neural network (GAN, autoencoder, invertible
#   network, feed-forward, recurrent or chaotic neural network), or a learnable image
#   encryption for privacy-preserving learning, or attacks or analyses the security of
#   image ciphers, or surveys these fields, or is context the medical reader needs
#   (federated learning and encrypted inference on medical images, selective encryption);
# - its bibliographic record (title, authors, venue, year, and a DOI, an arXiv identifier or
#   a stable URL) was seen in full in a source, and is copied into `book/references.bib`
#   as the source shows it.
#
# Every other record that came back is **excluded** with one reason:

# %% tags=["remove-input"]
reasons = pd.DataFrame({"Reason": list(literature.EXCLUSION_REASONS),
                        "Meaning": list(literature.EXCLUSION_REASONS.values()),
                        "Records": [counts["excluded_by_reason"].get(r, 0) for r in literature.EXCLUSION_REASONS]})
display(reasons.style.hide(axis="index").set_caption("Why screened records were excluded"))

# %% [markdown]
# A paper whose record we could only partly see (no authors, say) is excluded as
# unverifiable rather than completed from memory. Classical image ciphers without a
# neural network enter only as targets of cryptanalysis, because the book compares one
# classical chaotic cipher, not that literature.
#
# ## From records to papers
#
# {numref}`fig-survey-flow` follows the records from the searches to the
# {glue:text}`flow_included` included papers, by topic. Between the results and the screening,
# {glue:text}`flow_removed_before_screening` results became no record of their own: a record
# that several queries returned is screened once, under the first query that found it, and a
# result that was plainly not a paper on the topic was set aside at first sight. The log
# counts the results of each query, not why each was set aside, so the diagram cannot split
# these two, as a PRISMA diagram would.

# %% mystnb={"figure": {"caption": "How the literature base was made: results returned by the searches, results removed before screening, distinct records screened, records excluded by reason and papers included by topic (computed from data/searches.csv, data/screening.csv and data/papers.csv).", "name": "fig-survey-flow"}, "image": {"alt": "Flow diagram from search results, less the results removed before screening, to screened records to included papers, with exclusions by reason."}}
fig = plots.survey_flow(counts, {t: literature.topic_title(t) for t in literature.TOPICS},
                        literature.EXCLUSION_REASONS)

# %% [markdown]
# ### The records that were not assessed
#
# {glue:text}`flow_not_assessed` records look in scope by their titles but were never
# assessed: a query about another topic returned them, and the evidence the book was written
# from holds nothing more of them than the title and the address below. Assessing a record
# means seeing its full bibliographic record (authors, venue, year, identifier) and its
# abstract, which for these was not done, so they are neither included nor excluded on their
# merits. They are listed here so that a reader can see what the base lacks; a survey that
# assessed them might add papers to any topic, and none of the counts on this page includes them.

# %% tags=["remove-input"]
display(literature.wrapped(literature.unassessed(screening),
                           caption="Records in scope by their titles that were not assessed"))

# %% tags=["remove-input"]
read = literature.read_from_counts(papers)
glue("read_sentence", prose.read_from_sentence(read.loc["all"].drop("all").to_dict()))
shown = read.rename(index={**{t: literature.topic_title(t) for t in literature.TOPICS}, "all": "All topics"},
                    columns={"all": "All"})
shown.index.name, shown.columns.name = "Topic", None

# %% [markdown]
# ## Where each paper was read
#
# {glue:text}`read_sentence` "Full text" means that we read the paper's method and results
# sections; "results table" that we saw its tables but not the whole text; "abstract" that
# we saw only the abstract and front matter; "record" that we saw only the bibliographic
# record, which is enough to list a paper but not to say what it reports.

# %% tags=["remove-input"]
display(shown.style.set_caption("Papers by topic and by where we read them"))

# %% [markdown]
# (what-abstracts-support)=
# ## What a survey of abstracts can support
#
# An abstract says what a paper proposes, what data it uses and, often, which properties it
# evaluates; it seldom prints a result and never the conditions under which a result was
# measured. What this page and the chapters draw from the papers is bounded accordingly:
#
# - **It supports** the taxonomy below (what the secret is and how decryption works, as the
#   authors describe them), which topics and datasets the field uses, and which properties
#   the papers *say* they evaluate.
# - **It does not support** a claim that a paper lacks something: a metric, an attack, 16-bit
#   input or a treatment of the DICOM header may sit in the body of a paper we read only from
#   its abstract. Where a chapter says that no paper of the survey does something, read it as
#   "none that we read says so in what we could see".
# - **It cannot rank papers** on their results: the few values we saw ({doc}`09_comparison`
#   sets them beside our measurements) come from abstracts, which report a paper's best
#   numbers without their test conditions.
#
# The classification is ours, made from the same abstracts, and a reader can disagree with it
# row by row: every decision is a cell of `data/papers.csv`.

# %% [markdown]
# (the-taxonomy)=
# ## A taxonomy of the field
#
# The method families differ in three things that decide how they can be judged: where
# the secret lives, whether decryption is exact, and what the papers evaluate. The first
# table below places every paper that proposes a cipher by the first two, the second lists
# the papers that propose none, and {numref}`fig-survey-evaluates` counts the third for each
# method topic. {glue:text}`kinds_sentence`

# %% tags=["remove-input"]
method = papers[literature.proposes_cipher(papers)]
beside = papers[papers["family"].isin(literature.METHOD_TOPICS) & ~literature.proposes_cipher(papers)]
glue("kinds_sentence", prose.kinds_sentence(beside["kind"].value_counts().to_dict(), len(method)))
display(literature.wrapped(literature.taxonomy_table(papers), caption=(
    "Every paper that proposes a cipher, by topic and by where the secret of its cipher lives: how many papers, "
    "how they decrypt (lossless, lossy, or not stated in what we read) and their names; an asterisk marks a "
    "paper without medical images")))

# %% tags=["remove-input"]
display(literature.wrapped(literature.taxonomy_table(papers, ciphers=False), caption=(
    "The papers that propose no cipher, by topic and by what they are (attacks, steganography, adversarial "
    "defences, analyses, overviews, surveys and context); an asterisk marks a paper without medical images")))

# %% mystnb={"figure": {"caption": "What the papers that propose a cipher evaluate, by topic: the number of papers that evaluate each property (shade: the share of the topic's papers), from what we read of them.", "name": "fig-survey-evaluates"}, "image": {"alt": "Heat map of method topics against evaluated properties with counts."}}
titles = {t: literature.topic_title(t) for t in literature.TOPICS}
fig = plots.evaluation_heatmap(literature.evaluation_grid(papers), titles, literature.EVALUATES)

# %% tags=["remove-input"]
glue("secret_sentence", prose.secret_sentence(method["secret"].value_counts().to_dict()))
glue("lossless_sentence", prose.lossless_sentence(method["lossless"].value_counts().to_dict()))
evaluated = literature.evaluation_grid(papers)
glue("attack_sentence", prose.attack_sentence(int(evaluated["attack"].sum()), len(method)))

# %% [markdown]
# {glue:text}`secret_sentence` {glue:text}`lossless_sentence`
# {glue:text}`attack_sentence` All three counts are of what the abstracts say, so "not
# stated" and "no attack" mean that we did not see one, not that the paper has none.

# %% [markdown]
# ## What the recent surveys cover
#
# Two recent surveys review deep-learning image encryption in general, with technical
# summaries of the methods and the standard security metrics
# {cite}`singh2025deep,rohhila2024deep`; shorter reviews cover the trends in end-to-end
# learned encryption and the main neural models {cite}`panwar2023towards,lyu2025application`.
# Four reviews are about medical images: their requirements and the attacks they must
# resist {cite}`ahmed2023medical`, the chaos-based ciphers of the last years
# {cite}`pankaj2024chaos`, deep learning across imaging modalities {cite}`lata2023deep`,
# and the path from classical to learned ciphers {cite}`prasad2025survey`. In what we
# could read of them, these surveys compare the metrics that papers report. None that we
# read re-implements the methods under one protocol or attacks them, which is what this
# book adds; and none of them states in what we read how its papers were found, which is
# what this page records.

# %%
literature.review_table("survey")

# %% [markdown]
# ## Learnable image encryption
#
# Learnable image encryption, the family of chapter 7, encrypts images so that a network can
# still learn from them. Tanaka's learnable image encryption scrambles and transforms
# blocks of pixels under a key, and a network trained on the encrypted images still
# classifies them {cite}`tanaka2018learnable`; an adaptation network in front of the
# classifier recovers accuracy on block-scrambled images {cite}`madono2020blockwise`.
# Kiya and colleagues developed the idea in several directions: pixel-based encryption
# without key management {cite}`sirichotedumrong2019pixel,sirichotedumrong2019privacy`;
# encryption-then-compression (EtC) schemes whose images survive JPEG and the processing
# of social networks {cite}`sirichotedumrong2018grayscale,chuman2019encryption,chuman2018image`,
# with relatives elsewhere {cite}`aryal2017integrated,puchala2021image,ahmad2022iibcpe,ahmad2024subblock`;
# block scrambling with data augmentation {cite}`chuman2021block`; transformation
# networks {cite}`sirichotedumrong2020gan,ito2020image,hao2025human`; and encryption
# matched to vision transformers and other isotropic networks, where the model itself
# can be transformed with the key
# {cite}`maungmaung2022privacy,iijima2022encryption,kiya2023image,kiya2023blockwise,qi2023privacy,hamano2023effects,nagamori2024efficient`.
# An overview collects these schemes {cite}`kiya2022overview`, and the same keyed
# block-wise transformations serve as a defence against adversarial examples
# {cite}`maungmaung2019adversarial,maungmaung2020blockwise,maungmaung2021ensemble,maungmaung2023hindering`.
# Medical uses train diagnosis models on encrypted images
# {cite}`huang2022privacy,ahmad2022perceptual,amin2024vit,amin2025ai`.
#
# The weakness of the family is its own attack literature. Block-wise schemes keep each
# block's content, so a jigsaw-puzzle solver can put the blocks back in order
# {cite}`chuman2018security,chuman2022security,chuman2022jigsaw,chuman2023security`;
# ciphertext-only attacks, among them GAN-based ones, show that most of these schemes
# do not hide the image {cite}`sirichotedumrong2020visual,kashyap2024attack`. Chapter 7
# builds two of these schemes, trains a diagnosis model on them and attacks them; its
# table lists the family's papers.

# %% [markdown]
# ## Protecting images in use
#
# The book's ciphers protect images at rest and in transit. The context page
# ({doc}`/book/context`) explains why images in use need other tools; these are the
# papers behind it. **Federated learning** trains one model across hospitals without
# moving the images: perspectives on it for medical imaging and digital health
# {cite}`kaissis2020secure,rieke2020future,shah2021maintaining`, a framework with secure aggregation,
# differential privacy {cite}`dwork2014algorithmic` and encrypted inference tested on paediatric chest X-rays
# {cite}`kaissis2021endtoend`, and studies across many institutions
# {cite}`sheller2020federated,lee2024international,ullah2023enhancing,jimenezgutierrez2025federated`.
# Its updates can leak images: gradient inversion can reconstruct training images
# {cite}`hatamizadeh2022gradient,wang2026gradinvdiff`, and a malicious server can defeat
# secure aggregation {cite}`shi2025medleak`, while a recent study finds such attacks far
# weaker against modern models in realistic training {cite}`valadi2025practical`.
# **Encrypted computation** runs a network on homomorphically encrypted inputs
# {cite}`giladbachrach2016cryptonets,dutil2021application`, now on chest X-rays in a
# compact latent space {cite}`kim2025privacy`, or encrypts the model updates of federated
# learning {cite}`truhn2024encrypted,korkmaz2025selective`. **Selective encryption**
# encrypts only a region of interest, found by thresholding or by a segmentation network
# {cite}`natsheh2023automatic,meng2022encryption,subathra2025enhanced,singh2025segmentation`.

# %%
literature.review_table("context")

# %% tags=["remove-input"]
saved = results.save_chapter(results_dir, "00_survey", [], profile=profile, seed=0, started=chapter_start,
                     flow=counts, read_from=read.loc["all"].to_dict(), problems=problems)

# %% [markdown]
# ## Exercises
#
# These exercises are about how the survey was made and how to read it. One has a number for
# an answer; check yours with `exercises.check` (after `from medcrypt import exercises`), which
# also gives a hint for a common slip.
#
# ```{exercise} What an abstract can carry
# :label: ex-survey-abstracts
#
# Which of these sentences can a survey built on abstracts support, and which would need the
# papers' full texts? (a) "Most GAN-based ciphers in the survey keep their secret in a key
# chosen by the user." (b) "None of the surveyed ciphers was evaluated on 16-bit CT images."
# (c) "The reported NPCR of the autoencoder ciphers is close to the ideal value." Rewrite each
# one that overclaims so that it says only what the abstracts show.
# ```
#
# ```{solution} ex-survey-abstracts
# :class: dropdown
#
# (a) is supported, as a statement about how the authors describe their ciphers, and only
# with "in what we read": an abstract often names the key. (b) is not: a claim that something
# is absent needs the whole paper, since the datasets and image depths are often named only in
# the experiments; say "none of the abstracts we read mentions 16-bit images". (c) is not: an
# abstract prints a best value, if any, without its image size or test conditions, so the
# values cannot be compared; say which papers report a value in their abstracts, and leave
# the comparison to measurements made under one protocol, as chapter 9 does.
# ```
#
# ```{exercise} Recount a cell of the survey
# :label: ex-survey-recount
#
# Predict first: from the heat map of what the cipher papers evaluate, what share (in
# percent) of the papers that propose a cipher say that they evaluate NPCR / UACI? Then
# recount it with pandas from `data/papers.csv`: keep the rows whose `kind` is `cipher`, and
# count those whose `evaluates` cell (a `;`-separated list) names `differential`. Check:
# `exercises.check("00_survey", 2, answer)`.
# ```
#
# ```{solution} ex-survey-recount
# :class: dropdown
#
# Read the table with `pd.read_csv("data/papers.csv", dtype=str, keep_default_na=False)`,
# keep `papers[papers["kind"] == "cipher"]`, and take the mean of
# `evaluates.str.split(";").apply(lambda items: "differential" in items)`, times a hundred.
# The heat map's column sums give the same count. Dividing by every included paper instead
# counts surveys, attacks and context papers, which evaluate no cipher of their own. The share
# is of what the abstracts say: a paper that prints NPCR only in its results tables is not
# counted, so the true share may well be higher. That is the limit of
# {ref}`what-abstracts-support`, in one number.
# ```
#
# ```{exercise} Cipher or not?
# :label: ex-survey-classify
#
# Classify each paper as proposing a cipher or not, and say why: (a) an invertible network
# hides a chest X-ray inside a cover photograph and reveals it with the same weights;
# (b) a keyed block-wise shuffle is applied to every image before a classifier sees it, so
# that adversarial examples crafted without the key fail; (c) a network generates a key
# image from a seed, and the cipher image is the plain image XOR the key image. Then explain
# how filing (a) and (b) as ciphers would change the sentence "Only so many of the cipher
# papers run an attack on their own cipher".
# ```
#
# ```{solution} ex-survey-classify
# :class: dropdown
#
# (a) is steganography: it hides the existence of the image, and its aim is that the cover
# looks untouched, not that the hidden image cannot be recovered without a key. (b) is an
# adversarial defence: the transformation is never inverted, and its key protects the
# classifier, not the image. (c) proposes a cipher (with the problems chapter 3 measures).
# Counting (a) and (b) as ciphers inflates the denominator with papers that never claimed to
# encrypt, and it lets a verdict such as "whoever holds the weights can decrypt" fall on
# papers that do not decrypt at all; this page files them under their topic but outside the
# cipher count, as `kind` in `data/papers.csv`.
# ```
#
# ```{exercise} Make the search reproducible
# :label: ex-survey-rerun
#
# Pick one query of `data/searches.csv` for a method family and turn it into a search that
# someone else could rerun on a bibliographic database (PubMed, Scopus or IEEE Xplore).
# Write the query string, the fields it searches and the date limits, say what you would
# record for each run, and how your flow diagram would show the records removed as
# duplicates before screening.
# ```
#
# ```{solution} ex-survey-rerun
# :class: dropdown
#
# For example, on Scopus: `TITLE-ABS-KEY(("generative adversarial" OR GAN) AND "image encryption"
# AND (medical OR X-ray OR MRI OR CT))`, limited to the survey period. Record the database,
# the exact string, the date of the run and the number of records it returned; export the
# records, merge the exports of all queries, and remove duplicates by DOI (then by title and
# year) before screening, so that the diagram can show "records identified", "duplicates
# removed" and "records screened" as separate boxes. This page cannot split the removal into
# these parts, because its log counts results per query, not records.
# ```
#
# ```{exercise} Assess a record that was not assessed
# :label: ex-survey-assess
#
# Choose one record from the table of records that were not assessed, and assess it as this
# page's rules ask. What must you see before it can be included, which exclusion reasons
# could apply to it, and under which topic would it be filed if it were included?
# ```
#
# ```{solution} ex-survey-assess
# :class: dropdown
#
# It can be included only when its full bibliographic record (authors, title, venue, year and
# a DOI, an arXiv identifier or a stable URL) is seen in a source and the year falls in the
# survey period; otherwise it is excluded as unverifiable or as published too early. Its
# abstract then decides the topic: for example, a chaotic neural network cipher files under
# feed-forward and recurrent networks, a GAN-based cipher under GANs, and a survey of
# compression and encryption under the surveys, or as off-topic if it has no neural network.
# A record whose title promises a cipher but whose abstract shows a classical cipher without a
# network is excluded as classical-only.
# ```
