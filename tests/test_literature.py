"""The literature tables: papers.csv and literature.csv (one row per paper and reported value)."""

import re

import pandas as pd
import pytest

from medcrypt.book import literature


def test_the_real_tables_are_sound():
    assert literature.validate() == []
    values = literature.load()
    assert set(literature.VALUE_COLUMNS) <= set(values.columns)
    assert values["value"].notna().sum() >= 10  # the verified values are there, not only placeholders


def _tables():
    papers = pd.DataFrame([{"id": "P1", "family": "gan", "short_name": "One", "citation_key": "k1", "year": "2020",
                            "medical": "yes", "datasets": "", "image_size": "", "key": "", "decryption": "",
                            "other_reported": "", "where": "abstract at https://doi.org/10.1/x", "status": "abstract",
                            "secret": "weights", "lossless": "lossy", "evaluates": "statistics;fidelity", "note": "",
                            "kind": "cipher"}])
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


@pytest.mark.parametrize("change, message", [
    (dict(status="verified"), "status must be one of"),
    (dict(secret="the weights"), "secret must be one of"),
    (dict(lossless="mostly"), "lossless must be one of"),
    (dict(secret="n/a"), "exactly for papers that propose no cipher"),
    (dict(family="survey"), "cannot be of kind 'cipher'"),  # a survey proposes no cipher
    (dict(kind="survey"), "cannot be of kind 'survey'"),  # ... and a survey is filed under the survey topic
    (dict(kind="steganography"), "exactly for papers that propose no cipher"),  # hiding has no cipher's secret
    (dict(kind="poem"), "kind must be one of"),
    (dict(evaluates="statistics;beauty"), "evaluates names ['beauty']"),
    (dict(year="2009"), "outside the survey period"),
    (dict(year="recent"), "outside the survey period"),
    (dict(where="abstract"), "URL where the paper was read"),
    (dict(family="quantum"), "unknown family 'quantum'"),
])
def test_validate_enforces_the_survey_columns(change, message):
    papers, values, bib = _tables()
    assert any(message in problem for problem in literature.validate(papers.assign(**change), values, bib))


def test_a_survey_row_without_a_cipher_is_sound():
    papers, values, bib = _tables()
    survey = papers.assign(id="S1", family="survey", secret="n/a", lossless="n/a", evaluates="", citation_key="k1",
                           kind="survey")
    assert literature.validate(survey, values.iloc[:0], bib) == []


def test_a_paper_filed_beside_the_ciphers_is_not_counted_as_one():
    papers, values, bib = _tables()
    hiding = papers.assign(secret="n/a", lossless="n/a", kind="steganography")
    assert literature.validate(hiding, values, bib) == []
    both = pd.concat([papers, hiding.assign(id="P2", short_name="Two")], ignore_index=True)
    assert list(literature.proposes_cipher(both)) == [True, False]
    assert literature.evaluation_grid(both).loc["gan", "papers"] == 1


def test_the_reclassified_papers_propose_no_cipher():
    """The steganography, adversarial-defence, overview and analysis papers the reader review named (C7)."""
    papers = literature.load_papers().set_index("citation_key")
    named = {"jing2021hinet": "steganography", "lu2021isn": "steganography", "guan2023deepmih": "steganography",
             "yang2024pris": "steganography", "huang2024fiih": "steganography", "huang2025smilenet": "steganography",
             "maungmaung2020blockwise": "adversarial defence", "maungmaung2021ensemble": "adversarial defence",
             "maungmaung2023hindering": "adversarial defence", "kiya2022overview": "overview",
             "maungmaung2019adversarial": "analysis", "coutinho2018learning": "analysis"}
    assert papers.loc[list(named), "kind"].to_dict() == named
    assert not literature.proposes_cipher(papers.loc[list(named)].reset_index()).any()


def _search_log():
    searches = pd.DataFrame([{"query_id": "q1", "date": "2026-12-02", "corpus": "pages", "query": "gan image encryption",
                              "results": 8},
                             {"query_id": "E", "date": "2026-11-29", "corpus": "earlier", "query": "", "results": None}])
    screening = pd.DataFrame([
        {"query_id": "q1", "title": "One", "year": "2020", "url": "u", "decision": "included", "reason": "",
         "citation_key": "k1"},
        {"query_id": "q1", "title": "Two", "year": "2001", "url": "u", "decision": "excluded", "reason": "before-2016",
         "citation_key": ""},
        {"query_id": "E", "title": "Three", "year": "2022", "url": "u", "decision": "excluded", "reason": "off-topic",
         "citation_key": ""}])
    return searches, screening, _tables()[0]


