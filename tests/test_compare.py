"""Chapter 9's aggregation, on small fixture results files."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from medcrypt.book import compare, literature, reproduction

FIXTURES = Path(__file__).parent / "fixtures" / "results"


def test_missing_chapters_are_named_not_fatal(tmp_path):
    payloads, missing = compare.load_chapters(FIXTURES)
    assert sorted(payloads) == ["02_baselines", "04_autoencoder", "08_attacks"]
    assert missing == ["01_metrics", "03_gan", "05_invertible", "06_feedforward", "07_learnable"]
    empty, all_missing = compare.load_chapters(tmp_path / "nowhere")
    assert empty == {} and all_missing == list(compare.EXPECTED)
    assert compare.leaderboard(compare.measured(empty)).empty
    assert compare.attack_summary(empty) is None


def test_leaderboard_keeps_one_row_per_cipher_the_largest_measurement():
    board = compare.leaderboard(compare.measured(compare.load_chapters(FIXTURES)[0]))
    assert list(board.index) == [("pneumoniamnist", c) for c in ("ae-keyed", "aes-ctr", "chaos-logistic")]
    aes = board.loc[("pneumoniamnist", "aes-ctr")]
    assert aes["chapter"] == "02_baselines" and aes["n_images"] == 200  # 200 images beat chapter 4's 100
    assert aes["NPCR %"] == pytest.approx(99.61) and np.isinf(aes["PSNR (dB)"])
    assert board.loc[("pneumoniamnist", "ae-keyed"), "UACI %"] == pytest.approx(0.01)


def test_leaderboard_shows_no_key_test_for_a_cipher_without_a_key():
    frame = compare.measured(compare.load_chapters(FIXTURES)[0])
    keyed = frame.loc[frame["cipher"] == "ae-keyed"].iloc[0]
    assert keyed["key_npcr"] > 0  # the fixture measured a key test for it
    frame.loc[frame["cipher"] == "ae-keyed", "key_bits"] = 0
    board = compare.leaderboard(frame)
    key_columns = [c for c in board.columns if c.startswith(("Key NPCR", "Wrong-key"))]
    assert key_columns and board.loc[("pneumoniamnist", "ae-keyed"), key_columns].isna().all()
    assert board.loc[("pneumoniamnist", "aes-ctr"), key_columns].notna().any()


def test_attack_summary_and_security_fidelity():
    payloads = compare.load_chapters(FIXTURES)[0]
    summary = compare.attack_summary(payloads)
    assert summary.loc["ae-keyed", "IND-CPA"] == "FAIL (x)"
    attacks = compare.attack_rows(payloads)
    assert attacks.loc["aes-ctr", "attacks_passed"] == 7 and attacks.loc["ae-keyed", "attacks_passed"] == 4
    assert attacks.loc["ae-keyed", "learned"] and not attacks.loc["chaos-logistic", "learned"]
    points = compare.security_fidelity(compare.leaderboard(compare.measured(payloads)), attacks).set_index("cipher")
    assert points.loc["aes-ctr", "passed_all"] and not points.loc["chaos-logistic", "passed_all"]
    assert points.loc["aes-ctr", "lossless"] and not points.loc["ae-keyed", "lossless"]
    assert points["psnr_capped"].max() == 60
    assert compare.security_fidelity(compare.leaderboard(compare.measured(payloads)), compare.attack_rows({})).empty


def test_literature_values_meet_our_family_measurements():
    frame = compare.measured(compare.load_chapters(FIXTURES)[0])
    values = pd.DataFrame([{"id": "A2-psnr", "paper": "A2", "family": "autoencoder", "citation_key": "k",
                            "metric": "psnr_db", "value": 36.0, "dataset": "chest X-ray", "image_size": ""},
                           {"id": "A2-npcr", "paper": "A2", "family": "autoencoder", "citation_key": "k",
                            "metric": "npcr_percent", "value": float("nan"), "dataset": "", "image_size": ""}])
    papers = pd.DataFrame([{"id": "A2", "short_name": "Paper one"}])
    table = compare.beside_literature(values, papers, frame)
    assert len(table) == 1  # the unseen value is left out
    row = table.iloc[0]
    assert row["paper"] == "Paper one" and row["reported"] == 36.0 and row["their size"] == "not stated"
    assert row["reproduced"] == reproduction.NO_CARD  # A2 is re-implemented, but no chapter saved a card
    cards = {"ae-latent-gcm-32": [{"claim_id": "A2-psnr", "status": reproduction.NOT_REPRODUCED}],
             "ae-keyed": [{"claim_id": "A2-psnr", "status": reproduction.REPRODUCED}]}  # A2 is not ae-keyed's paper
    said = compare.beside_literature(values, papers, frame, cards=cards).iloc[0]["reproduced"]
    assert said == "not reproduced (ae-latent-gcm-32)"
    assert row["ours (same family), min"] == row["ours (same family), max"] == 20.0
    assert np.isinf(row["AES-CTR (ours)"])
    assert set(compare.MEASURED_FOR) == set(literature.STANDARD_METRICS)


def test_a_file_that_is_not_a_results_file_raises(tmp_path):
    (tmp_path / "03_gan.json").write_text(json.dumps({"rows": []}))
    with pytest.raises(ValueError, match="not a chapter results file"):
        compare.load_chapters(tmp_path)


def test_chapter_9_reads_chapter_8s_verdicts_as_objects_not_text(tmp_path):
    payloads = {"08_attacks": {"rows": [{"cipher": "aes-ctr", "verdicts": {"IND-CPA": {"passed": True, "figure": "0.01"}}},
                                         {"cipher": "gan", "verdicts": {"IND-CPA": {"passed": False, "figure": "1.00"}}}],
                               "metadata": {}}}
    cells = compare.attack_cells(payloads)
    assert cells["gan"]["IND-CPA"].passed is False and cells["aes-ctr"]["IND-CPA"].figure == "0.01"
    assert compare.attack_cells({}) is None


def test_known_images_needed_reads_chapter_7_and_skips_ciphers_it_did_not_break():
    payloads = {"08_attacks": {"rows": [{"cipher": "chaos-logistic", "algebraic": {"known_images": 6.0}},
                                        {"cipher": "aes-ctr", "algebraic": {"known_images": float("nan")}},
                                        {"cipher": "x", "algebraic": {"known_images": None}}]}}
    assert compare.known_images_needed(payloads) == {"chaos-logistic": 6}
    assert compare.known_images_needed({}) == {}


@pytest.mark.parametrize("display, name", [("ae-latent-gcm-32", "ae-latent-gcm"), ("inn-coupling (trained)", "inn-coupling"),
                                           ("inn-coupling (random init)", "inn-coupling (random init)"),
                                           ("aes-ctr", "aes-ctr")])
def test_registered_name(display, name):
    assert compare.registered_name(display) == name


def test_training_changes_says_which_attempt_was_attacked_and_what_changed():
    from medcrypt.verdicts import COLUMNS, Verdict

    def record(label, matter, passed):
        return {"label": label, "checkpoint": f"ae-keyed-{label}.pt", "passed": passed,
                "audit": {"effective_bits": matter, "claimed_bits": 128}}

    payloads = {"04_autoencoder": {"rows": [], "metadata": {"key_attempts": {"ae-keyed": [
        record("first", 0, False), record("best", 128, True)]}}}}
    attempts = compare.key_attempts(payloads)
    cells = {"ae-keyed": {c: Verdict(True, "ok") for c in COLUMNS}}
    cells["ae-keyed"]["IND-CPA"] = Verdict(False, "1.00")
    sources = {"ae-keyed": "chapter 04_autoencoder's checkpoint ae-keyed-best.pt"}
    table = compare.training_changes(attempts, sources, cells)
    row = table.loc["ae-keyed"]
    assert row["attempt attacked"] == "best" and row["changed"] == "FAIL → pass"
    assert row["key audit as first built"] == "FAIL (0 of 128 bits)" and row["attacks that still win"] == "IND-CPA"
    cells["ae-keyed"]["key audit"] = Verdict(False, "0 bits")
    assert compare.training_changes(attempts, sources, cells).loc["ae-keyed", "changed"] == "no"
    cells["ae-keyed"]["key audit"] = Verdict(None, "n/a")
    assert compare.training_changes(attempts, sources, cells).loc["ae-keyed", "changed"] == "n/a"
    passed_first = {"ae-keyed": [record("first", 128, True)]}
    cells["ae-keyed"]["key audit"] = Verdict(False, "0 bits")
    assert compare.training_changes(passed_first, sources, cells).loc["ae-keyed", "changed"] == "pass → FAIL"
    assert compare.training_changes(attempts, {}, cells).loc["ae-keyed", "attempt attacked"] == \
        "not one of the attempts"
    assert compare.training_changes(attempts, sources, {}).empty  # chapter 8 did not attack it


def test_conclusions_count_learned_ciphers_and_never_an_na_cell_as_a_pass():
    from medcrypt import metrics, verdicts

    payloads = compare.load_chapters(FIXTURES)[0]
    board, attacks = compare.leaderboard(compare.measured(payloads)), compare.attack_rows(payloads)
    points, cells = compare.security_fidelity(board, attacks), compare.attack_cells(payloads)

    def said(cells, attacks=attacks):
        return compare.conclusions(payloads, board, points, attacks, cells, "pneumoniamnist", metrics.ALPHA)

    found = said(cells)
    assert found["learned_attacked"] == 1 and found["learned_failing"] == 1 and found["learned_passing"] == "none"
    assert "ae-keyed" in found["learned_included"] and "ae-keyed" in found["best_lossy_sentence"]
    assert found["seeds_phrase"] == "have not run"  # the fixture's chapter 8 recorded no seeds
    all_pass = {**cells, "ae-keyed": {c: verdicts.Verdict(True, "x") for c in cells["ae-keyed"]}}
    assert said(all_pass)["learned_passing"] == "ae-keyed" and said(all_pass)["learned_failing"] == 0
    one_na = {**all_pass, "ae-keyed": {**all_pass["ae-keyed"], "chosen plaintext": verdicts.Verdict(None, "n/a")}}
    assert said(one_na)["learned_passing"] == "none" and said(one_na)["learned_failing"] == 0  # n/a: neither
    unused = attacks.copy()
    unused.loc["ae-keyed", "effective_key_bits"] = 0
    assert "found ae-keyed using none" in said(cells, unused)["kerckhoffs_sentence"]
