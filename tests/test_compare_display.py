"""What readers see of chapters 8 and 9: the display helpers of medcrypt.book.compare."""

import numpy as np
import pandas as pd
import pytest

from medcrypt import metrics, verdicts
from medcrypt.book import compare, literature, prose

from test_compare import FIXTURES


@pytest.mark.parametrize("stem, number", [("04_autoencoder", "4"), ("10_x", "10"), ("intro", "intro")])
def test_chapter_number(stem, number):
    assert compare.chapter_number(stem) == number


def test_chapter_title_reads_the_source_and_falls_back(tmp_path):
    (tmp_path / "06_feedforward.py").write_text("# ---\n# %% [markdown]\n# # 6. Feed-forward and recurrent networks\n")
    assert compare.chapter_title("06_feedforward", tmp_path) == "Feed-forward and recurrent networks"
    assert compare.chapter_title("03_gan", tmp_path) == compare.FALLBACK_TITLES["03_gan"]
    assert compare.chapter_title("99_none", tmp_path) == "99_none"
    titles = compare.family_titles(tmp_path)
    assert titles["feedforward"] == "Feed-forward and recurrent networks (chapter 6)"
    assert set(titles) == set(compare.FAMILY_CHAPTERS)


def test_the_book_s_chapter_titles_come_from_the_chapters():
    for family, title in compare.family_titles().items():
        assert title.endswith(f"(chapter {compare.chapter_number(compare.FAMILY_CHAPTERS[family])})")
        assert "_" not in title


def test_learned_ciphers_are_those_with_trained_weights():
    learned = compare.learned_ciphers(["aes-ctr", "chaos-hopfield", "gan-translation", "inn-coupling", "identity"])
    assert learned == ["gan-translation", "inn-coupling"]


def test_codec_plus_aes_gcm_hybrids_are_not_learned_ciphers():
    names = ["ae-keyed", "ae-latent-gcm", "vae-latent-gcm", "aes-gcm"]
    assert compare.learned_ciphers(names) == ["ae-keyed"]
    assert compare.codec_hybrids(names) == ["ae-latent-gcm", "vae-latent-gcm"]
    sentence = prose.hybrids_sentence(compare.codec_hybrids(names))
    assert "ae-latent-gcm and vae-latent-gcm compress with a trained codec" in sentence and "not as learned" in sentence
    assert prose.hybrids_sentence([]) == ""


def test_weights_text():
    assert compare.weights_text("chapter 04_autoencoder's checkpoint ae-keyed-04c0.pt") == "chapter 4 (ae-keyed-04c0.pt)"
    assert compare.weights_text("no training") == "no training"
    assert compare.checkpoint_file("chapter 04_autoencoder's checkpoint ae-32-76e7.pt") == "ae-32-76e7.pt"
    assert compare.checkpoint_file("trained now (x-1.pt): no chapter recorded a 28×28 checkpoint") is None
    assert compare.checkpoint_file("no training") is None


def test_sources_never_show_keys():
    bib = literature.bib_entries()
    key = "ding2020deepedn"
    shown = compare.source_link(key, bib)
    assert "Ding" in shown and "2020" in shown and key not in shown.split(">")[1] and shown.startswith("<a href=")
    with pytest.raises(KeyError):  # an unknown key fails instead of reaching the page
        compare.source_link("nobody1999", bib)


def test_without_working_notes():
    text = "entropy 7.99 bits; key space printed as 2384 (superscript probably lost; not used); NPCR 99.6 %"
    assert compare.without_working_notes(text) == "entropy 7.99 bits; NPCR 99.6 %"
    assert compare.without_working_notes("values not seen") == "values not seen"


