# Two commands do all the set-up on a fresh machine (they create .venv when it is missing):
#   make book    install, execute every chapter with papermill (PROFILE=full by default), build the HTML
#   make test    install, run the unit tests, the notebook checks, a `ci`-profile build of the book, then
#                the proofreading of its HTML, the link check, the browser check (headless Chromium) and
#                the Colab-path check
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

.PHONY: install book test execute build check sync bench clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

book: $(STAMP)
	$(PY) -m medcrypt.book all --profile $(PROFILE)
	-$(PY) -m medcrypt.book.proofread html

test: $(STAMP)
	$(PY) -m pytest
	$(PY) -m medcrypt.book check
	$(PY) -m medcrypt.book all --profile ci
	$(PY) -m medcrypt.book.proofread html
	$(PY) -m medcrypt.book.site links
	$(PY) -m pytest -m browser
	$(PY) -m medcrypt.book.site colab --chapter 01_metrics 00_survey

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

clean:
	rm -rf _build
