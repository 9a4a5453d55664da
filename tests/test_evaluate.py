"""``medcrypt evaluate``: the whole protocol on an outside cipher, its exit codes, report.json and report.html."""

import json
import subprocess
import sys
import time

import numpy as np
import pytest

from medcrypt import book, evaluate, report, verdicts
from medcrypt.__main__ import main as medcrypt_main
from medcrypt.ciphers.plugins import load_class

from conftest import REPO_ROOT

BROKEN = REPO_ROOT / "tests" / "evaluate_ciphers.py"


def appendix_cipher(folder) -> str:
    """The appendix's ArnoldXOR, written from its ``%%writefile`` cells as the page writes it; returns the spec."""
    import jupytext

    path = folder / "arnold_xor.py"
    cells = [c.source for c in jupytext.read(REPO_ROOT / "notebooks" / "11_evaluate.py").cells
             if c.cell_type == "code" and c.source.startswith("%%writefile")]
    assert cells and cells[0].startswith("%%writefile arnold_xor.py")
    path.write_text("".join(cell.partition("\n")[2] + "\n" for cell in cells))
    return f"{path}:ArnoldXOR"


@pytest.fixture(scope="module")
def arnold_report(shared_root, tmp_path_factory):
    """One CLI run on the appendix's cipher, ci profile (about a minute on 2 shared cores)."""
    out = tmp_path_factory.mktemp("arnold")
    spec = appendix_cipher(tmp_path_factory.mktemp("appendix"))
    start = time.perf_counter()
    code = medcrypt_main(["evaluate", "--cipher", spec, "--profile", "ci", "--data-root", str(shared_root),
                          "--out", str(out)])
    print(f"medcrypt evaluate --profile ci on ArnoldXOR: {time.perf_counter() - start:.1f} s")
    return code, out


def test_evaluate_runs_the_protocol_beside_aes_and_writes_json(arnold_report):
    code, out = arnold_report
    assert code == 0
    payload = json.loads((out / "report.json").read_text())
    assert {"cipher", "reference", "profile", "dataset", "contract", "verdicts", "passed_all", "tables", "versions",
            "device", "timings"} <= set(payload)
    assert set(payload["tables"]) == {"summary", "metrics", "throughput", "ind_cpa", "algebraic", "learned_kpa",
                                      "chosen_plaintext", "integrity", "leakage", "key_audit", "sensitivity"}
    assert set(payload["verdicts"]) == {"arnold-xor", "aes-ctr"}
    assert payload["profile"] == "ci" and payload["versions"]["numpy"]
    # deterministic, and a fixed permutation and mask: IND-CPA and the algebraic attack must break it
    assert not payload["verdicts"]["arnold-xor"]["IND-CPA"]["passed"]
    assert "algebraic" in payload["verdicts"]["arnold-xor"]["known plaintext (best attack)"]["figure"]
    assert payload["verdicts"]["aes-ctr"]["IND-CPA"]["passed"]
    # unauthenticated: a flipped bit decrypts, so even AES-CTR fails the chosen-ciphertext column
    assert payload["verdicts"]["aes-ctr"]["chosen ciphertext (bit flip)"]["passed"] is False
    assert verdicts.STATISTICS in payload["verdicts"]["arnold-xor"]
    assert payload["passed_all"]["arnold-xor"] is False
    assert all(row["encrypt_mb_per_s"] > 0 for row in payload["tables"]["throughput"])
    assert all(row["ratio_to_ceiling"] == row["encrypt_mb_per_s"] / payload["ceiling_mb_per_s"]
               for row in payload["tables"]["throughput"])
    assert all(check["passed"] for check in payload["contract"])


def test_report_html_is_self_contained_with_a_verdict_card(arnold_report):
    _, out = arnold_report
    page = (out / "report.html").read_text()
    assert "Report card" in page and "class='card fail'" in page and "data:image/png;base64," in page
    assert "http://" not in page and "https://" not in page


def _run_cli(*args):
    return subprocess.run([sys.executable, "-m", "medcrypt", *args], capture_output=True, text=True, cwd=REPO_ROOT,
                          timeout=300)