def test_literature_tables_show_citations_and_chapter_titles():
    bib = literature.bib_entries()
    tables = compare.literature_tables(bib)
    assert len(tables) == len(compare.FAMILY_CHAPTERS)
    html = "".join(t.to_html() for t in tables)
    for key in literature.load_papers()["citation_key"]:
        if literature.load_papers().set_index("citation_key").loc[key, "family"] in compare.FAMILY_CHAPTERS:
            assert f">{key}<" not in html
    assert "not used" not in html and "(chapter 6)" in html


def test_chapter_7_tables_have_word_headers_and_percentages():
    sens = pd.DataFrame({f"{p}_{k}": [0.995861, None] for p in ("plaintext", "key")
                         for k in ("npcr", "uaci", "npcr_pass_rate", "uaci_pass_rate")},
                        index=pd.Index(["aes-ctr", "identity"], name="cipher"))
    shown = compare.sensitivity_display(sens)
    assert shown.loc["aes-ctr", ("one pixel", "NPCR (%)")] == "99.59"
    assert shown.loc["identity", ("one key bit", "UACI (%)")] == "no key"
    algebraic = pd.DataFrame({"structure": [None, "chained diffusion"], "known_images": [None, 6.0],
                              "bit_exact_rate": [None, 1.0], "gain_db": [None, float("inf")]}, index=["a", "b"])
    shown = compare.algebraic_display(algebraic)
    assert list(shown.loc["a"]) == ["does not fit", "–", "–", "–"]
    assert list(shown.loc["b"]) == ["chained diffusion", "6", "100.00", "∞"]
    chosen = compare.chosen_display(pd.DataFrame({"applies": [False, True], "gain_db": [None, float("inf")],
                                                  "chosen_images": [3, 2], "recovered": [0.0, 1.0]},
                                                 index=["a", "b"]))
    assert list(chosen.loc["b"]) == ["yes", "∞", "100.00", "2"] and chosen.loc["a", "applies"] == "no (n/a)"
    assert chosen.loc["a", "PSNR gain (dB)"] == "n/a"
    rates = pd.DataFrame({"stated level": [0.05, 0.01], "x: share rejecting": [0.075, np.nan], "runs": [40, 40]},
                         index=["diagnosis leak", "NIST"])
    shown = compare.calibration_display(rates)
    assert shown.loc["diagnosis leak", "x: share rejecting (%)"] == "7.5"
    assert shown.loc["NIST", "x: share rejecting (%)"] == "– (not in the summary)" and shown.loc["NIST", "runs"] == "40"
    roster = pd.DataFrame({"family": ["gan"], "claimed key bits": [128], "lossless": [True],
                           "weights": ["chapter 03_gan's checkpoint g-1.pt"]}, index=["g"])
    assert list(compare.roster_display(roster).loc["g"]) == ["gan", "128", "yes", "chapter 3 (g-1.pt)"]
    audit = pd.DataFrame({"claimed_bits": [256], "strength_bits": [129.0]}, index=["chaos"])
    assert list(compare.audit_display(audit).columns) == ["claimed bits", "search cost by the flips (bits)"]
    for table in (compare.sensitivity_display(sens), compare.audit_display(audit)):
        headers = " ".join(" ".join(c) if isinstance(c, tuple) else c for c in table.columns)
        assert "_" not in headers


def test_averages_inside_band_names_what_fails():
    n = 784
    low, high = metrics.uaci_critical(n)
    sens = pd.DataFrame({"plaintext_npcr": [0.9987, 0.0013, 0.9962], "plaintext_uaci": [(low + high) / 2, 0.0, 0.335],
                         "plaintext_npcr_p": [1.0, 1e-100, 0.9], "plaintext_uaci_p": [1e-80, 1e-100, 0.9],
                         "plaintext_npcr_pass_rate": [1.0, 0.0, 0.95], "plaintext_uaci_pass_rate": [0.21, 0.0, 0.95]},
                        index=["chaos-logistic", "identity", "aes-ctr"])
    cases = compare.averages_inside_band(sens, n, level=1e-3)
    assert cases == [("chaos-logistic", "UACI", 0.21, metrics.uaci_null_pass_rate(n))]