def test_flow_counts_follow_the_screening():
    counts = literature.flow_counts(*_search_log())
    assert counts["queries"] == 1 and counts["results"] == 8 and counts["earlier_records"] == 1
    assert counts["screened"] == 3 and counts["excluded"] == 2 and counts["included"] == 1
    assert counts["excluded_by_reason"] == {"off-topic": 1, "before-2016": 1}
    assert counts["included_by_topic"] == {"gan": 1}
    assert literature.search_problems(*_search_log()) == []


@pytest.mark.parametrize("change, message", [
    (lambda s, c, p: (s, c.assign(query_id="q9"), p), "not in searches.csv"),
    (lambda s, c, p: (s, c.assign(reason="boring"), p), "reason must be one of"),
    (lambda s, c, p: (s, c.assign(decision="maybe"), p), "decision must be"),
    (lambda s, c, p: (s, c.iloc[1:], p), "was never screened"),
    (lambda s, c, p: (s, pd.concat([c, c.iloc[:1].assign(title="One again")]), p), "included twice"),
    (lambda s, c, p: (s, c, p.iloc[:0]), "has no row in papers.csv"),
    (lambda s, c, p: (pd.concat([s, s.iloc[:1]]), c, p), "duplicate query ids"),
    (lambda s, c, p: (s.drop(columns="results"), c, p), "missing columns"),
])
def test_search_problems_catch_each_kind(change, message):
    assert any(message in problem for problem in literature.search_problems(*change(*_search_log())))


def test_the_real_search_log_is_sound():
    assert literature.search_problems() == []
    counts = literature.flow_counts()
    assert counts["included"] == len(literature.load_papers()) == sum(counts["included_by_topic"].values())
    assert counts["screened"] == counts["included"] + counts["excluded"]


def test_taxonomy_places_every_paper_once():
    papers = literature.load_papers()
    cells = literature.taxonomy(papers)
    assert sorted(sum(cells["ids"], [])) == sorted(papers["id"])
    grid = literature.evaluation_grid(papers)
    assert set(grid.index) <= set(literature.METHOD_TOPICS)
    assert (grid.drop(columns="papers").le(grid["papers"], axis=0)).all().all()
    read = literature.read_from_counts(papers)
    assert read.loc["all", "all"] == len(papers) and list(read.columns[:-1]) == list(literature.READ_FROM)


def test_every_bibliography_entry_is_cited_and_every_paper_too(tmp_path):
    assert literature.citation_problems() == []
    assert set(literature.load_papers()["citation_key"]) <= literature.cited_keys()
    (tmp_path / "book").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "book" / "references.bib").write_text("@article{a1,\n  doi = {10.1/x}\n}\n@article{b2,\n  doi = {10.1/y}\n}\n")
    (tmp_path / "notebooks" / "01_x.py").write_text("# as {cite:t}`a1` and {cite}`c3, a1` show\n")
    problems = literature.citation_problems(tmp_path)
    assert problems == ["references.bib: b2 is cited nowhere; cite it or remove it",
                        "c3 is cited but not in references.bib"]


def test_a_topic_without_a_cipher_gets_its_own_columns():
    papers = literature.load_papers()
    for topic in set(papers["family"]) - set(literature.METHOD_TOPICS):
        table = literature.review_table(topic)
        assert literature.REVIEW_COLUMNS["key"] not in table.columns
        assert literature.REVIEW_COLUMNS["status"] in table.columns and len(table) == (papers["family"] == topic).sum()


def test_a_sound_fixture_passes():
    assert literature.validate(*_tables()) == []


def test_review_table_coverage_and_counts():
    table = literature.review_table("gan")
    assert "key entropy 7.45 bits" in table.loc["Deep-KEDI (ZZ-GAN)", "Reported values"]
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


# ------------------------------------------------------------------ citations built from the bibliography

def _bib(**authors):
    return {key: f"@article{{{key},\n  author = {{{value}}},\n  year = {{2020}},\n  doi = {{10.1/{key}}}\n}}"
            for key, value in authors.items()}


