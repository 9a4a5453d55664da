# Two commands do all the set-up on a fresh machine (they create .venv when it is missing):
#   make book    install, execute every chapter with papermill (PROFILE=full by default), build the HTML
#                and the PDF of the whole book (shipped in the HTML as book.pdf)
#   make test    install, run the unit tests (beside the Colab-path check and the sweep on Ray), the notebook checks, a
#                `ci`-profile build of the book, then the proofreading of its HTML, the PDF and its check
#                (beside the browser check, headless Chromium) and the link check (book.pdf included)
#   make pdf     the PDF of the last build, and its check (installs Debian's TeX Live when missing)
PYTHON ?= python3
VENV ?= .venv
PROFILE ?= full
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

# Offline machines of this project keep real MedMNIST files in ../shared/medmnist; elsewhere
# the files are downloaded into data/medmnist. An explicit MEDMNIST_ROOT always wins.
ifeq ($(origin MEDMNIST_ROOT), undefined)
  ifneq ($(wildcard ../shared/medmnist/pneumoniamnist.npz),)
    export MEDMNIST_ROOT := $(abspath ../shared/medmnist)
  endif
endif

.PHONY: install book test execute build check sync bench clean pdf tex pdf-check colab-check unit-tests browser-check \
        colab-and-sweep-check bench-sweep

# Debian's TeX Live for the PDF (xelatex, so that the chapters' Unicode (×, ≤, →, χ², Greek) compiles;
# FreeFont is the font Sphinx sets for xelatex) and poppler, which reads the PDF back in tests/test_pdf.py.
TEX_PACKAGES := texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended texlive-xetex \
                latexmk lmodern fonts-freefont-otf poppler-utils
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

book: $(STAMP) tex
	$(PY) -m medcrypt.book all --profile $(PROFILE)
	$(PY) -m medcrypt.book pdf
	$(PY) -m pytest -m pdf
	-$(PY) -m medcrypt.book.proofread html

# Steps that do not need each other's results run side by side: the unit tests beside the Colab
# stand-in, then the sweep's tests on a local 2-worker Ray cluster, and, on a fresh machine, TeX Live's
# install (pytest computes, the other two mostly unpack packages), and after the build the PDF beside
# the browser check. The link check comes last, so that it sees book.pdf.
test: $(STAMP)
	$(MAKE) --no-print-directory -j3 --output-sync=target unit-tests colab-and-sweep-check tex
	$(PY) -m medcrypt.book check
	$(PY) -m medcrypt.book all --profile ci
	$(PY) -m medcrypt.book.proofread html
	$(MAKE) --no-print-directory -j2 --output-sync=target pdf-check browser-check
	$(PY) -m medcrypt.book.site links

unit-tests: $(STAMP)
	$(PY) -m pytest

browser-check: $(STAMP)
	$(PY) -m pytest -m browser

# The whole book's PDF from the last build, then its check (make test runs this beside browser-check).
pdf-check: $(STAMP) tex
	$(PY) -m medcrypt.book pdf
	$(PY) -m pytest -m pdf

pdf: pdf-check

colab-check: $(STAMP)
	$(PY) -m medcrypt.book.site colab --chapter 01_metrics 00_survey

# The Colab stand-in waits on pip most of its time; the Ray tests (marker `ray`, all in tests/test_sweep.py, named
# so that pytest collects one file) follow it in the same slot.
colab-and-sweep-check: colab-check
	$(PY) -m pytest -m ray tests/test_sweep.py

tex:
	@if ! command -v xelatex >/dev/null || ! command -v latexmk >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES); \
	fi

execute: $(STAMP)
	$(PY) -m medcrypt.book execute --profile $(PROFILE)

build: $(STAMP)
	$(PY) -m medcrypt.book build

check: $(STAMP)
	$(PY) -m medcrypt.book check

# Re-pair notebooks after editing a notebooks/*.py source (the .py is the source of truth).
sync: $(STAMP)
	$(VENV)/bin/jupytext --sync notebooks/*.py

bench: $(STAMP)
	$(PY) -m medcrypt.bench --images 1000
	$(PY) -m medcrypt.bench suite --images 1000

# What Ray adds per cell of medcrypt sweep, over the same evaluate runs in one process (printed, for notes).
bench-sweep: $(STAMP)
	$(PY) -c "from medcrypt import sweep; cells = sweep.grid(['aes-ctr', 'chaos-logistic', 'identity'], \
	  ['breastmnist'], [28], [1, 2]); print(sweep.measure_overhead(cells))"

clean:
	rm -rf _build
