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

# %%
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
for key in ("queries", "results", "earlier_records", "screened", "excluded", "included"):
    glue(f"flow_{key}", counts[key])
this_session = searches[searches["results"].notna()]
glue("search_dates", prose.names(sorted(set(this_session["date"]))))
glue("earlier_date", prose.names(sorted(set(searches.loc[searches["results"].isna(), "date"]))))
glue("corpora", prose.names(sorted(set(this_session["corpus"]))))
glue("period", f"{literature.YEARS[0]}–{literature.YEARS[1]}")
glue("data_problems", len(problems))

# %% [markdown]
# ## Sources and queries
#
# The searches ran on {glue:text}`search_dates` over stored copies of public material,
# nearly all of them over web pages: publisher pages, PubMed Central, arXiv and its HTML
# renderings, open-access journals (MDPI, Frontiers, Hindawi, Scientific Reports) and
# bibliographic indexes; a few looked into documentation, issue threads and public code,
# where reference lists and authors' notes sometimes show a record in full (the corpora:
# {glue:text}`corpora`). The book is written without access to the live web or to the
# papers' PDFs, so what we could read of a paper is what such a copy holds, and a copy
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
# {glue:text}`flow_included` included papers, by topic.

# %% mystnb={"figure": {"caption": "How the literature base was made: results returned by the searches, distinct records screened, records excluded by reason and papers included by topic (computed from data/searches.csv, data/screening.csv and data/papers.csv).", "name": "fig-survey-flow"}, "image": {"alt": "Flow diagram from search results to screened records to included papers, with exclusions by reason."}}
fig = plots.survey_flow(counts, {t: literature.topic_title(t) for t in literature.TOPICS},
                        literature.EXCLUSION_REASONS)

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
# (the-taxonomy)=
# ## A taxonomy of the field
#
# The method families differ in three things that decide how they can be judged: where
# the secret lives, whether decryption is exact, and what the papers evaluate.
# {numref}`fig-survey-taxonomy` places every paper that proposes a cipher by the first
# two ({numref}`fig-survey-taxonomy-rest` lists the others), and
# {numref}`fig-survey-evaluates` counts the third for each method topic.

# %% mystnb={"figure": {"caption": "Every paper that proposes a cipher, placed by topic (rows) and by where the secret of its cipher lives (columns). Each cell counts its papers and how they decrypt (lossless, lossy, or not stated in what we read), then names them; an asterisk marks a paper without medical images.", "name": "fig-survey-taxonomy"}, "image": {"alt": "Grid of method topics against where the secret lives, each cell listing its papers."}}
titles = {t: literature.topic_title(t) for t in literature.TOPICS}
cells, is_medical = literature.taxonomy(papers), dict(zip(papers["short_name"], papers["medical"] == "yes"))
fig = plots.taxonomy(cells[cells["secret"] != "n/a"], titles, literature.SECRETS, is_medical)

# %% mystnb={"figure": {"caption": "The rest of the taxonomy: the papers that propose no cipher (attacks, including those on learnable encryption, surveys and context), by topic; an asterisk marks a paper without medical images.", "name": "fig-survey-taxonomy-rest"}, "image": {"alt": "List of the attack, survey and context papers by topic."}}
fig = plots.taxonomy(cells[cells["secret"] == "n/a"], titles, literature.SECRETS, is_medical,
                     title="Papers that propose no cipher")

# %% mystnb={"figure": {"caption": "What the papers that propose a cipher evaluate, by topic: the number of papers that evaluate each property (shade: the share of the topic's papers), from what we read of them.", "name": "fig-survey-evaluates"}, "image": {"alt": "Heat map of method topics against evaluated properties with counts."}}
fig = plots.evaluation_heatmap(literature.evaluation_grid(papers), titles, literature.EVALUATES)

# %% tags=["remove-input"]
method = papers[literature.proposes_cipher(papers)]
glue("secret_sentence", prose.secret_sentence(method["secret"].value_counts().to_dict()))
glue("lossless_sentence", prose.lossless_sentence(method["lossless"].value_counts().to_dict()))
evaluated = literature.evaluation_grid(papers)
glue("attack_sentence", prose.attack_sentence(int(evaluated["attack"].sum()), len(method)))

# %% [markdown]
# {glue:text}`secret_sentence` {glue:text}`lossless_sentence`
# {glue:text}`attack_sentence`

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
# The fifth family encrypts images so that a network can still learn from them. Tanaka's learnable image encryption scrambles and transforms
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
# differential privacy and encrypted inference tested on paediatric chest X-rays
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
