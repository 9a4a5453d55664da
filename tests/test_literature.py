"""The literature tables: papers.csv and literature.csv (one row per paper and reported value)."""

import pandas as pd
import pytest

from medcrypt import literature


def test_the_real_tables_are_sound():
    assert literature.validate() == []
    values = literature.load()
    assert set(literature.VALUE_COLUMNS) <= set(values.columns)
    assert values["value"].notna().sum() >= 10  # the verified values are there, not only placeholders


def _tables():
    papers = pd.DataFrame([{"id": "P1", "family": "gan", "short_name": "One", "citation_key": "k1", "year": "2020",
                            "medical": "yes", "datasets": "", "image_size": "", "key": "", "decryption": "",
                            "other_reported": "", "where": "abstract", "status": "verified"}])
    values = pd.DataFrame([{"id": "P1-e", "paper": "P1", "family": "gan", "citation_key": "k1", "variant": "",
                            "dataset": "", "image_size": "", "metric": "entropy_bits", "value": 7.9, "note": "",
                            "where": "abstract", "status": "verified"}])
    bib = {"k1": "@article{k1,\n  doi = {10.1/x}\n}"}
    return papers, values, bib


@pytest.mark.parametrize("change, message", [
    (lambda p, v, b: (p, v.assign(value=9.5), b), "outside [0, 8]"),
    (lambda p, v, b: (p, v.assign(citation_key="nope"), b), "not in references.bib"),
    (lambda p, v, b: (p, pd.concat([v, v.assign(id="P1-f")]), b), "duplicate rows"),
    (lambda p, v, b: (p, v.assign(value=float("nan")), b), "verified row needs a value"),
    (lambda p, v, b: (p, v.assign(status="guessed"), b), "status must be one of"),
    (lambda p, v, b: (p, v.assign(metric="beauty"), b), "unknown metric"),
    (lambda p, v, b: (p, v.drop(columns="where"), b), "missing columns"),
    (lambda p, v, b: (p, v, {"k1": "@article{k1,\n  title = {x}\n}"}), "no DOI, arXiv id or URL"),
    (lambda p, v, b: (p, v.assign(paper="P9"), b), "is not in papers.csv"),
])
def test_validate_catches_each_kind_of_problem(change, message):
    papers, values, bib = change(*_tables())
    assert any(message in problem for problem in literature.validate(papers, values, bib))


def test_a_sound_fixture_passes():
    assert literature.validate(*_tables()) == []


def test_review_table_coverage_and_counts():
    table = literature.review_table("gan")
    assert "key entropy 7.45 bits" in table.loc["Deep-KEDI (ZZ-GAN)", "reported values"]
    grid = literature.coverage()
    assert set(grid.to_numpy().ravel()) <= {0, 1, 2} and list(grid.columns)[0] == "entropy (bits)"
    assert grid.loc["CAE + chaotic latent encryption", "PSNR (dB)"] == 2  # A2: PSNR 36 dB seen
    assert grid.loc["DCGAN + virtual planet domain", "NPCR (%)"] == 1  # G4: reported, value not seen
    n = literature.counts()
    assert n["value_seen"] + n["reported_not_seen"] + n["not_found"] == n["cells"] == 6 * n["papers"]
    with pytest.raises(ValueError, match="family"):
        literature.load("quantum")


def test_links_prefer_doi_then_arxiv_then_url():
    assert literature.link("@a{k,\n  doi = {10.1/x},\n  url = {https://u}\n}") == "https://doi.org/10.1/x"
    assert literature.link("@a{k,\n  eprint = {1610.06918}\n}") == "https://arxiv.org/abs/1610.06918"
    assert literature.link("@a{k,\n  url = {https://u}\n}") == "https://u"
    assert literature.link("@a{k,\n  title = {t}\n}") is None


def test_comparable_groups_need_two_papers_with_the_same_metric_dataset_and_size():
    papers, values, _ = _tables()
    values = values.assign(dataset="chest X-ray")
    two = pd.concat([values.assign(image_size="28x28"), values.assign(id="P2-e", paper="P2", image_size="28x28")])
    assert len(literature.comparable_groups(two)) == 1
    assert literature.comparable_groups(values.assign(image_size="28x28")).empty  # one paper only
    assert literature.comparable_groups(two.assign(image_size="")).empty  # size not stated