@pytest.mark.parametrize("author, expected", [
    ("Gupta, Chirag", "Gupta 2020"),
    ("Li, Xiaowu and Peng, Huiling", "Li and Peng 2020"),
    ("Ding, Yi and Wu, Guozheng and Chen, Dajiang", "Ding et al. 2020"),
    ("Yi Ding and Guozheng Wu", "Ding and Wu 2020"),
    ("{National Institute of Standards and Technology}", "National Institute of Standards and Technology 2020"),
    ("Wen, Heping and others", "Wen 2020"),
    ("{Abu Al-haija}, Qasem and Alslman, Yasmeen", "Abu Al-haija and Alslman 2020"),
    ("Mart{\\'\\i}n, Abadi and G{\\\"o}del, Kurt", "Martín and Gödel 2020"),
])
def test_citation_reads_like_an_author_year_citation(author, expected):
    assert literature.citation("k", _bib(k=author)) == expected


def test_citation_of_an_unknown_key_fails_instead_of_showing_the_key():
    with pytest.raises(KeyError):
        literature.citation("nope", _bib(k="Gupta, Chirag"))


def test_every_bibliography_entry_has_a_readable_citation():
    bib = literature.bib_entries()
    for key in bib:
        text = literature.citation(key, bib)
        assert key not in text and "{" not in text and "\\" not in text, (key, text)
        assert re.search(r"\b\d{4}[a-z]?$", text), (key, text)  # every entry has its year (2019a: cited alike)


def test_cited_link_links_the_citation_to_its_doi():
    bib = _bib(k="Gupta, Chirag")
    assert literature.cited_link("k", bib) == '<a href="https://doi.org/10.1/k">Gupta 2020</a>'


# ------------------------------------------------------------------ the bibliography as the References page renders it

#: Words of a working note (for the authors, not for readers) in a field the bibliography renders.
WORKING_NOTE = re.compile(r"not seen|was not|we could|probably|unverified|to check|TODO|working note", re.I)
RENDERED_FIELDS = ("title", "author", "editor", "journal", "booktitle", "note", "howpublished", "number",
                   "institution", "publisher", "series", "pages", "volume")


def test_no_rendered_field_carries_a_working_note():
    for key, entry in literature.bib_entries().items():
        for name in RENDERED_FIELDS:
            value = literature.field(entry, name)
            assert not (value and WORKING_NOTE.search(value)), (key, name, value)


def test_author_lists_are_complete_and_organisations_are_braced_whole():
    for key, entry in literature.bib_entries().items():
        for name in literature.split_names(literature.field(entry, "author") or ""):
            assert name != "others", f"{key}: 'and others' renders as 'others'; give the real authors"
            if "," not in name:  # "First Last" or an organisation: an organisation must be one braced token
                assert name.startswith("{") or len(name.split()) <= 4, (key, name)
                if re.search(r"\b(Institute|Congress|Consortium|Organization|Agency)\b", name):
                    assert name.startswith("{") and name.endswith("}"), (key, name)


@pytest.mark.parametrize("key, venue, year, identifier", [
    ("goodfellow2014gan", "Neural Information Processing Systems", "2014", "1406.2661"),
    ("zhu2017cyclegan", "(ICCV)", "2017", "1703.10593"),
    ("isola2017pix2pix", "(CVPR)", "2017", "1611.07004"),
    ("mao2017lsgan", "(ICCV)", "2017", "1611.04076"),
    ("dinh2017realnvp", "(ICLR)", "2017", "1605.08803"),
    ("kingma2014vae", "(ICLR)", "2014", "1312.6114"),
])
def test_the_cited_method_papers_are_there_with_venue_year_and_arxiv_id(key, venue, year, identifier):
    entry = literature.bib_entries()[key]
    assert venue in (literature.field(entry, "booktitle") or literature.field(entry, "journal") or "")
    assert literature.field(entry, "year") == year
    assert literature.field(entry, "eprint") == identifier


def test_joux_gcm_comments_point_at_nist():
    entry = literature.bib_entries()["joux2006gcm"]
    assert literature.field(entry, "year") == "2006"
    assert literature.link(entry).startswith("https://csrc.nist.gov/") and literature.link(entry).endswith(".pdf")


def test_references_page_uses_numbered_labels():
    """The alpha style builds labels from names ("[NationalIoSaTechnology01]"); numbers cannot garble."""
    from medcrypt.book import bibstyle

    page = (literature.REPO_ROOT / "book" / "references.md").read_text()
    assert f":style: {bibstyle.NAME}" in page and ":all:" in page
    assert type(bibstyle.Style().label_style).__module__ == "pybtex.style.labels.number"