def _board():
    frame = compare.measured(compare.load_chapters(FIXTURES)[0])
    return compare.leaderboard(frame)


def test_leaderboard_display_reads_as_text():
    board = _board()
    board["NIST passed"], board["NIST rows run"] = 7.0, 8.0
    board["χ² p pooled"] = [0.5, 1e-40, 0.0]
    shown = compare.leaderboard_display(board, "pneumoniamnist")
    assert set(shown["chapter"]) <= {"2", "4"} and "n_images" not in shown and "NIST rows run" not in shown
    assert set(shown["NIST passed"]) == {"7 of 8"}
    assert list(shown["χ² p pooled"]) == ["0.5", "< 0.0001", "< 0.0001"]
    assert shown.loc["aes-ctr", "PSNR (dB)"] == "∞"
    tables = compare.leaderboard_tables(board)
    assert len(tables) == 1 and "Measured on pneumoniamnist" in tables[0].to_html()
    assert compare.leaderboard_tables(pd.DataFrame()) == []


def test_measured_and_attacked_pairs_rows_with_chapter_7():
    payloads = compare.load_chapters(FIXTURES)[0]
    attacks = compare.attack_rows(payloads)
    board = pd.DataFrame({"chapter": ["04_autoencoder", "05_invertible", "04_autoencoder", "02_baselines"]},
                         index=pd.MultiIndex.from_tuples([("d", "ae-keyed-32"), ("d", "inn (random init)"),
                                                          ("d", "ae-keyed"), ("d", "aes-ctr")]))
    payloads["04_autoencoder"]["metadata"]["checkpoints"] = {"ae-keyed": "ae-keyed-1.pt"}
    attacks.loc["ae-keyed", "weights"] = "chapter 04_autoencoder's checkpoint ae-keyed-1.pt"
    out = compare.measured_and_attacked(payloads, board, attacks, "d")
    assert out["rows"] == 4 and out["not_attacked"] == ["inn (random init)"]
    assert out["renamed"] == {"ae-keyed-32": "ae-keyed"} and out["different"] == []
    assert out["unmeasured"] == ["chaos-logistic"]
    attacks.loc["ae-keyed", "weights"] = "chapter 04_autoencoder's checkpoint ae-keyed-98.pt"
    assert compare.measured_and_attacked(payloads, board, attacks, "d")["different"] == ["ae-keyed-32", "ae-keyed"]
    empty = compare.measured_and_attacked(payloads, pd.DataFrame(), attacks, "d")
    assert empty["rows"] == 0 and empty["unmeasured"] == sorted(attacks.index)


def test_security_fidelity_leaves_out_excluded_rows():
    payloads = compare.load_chapters(FIXTURES)[0]
    points = compare.security_fidelity(_board(), compare.attack_rows(payloads), exclude=["ae-keyed"])
    assert "ae-keyed" not in set(points["cipher"]) and "aes-ctr" in set(points["cipher"])


def test_looks_random_and_failed_columns():
    board = _board()
    assert compare.looks_random(board, "pneumoniamnist", 0.05) == []  # the fixtures carry no NIST counts
    board["χ² p pooled"] = [0.5, 0.5, 0.001]
    board["NIST passed"], board["NIST rows run"] = [8, 3, 8], [8, 8, 8]
    assert compare.looks_random(board, "pneumoniamnist", 0.05) == ["ae-keyed"]
    assert compare.looks_random(board, "other", 0.05) == []
    cells = compare.attack_cells(compare.load_chapters(FIXTURES)[0])
    assert verdicts.failed_columns(cells, "ae-keyed") == ["IND-CPA", "key audit", "one pixel (NPCR, UACI)"]
    assert verdicts.failed_columns(cells, "nobody") == [] and verdicts.failed_columns(None, "aes-ctr") == []


