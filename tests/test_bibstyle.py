"""The References page's style: works that would be cited alike get 2020a, 2020b, in citations and entries."""

import re

import pytest
import yaml
from bs4 import BeautifulSoup
from pybtex.database import parse_string

from medcrypt.book import bibstyle
from medcrypt.paths import REPO_ROOT

BIB = r"""
@article{roe2020second,
  author = {Doe, Jane and Roe, Rick},
  title = {Zebra second paper},
  journal = {J},
  year = {2020},
  url = {https://github.com/example/code}
}
@article{doe2020first,
  author = {Doe, Jane and Roe, Rick},
  title = {Apple first paper},
  journal = {J},
  year = {2020}
}
@article{doe2021other,
  author = {Doe, Jane and Roe, Rick},
  title = {Another year},
  journal = {J},
  year = {2021}
}
@article{doe2020solo,
  author = {Doe, Jane},
  title = {Alone},
  journal = {J},
  year = {2020}
}
@article{doe2020three,
  author = {Doe, Jane and Poe, Paul and Roe, Rick},
  title = {Three authors},
  journal = {J},
  year = {2020}
}
@article{doe2020three2,
  author = {Doe, Jane and Moe, Mary and Zoe, Zack},
  title = {Other three authors},
  journal = {J},
  year = {2020}
}
"""


def _sorted_years():
    entries = parse_string(BIB, "bibtex").entries
    return {e.key: e.fields["year"] for e in bibstyle.Style().sort(entries.values())}, entries


def test_works_cited_alike_get_suffixes_in_listing_order_and_others_keep_their_year():
    years, entries = _sorted_years()
    assert years["doe2020first"] == "2020a" and years["roe2020second"] == "2020b"  # "Apple" lists before "Zebra"
    assert years["doe2021other"] == "2021" and years["doe2020solo"] == "2020"
    # "Doe et al." names two different author lists alike: they need suffixes too
    assert {years["doe2020three"], years["doe2020three2"]} == {"2020a", "2020b"}
    assert entries["doe2020first"].fields["year"] == "2020"  # the parsed bibliography is not changed


def test_the_book_uses_the_style_with_the_reference_style_it_assumes():
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text())
    assert config["sphinx"]["config"]["bibtex_reference_style"] == bibstyle.REFERENCE_STYLE
    assert "medcrypt.book.bibstyle" in config["sphinx"]["extra_extensions"]
    assert f":style: {bibstyle.NAME}" in (REPO_ROOT / "book" / "references.md").read_text()


def test_the_books_bibliography_has_no_two_works_cited_alike():
    entries = parse_string((REPO_ROOT / "book" / "references.bib").read_text(), "bibtex").entries
    style = bibstyle.reference_style()
    cited = [(bibstyle.cited_as(e, style), e.fields.get("year")) for e in bibstyle.Style().sort(entries.values())]
    assert len(cited) == len(set(cited))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A two-page Sphinx project in the book's theme that cites two works alike."""
    from sphinx.application import Sphinx

    src = tmp_path_factory.mktemp("src")
    (src / "refs.bib").write_text(BIB)
    (src / "conf.py").write_text(
        "extensions = ['sphinxcontrib.bibtex', 'medcrypt.book.bibstyle']\n"
        "bibtex_bibfiles = ['refs.bib']\nbibtex_reference_style = 'author_year'\n"
        "html_theme = 'sphinx_book_theme'\n")
    (src / "index.rst").write_text(
        "Home\n====\n\nFirst :cite:p:`doe2020first`, second :cite:p:`roe2020second`.\n\n"
        ".. toctree::\n\n   refs\n")
    (src / "refs.rst").write_text(f"Refs\n====\n\n.. bibliography::\n   :all:\n   :style: {bibstyle.NAME}\n")
    out = tmp_path_factory.mktemp("out")
    Sphinx(str(src), str(src), str(out), str(out / ".doctrees"), "html", status=None, warningiserror=True).build()
    return {name: BeautifulSoup((out / f"{name}.html").read_text(), "html.parser") for name in ("index", "refs")}


def test_two_works_with_the_same_authors_and_year_are_cited_differently(built):
    cites = [a for a in built["index"].select("span.bibtex-citation a")]
    texts = [re.sub(r"\s+", " ", a.get_text()) for a in cites]
    assert texts == ["Doe and Roe, 2020a", "Doe and Roe, 2020b"]
    assert cites[0]["href"] != cites[1]["href"]
    entries = re.sub(r"\s+", " ", built["refs"].get_text())
    assert re.search(r"Apple first paper\. J, 2020a", entries) and re.search(r"Zebra second paper\. J, 2020b", entries)
    assert re.search(r"\[1\]", entries)  # entries stay numbered


def test_a_github_address_is_shown_in_full(built):
    link = built["refs"].find("a", href="https://github.com/example/code")
    assert link.get_text() == "https://github.com/example/code"


def test_the_tables_citations_carry_the_same_year_suffixes_as_the_references_page():
    """literature.citation (the review tables; no pybtex in Colab) must letter works as the References page does."""
    from medcrypt.book import literature

    bib = literature.bib_entries()
    entries = parse_string((REPO_ROOT / "book" / "references.bib").read_text(), "bibtex").entries
    years = {e.key: e.fields["year"] for e in bibstyle.Style().sort(entries.values())}
    assert any(y[-1].isalpha() for y in years.values())  # the book has works cited alike
    assert {k: literature.citation(k, bib).rsplit(" ", 1)[-1] for k in bib} == years


def test_a_table_citation_of_two_works_cited_alike_gets_a_and_b_in_title_order():
    from medcrypt.book import literature

    bib = {"k2": "@article{k2,\n  author = {Doe, Jane and Roe, Rick},\n  title = {Zebra},\n  year = {2020}\n}",
           "k1": "@article{k1,\n  author = {Doe, Jane and Roe, Rick},\n  title = {Apple},\n  year = {2020}\n}",
           "k3": "@article{k3,\n  author = {Doe, Jane and Roe, Rick},\n  title = {Other year},\n  year = {2021}\n}"}
    assert [literature.citation(k, bib) for k in ("k1", "k2", "k3")] == [
        "Doe and Roe 2020a", "Doe and Roe 2020b", "Doe and Roe 2021"]