def test_bad_cipher_spec_exits_2_with_one_line(tmp_path):
    done = _run_cli("evaluate", "--cipher", "no_colon_here", "--out", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert "module:Class" in done.stderr


@pytest.mark.parametrize("name, reason", [("WrongDtype", "uint8"), ("AcceptsFloats", "ValueError for float"),
                                          ("Lossy", "lossless")])
def test_contract_violation_exits_2_with_one_line(shared_root, tmp_path, capsys, name, reason):
    code = evaluate.main(["--cipher", f"{BROKEN}:{name}", "--data-root", str(shared_root), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and reason in err and err.strip().count("\n") == 0
    assert not (tmp_path / "report.json").exists()


def test_usage_errors_exit_2():
    assert evaluate.main(["--cipher", "x.py:X"]) == 2  # no --out
    assert medcrypt_main(["decrypt"]) == 2
    assert medcrypt_main([]) == 2


def test_a_learned_cipher_is_trained_or_fails_with_a_clear_message(xrays):
    trainable = load_class(f"{BROKEN}:Trainable")()
    assert "trained now with fit()" in evaluate.train_if_learned(trainable, xrays[:10], epochs=2, seed=3)
    assert trainable.fitted_on == (10, 2, 3)
    with pytest.raises(evaluate.ContractError, match="fit\\(images\\) failed .*no GPU"):
        evaluate.train_if_learned(load_class(f"{BROKEN}:FailsToTrain")(), xrays[:10], epochs=1)
    assert evaluate.train_if_learned(load_class(f"{BROKEN}:Base")(), xrays[:10], epochs=1) == "no training"


def test_missing_attribute_is_a_contract_error():
    class NoFlip:
        name, family, lossless, key_bits = "x", "baseline", True, 8
        keygen = encrypt = decrypt = staticmethod(lambda *a: None)

    with pytest.raises(evaluate.ContractError, match="flip_key_bit"):
        evaluate.check_attributes(NoFlip())
    with pytest.raises(evaluate.ContractError, match="no `name`"):
        evaluate.check_attributes(object())


def test_profiles_follow_the_book():
    assert evaluate.profile_settings("ci")["n_pairs"] == book.PROFILES["ci"]["08_attacks"]["n_pairs"]
    assert evaluate.profile_settings("full")["n_pairs"] == evaluate.FULL["n_pairs"]
    with pytest.raises(ValueError, match="ci or full"):
        evaluate.profile_settings("fast")


def test_json_safe_turns_numpy_and_non_finite_values_into_json():
    assert evaluate.json_safe({"a": np.float64("nan"), "b": [np.inf, -np.inf], "c": np.int64(3),
                               "d": np.arange(2)}) == {"a": None, "b": ["inf", "-inf"], "c": 3, "d": [0, 1]}


def test_cards_show_pass_and_fail_beside_the_reference():
    verdicts = {"mine": {"IND-CPA": {"passed": False, "figure": "1.00 <repeat>"}},
                "aes-ctr": {"IND-CPA": {"passed": True, "figure": "0.01"}}}
    html = report.cards(verdicts, "mine", "aes-ctr")
    assert "card fail" in html and "&lt;repeat&gt;" in html and "aes-ctr: pass (0.01)" in html
    assert report.table([]) == "<p class='note'>(empty)</p>"


def test_evaluate_sentence_covers_every_branch():
    from medcrypt.prose.appendix import evaluate_sentence

    assert evaluate_sentence("x", ["IND-CPA", "key audit"], 7, "aes-ctr", []) == (
        "x fails 2 of the 7 attacks: IND-CPA and key audit. aes-ctr, run beside it on the same images, passes all 7.")
    assert evaluate_sentence("x", [], 7, "aes-ctr", []).startswith("x passes all 7 attacks of the suite")
    assert "fails diagnosis leak, which a sound cipher should not" in evaluate_sentence(
        "x", [], 7, "aes-ctr", ["diagnosis leak"])


def test_display_tables_read_like_prose():
    payload = {"contract": [{"check": "round trip", "passed": True, "detail": "100.0% bit-exact"}],
               "tables": {"throughput": [{"cipher": "x", "encrypt_images_per_s": 10.04, "decrypt_images_per_s": 1.0,
                                          "encrypt_mb_per_s": 2.0, "decrypt_mb_per_s": 3.0,
                                          "ratio_to_ceiling": 0.6734}]}}
    assert evaluate.contract_table(payload).loc["round trip", "passed"] == "pass"
    table = evaluate.throughput_table(payload)
    assert list(table.columns)[0] == "encrypt (images/s)" and table.iloc[0, 0] == 10.0
    assert table.loc["x", "encrypt, share of the ceiling (%)"] == 67.3


def test_arnold_readings_follow_the_verdicts():
    from medcrypt.prose.appendix import arnold_readings

    broken = arnold_readings((False, "1.00"), (False, "exact"), (False, "104 of 128 bits"))
    assert "repeat-query adversary of chapter 8 wins" in broken and "equivalent key" in broken
    assert "short of the claim" in broken
    sound = arnold_readings((True, "0.01"), (True, "-3 dB"), (True, "128 of 128 bits"))
    assert sound.count("check this run") == 2 and sound.endswith("128 of 128 bits that matter.")