def test_training_summary_and_best_compression_model():
    payloads = {"03_gan": {"metadata": {"device_training": "cpu"}, "rows": [{"training_time_s": 4.2},
                                                                             {"training_time_s": None}]},
                "04_autoencoder": {"metadata": {"compression_curve": [{"model": "ae-16", "PSNR (dB)": 16.8},
                                                                      {"model": "ae-98", "PSNR (dB)": 25.78}]},
                                   "rows": [{"training_time_s": 9.0}]}}
    assert compare.training_summary(payloads) == (["cpu"], 9.0)
    assert compare.training_summary({}) == ([], None)
    assert compare.best_compression_model(payloads) == ("ae-98", 25.78)
    assert compare.best_compression_model({}) == (None, None)


def test_side_display_labels_variants_and_formats_by_metric():
    side = pd.DataFrame([{"paper": "AT-ResNet-CM", "citation_key": "li2023atresnet", "variant": "with attention",
                          "metric": "corr. H", "their dataset": "x", "their size": "not stated", "reported": 0.001,
                          "reproduced": "not re-implemented", "ours (same family), min": -0.0005542, "ours (same family), max": 0.02012,
                          "AES-CTR (ours)": 0.001935},
                         {"paper": "LLE", "citation_key": "aldayel2025lle", "variant": "", "metric": "NPCR (%)",
                          "their dataset": "x", "their size": "not stated", "reported": 99.6,
                          "reproduced": "not re-implemented", "ours (same family), min": 0.002551, "ours (same family), max": 99.86,
                          "AES-CTR (ours)": np.inf}])
    shown = compare.side_display(side, literature.bib_entries())
    assert list(shown.index) == ["AT-ResNet-CM: with attention", "LLE"]
    assert list(shown.iloc[0, 4:]) == ["0.001", "not re-implemented", "-0.0006", "0.0201", "0.0019"]
    assert list(shown.iloc[1, 4:]) == ["99.6", "not re-implemented", "0.00", "99.86", "∞"]
    assert "li2023atresnet<" not in shown.iloc[0]["source"]
    assert compare.side_display(pd.DataFrame(), {}).empty


def test_coverage_grid_draws_one_row_per_paper():
    from medcrypt import plots

    grid = pd.DataFrame([[0, 1, 2], [2, 0, 0]], index=["short", "a paper with a name much longer than forty-five chars"],
                        columns=["entropy (bits)", "NPCR (%)", "SSIM"])
    fig = plots.coverage_grid(grid)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0] == "short" and labels[1].endswith("…") and len(labels[1]) == 45
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "not seen reported", "reported, value not seen", "value seen"]


def test_side_table_renders_rows_of_one_paper():
    values, papers = literature.load(), literature.load_papers()
    frame = compare.measured(compare.load_chapters(FIXTURES)[0])
    side = compare.beside_literature(values, papers, frame)
    html = compare.side_table(side, literature.bib_entries()).to_html()
    assert "<a href=" in html and "&lt;a" not in html and "citation_key" not in html


def test_calibration_runs_are_counted_per_cipher_beside_per_cipher_shares():
    from medcrypt.attacks import calibration

    columns = [*calibration.TESTS, *calibration.EXACT, calibration.NIST_TEST]
    rows = [{"cipher": name, **{c: 0.5 for c in columns}} for name in ("aes-ctr", "aes-gcm") for _ in range(20)]
    rows[0][calibration.TESTS[0]] = 0.001  # one rejection among aes-ctr's 20 runs of the first test
    rates = calibration.rates_table(pd.DataFrame(rows), nominal=0.05, table_level=0.0002, nist_level=0.01)
    assert rates.loc[calibration.TESTS[0], "aes-ctr: share rejecting"] == 1 / 20
    assert (rates["runs per cipher"] == 20).all() and "runs" not in rates.columns
    assert compare.calibration_display(rates).loc[calibration.TESTS[0], "runs per cipher"] == "20"