def test_field_reads_nested_braces_quotes_and_bare_values():
    entry = '@a{k,\n  title = {A {B} c},\n  note = "n",\n  month = apr\n}'
    assert literature.field(entry, "title") == "A {B} c"
    assert literature.field(entry, "note") == "n"
    assert literature.field(entry, "month") == "apr"
    assert literature.field(entry, "year") is None


# ------------------------------------------------------------------ the review tables as readers see them

@pytest.mark.parametrize("family", ["gan", "autoencoder", "invertible", "feedforward"])
def test_review_tables_read_as_words_citations_and_full_text(family):
    table = literature.review_table(family, caption="A caption")
    papers = literature.load_papers(family)
    assert list(table.columns) == list(literature.REVIEW_COLUMNS.values()) and table.index.name == "Method"
    assert all("_" not in str(c) for c in [*table.columns, table.index.name])
    bib = literature.bib_entries()
    assert list(table["Source"]) == [literature.citation(k, bib) for k in papers["citation_key"]]
    assert not set(table["Source"]) & set(bib)  # no bib key shown as a source
    shown = table._repr_html_()
    from bs4 import BeautifulSoup

    cells = {td.get_text() for td in BeautifulSoup(shown, "html.parser").select("td")}
    for text in (*papers["key"], *papers["decryption"], *papers["datasets"], *table["Reported values"]):
        assert text in cells  # every cell in full: nothing cut to "..."
    assert "white-space: normal" in shown and "A caption" in shown
    assert all(f'href="{literature.link(bib[k])}"' in shown for k in papers["citation_key"])


def test_review_table_survives_readable_and_style():
    from medcrypt import results

    table = results.readable(literature.review_table("invertible"))
    assert isinstance(table, literature.LiteratureTable) and table.attrs["citation_keys"]
    assert "<table" in table.style.to_html()


def test_a_copy_without_keys_shows_citations_unlinked():
    table = literature.review_table("invertible")
    table.attrs.pop("citation_keys")
    shown = table._repr_html_()
    assert "<a href" not in shown and literature.citation("jing2021hinet") in shown


def test_no_working_note_reaches_a_displayed_column():
    papers = literature.load_papers()
    for column in ("short_name", "datasets", "key", "decryption", "other_reported"):
        for value in papers[column]:
            assert not re.search(r"not used|probably lost|superscript", value), (column, value)
    assert not literature.load()["variant"].str.contains("probably|not used").any()


def test_two_values_of_one_paper_and_metric_have_different_labels():
    values, papers = literature.load(), literature.load_papers()
    labels = [literature.value_label(row, papers) for _, row in values.iterrows()]
    keyed = pd.Series(labels).groupby([values["metric"], pd.Series(labels)]).size()
    assert keyed.max() == 1
    f2 = values[(values["paper"] == "F2") & (values["metric"] == "corr_h")]
    assert {literature.value_label(r, papers) for _, r in f2.iterrows()} == {
        "AT-ResNet-CM (attention + ResNet + chaotic map): ResNet-CM, without attention",
        "AT-ResNet-CM (attention + ResNet + chaotic map): AT-ResNet-CM, with attention"}


@pytest.mark.parametrize("metric, value, expected", [
    ("npcr_percent", 99.6, "99.6 %"), ("uaci_percent", 0.02964, "0.0296 %"), ("psnr_db", 36.0, "36 dB"),
    ("psnr_db", float("inf"), "∞"), ("corr_h", 0.0021, "0.0021"), ("corr_h", -0.0005542, "-0.0006"),
    ("entropy_bits", 7.92, "7.92 bits"), ("ssim", float("nan"), "–"), ("corr_h", 0.00001, "1.0e-05"),
])
def test_value_text_prints_units_and_at_most_four_decimals(metric, value, expected):
    assert literature.value_text(metric, value) == expected


def test_percent_values_are_stored_as_percent():
    values = literature.load()
    percent = values[values["metric"].isin(["npcr_percent", "uaci_percent"]) & values["value"].notna()]
    assert (percent["value"] > 1).all()  # a fraction (0.996) where a paper prints 99.6 % would be a unit error


def test_the_package_carries_the_literature_base():
    """A `pip install` (Colab) has no checkout: the package's _data copies must be the checkout's files."""
    for path in (literature.PAPERS, literature.VALUES, literature.SEARCHES, literature.SCREENING, literature.BIB):
        packaged = literature.PACKAGED / path.name
        assert packaged.read_bytes() == path.read_bytes(), packaged
