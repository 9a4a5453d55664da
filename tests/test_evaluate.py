"""``medcrypt evaluate``: the whole protocol on an outside cipher, its exit codes, report.json and report.html."""

import json
import subprocess
import sys
import time

import numpy as np
import pytest

from medcrypt import evaluate, report, verdicts
from medcrypt.book import runner as book
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
    # a finding, not a refusal: byte 0 sets the iterations through key[0] % 8, so its top bit does nothing
    assert [c["id"] for c in payload["contract"] if c["passed"] is False] == ["check_wrong_key_does_not_decrypt"]


def test_report_html_is_self_contained_with_a_verdict_card(arnold_report):
    _, out = arnold_report
    page = (out / "report.html").read_text()
    assert "Report card" in page and "class='card fail'" in page and "data:image/png;base64," in page
    assert "http://" not in page and "https://" not in page


def test_report_html_passes_the_books_proofreading_and_names_the_file(arnold_report):
    """The report reads like the book: its rules, word headers, no exponents, the cipher named by its file."""
    import re

    from bs4 import BeautifulSoup

    from medcrypt.book import proofread

    _, out = arnold_report
    page = (out / "report.html").read_text()
    problems = proofread.check_page(page, "report.html")
    assert not problems, "\n".join(map(str, problems))
    soup = BeautifulSoup(page, "html.parser")
    cells = [c.get_text(" ", strip=True) for c in soup.select("td")]
    exponents = [c for c in cells if re.search(r"\d[eE][+-]?\d", c)]
    assert not exponents, f"numbers in exponent notation: {exponents[:5]}"
    assert "index" not in [h.get_text(strip=True) for h in soup.select("th")]
    assert "medcrypt_plugin_" not in page and "arnold_xor.py:ArnoldXOR" in page
    payload = json.loads((out / "report.json").read_text())
    assert payload["class"] == "arnold_xor.py:ArnoldXOR"


def test_report_tables_use_word_headers_and_the_books_number_styles():
    html = report.table([{"cipher": "x", "encrypt_images_per_s": 359512.3, "auc_p_value": 3.055e-151,
                          "passed": True, "gain (dB)": float("inf"), "note": None, "tiny": 2e-7, "ratio": 0.123456}])
    assert "encrypt images per s" in html and "AUC p-value" in html and "gain (dB)" in html
    assert "359,512" in html and "&lt; 0.0001" in html and "yes" in html and "∞" in html and "–" in html
    assert "≈ 0" in html and "0.1235" in html
    assert "e+05" not in html and "e-151" not in html and "True" not in html and "None" not in html


def _run_cli(*args):
    return subprocess.run([sys.executable, "-m", "medcrypt", *args], capture_output=True, text=True, cwd=REPO_ROOT,
                          timeout=300)


def test_bad_cipher_spec_exits_2_with_one_line(tmp_path):
    done = _run_cli("evaluate", "--cipher", "no_colon_here", "--out", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert "module:Class" in done.stderr


@pytest.mark.parametrize("name, reason", [("WrongDtype", "uint8"), ("Lossy", "lossless")])
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


def test_strict_plain_values_turn_numpy_and_non_finite_values_into_json():
    from medcrypt import results

    assert results.plain({"a": np.float64("nan"), "b": [np.inf, -np.inf], "c": np.int64(3),
                          "d": np.arange(2)}, strict=True) == {"a": None, "b": ["inf", "-inf"], "c": 3, "d": [0, 1]}
    assert results.plain({"a": np.float64("inf")})["a"] == float("inf")  # the results store keeps infinities


def test_cards_show_pass_and_fail_beside_the_reference():
    verdicts = {"mine": {"IND-CPA": {"passed": False, "figure": "1.00 <repeat>"}},
                "aes-ctr": {"IND-CPA": {"passed": True, "figure": "0.01"}}}
    html = report.cards(verdicts, "mine", "aes-ctr")
    assert "card fail" in html and "&lt;repeat&gt;" in html and "aes-ctr: pass (0.01)" in html
    assert report.table([]) == "<p class='note'>(empty)</p>"


def test_evaluate_sentence_covers_every_branch():
    from medcrypt.book.prose import evaluate_sentence

    assert evaluate_sentence("x", ["IND-CPA", "key audit"], 7, "aes-ctr", []) == (
        "x fails 2 of the 7 attacks: IND-CPA and key audit. aes-ctr, run beside it on the same images, passes all 7.")
    assert evaluate_sentence("x", [], 7, "aes-ctr", []).startswith("x passes all 7 attacks of the suite")
    assert "fails diagnosis leak, which a sound cipher should not" in evaluate_sentence(
        "x", [], 7, "aes-ctr", ["diagnosis leak"])
    assert "fails only the chosen ciphertext (bit flip) column" in evaluate_sentence(
        "x", [], 7, "aes-ctr", ["chosen ciphertext (bit flip)"])
    assert "fails diagnosis leak, which" in evaluate_sentence(
        "x", [], 7, "aes-ctr", ["chosen ciphertext (bit flip)", "diagnosis leak"])
    assert evaluate_sentence("x", [], 7, "aes-ctr", [], ["chosen plaintext"]).startswith(
        "No attack that applied broke x, but chosen plaintext had no attack that applies (n/a), which is not a pass")


def test_display_tables_read_like_prose():
    payload = {"contract": [{"check": "round trip", "passed": True, "detail": "100.0% bit-exact"}],
               "tables": {"throughput": [{"cipher": "x", "encrypt_images_per_s": 10.04, "decrypt_images_per_s": 1.0,
                                          "encrypt_mb_per_s": 2.0, "decrypt_mb_per_s": 3.0,
                                          "ratio_to_ceiling": 0.6734}]}}
    assert evaluate.contract_table(payload).loc["round trip", "passed"] == "pass"
    table = evaluate.throughput_table(payload)
    assert list(table.columns)[0] == "encrypt (images/s)" and table.iloc[0, 0] == "10"
    assert table.loc["x", "encrypt, share of the ceiling (%)"] == "67.3"
    payload["tables"]["throughput"][0].update(encrypt_images_per_s=1921875.8, encrypt_mb_per_s=1506.75)
    fast = evaluate.throughput_table(payload).loc["x"]  # no bare seven-digit floats, no exponent
    assert fast["encrypt (images/s)"] == "1,921,876" and fast["encrypt (MB/s)"] == "1,506.8"


def test_the_shell_command_is_the_runs_own_and_the_parser_reads_it_back():
    for profile in ("ci", "full"):
        command = evaluate.shell_command("arnold_xor.py:ArnoldXOR", profile)
        args = evaluate.parser().parse_args(command.split()[2:])
        assert args.profile == profile and args.cipher == "arnold_xor.py:ArnoldXOR" and args.out == "report"


def test_the_contract_rows_name_each_check_in_words(xrays):
    from medcrypt.ciphers import get

    cipher = get("aes-ctr")
    rows = evaluate.check_contract(cipher, xrays[:8], cipher.keygen(seed=0))
    shown = evaluate.contract_table({"contract": rows})
    assert "id" not in shown.columns and not [c for c in shown.index if "_" in c]
    assert "rejects float images" in shown.index and "16-bit support or refusal" in shown.index


def test_arnold_readings_follow_the_verdicts():
    from medcrypt.book.prose import arnold_readings

    broken = arnold_readings((False, "1.00"), (False, "exact"), (False, "104 of 128 bits"))
    assert "repeat-query adversary of chapter 8 wins" in broken and "equivalent key" in broken
    assert "short of the claim" in broken
    sound = arnold_readings((True, "0.01"), (True, "-3 dB"), (True, "128 of 128 bits"))
    assert sound.count("check this run") == 2 and sound.endswith("128 of 128 bits that matter.")


# ------------------------------------------------------------------ findings: a contract break that is not fatal

def test_a_non_fatal_break_is_a_finding_and_a_fatal_one_stops(xrays):
    rows = evaluate.check_contract(load_class(f"{BROKEN}:AcceptsFloats")(), xrays[:8], b"")
    found = {row["id"]: row for row in rows}
    assert found["check_rejects_float_images"]["passed"] is False
    assert "accepted float32 images" in found["check_rejects_float_images"]["detail"]
    assert found["check_round_trip"]["passed"] is True and found["check_flip_key_bit"]["passed"] is None
    with pytest.raises(evaluate.ContractError, match="check_round_trip: declares lossless=True"):
        evaluate.check_contract(load_class(f"{BROKEN}:Lossy")(), xrays[:8], b"")


TYPE_ERROR_CIPHER = '''
import os

import numpy as np

from medcrypt.ciphers import check_images, flip_key_bit


class XorTypeError:
    """A working keyed XOR whose only flaw: a key that is not bytes raises TypeError (from len), not ValueError."""

    name, family, lossless, key_bits = "xor-type-error", "baseline", True, 128

    def keygen(self, seed=None):
        return os.urandom(16) if seed is None else np.random.default_rng(seed).bytes(16)

    def flip_key_bit(self, key, bit):
        return flip_key_bit(key, bit)

    def _stream(self, key, shape):
        if len(key) != 16:
            raise ValueError(f"{self.name}: key must be 16 bytes; got {len(key)}. Make one with keygen()")
        return np.random.default_rng(int.from_bytes(key, "big")).integers(0, 256, shape, dtype=np.uint8)

    def encrypt(self, images, key):
        images = check_images(images, self.name)
        return images ^ self._stream(key, images.shape[1:])

    def decrypt(self, cipher, key):
        cipher = check_images(np.asarray(cipher), self.name, argument="cipher")
        return cipher ^ self._stream(key, cipher.shape[1:])
'''


def test_a_cipher_that_raises_type_error_for_a_bad_key_is_evaluated_and_the_finding_reported(
        shared_root, tmp_path, tiny_ci_profile, capsys):
    """Before the checks, such a working cipher was refused with exit 2; now the run goes on and reports it."""
    path = tmp_path / "xor_type_error.py"
    path.write_text(TYPE_ERROR_CIPHER)
    code = evaluate.main(["--cipher", f"{path}:XorTypeError", "--profile", "ci", "--images", "8",
                          "--data-root", str(shared_root), "--out", str(tmp_path / "report")])
    assert code == 0, capsys.readouterr().err
    payload = json.loads((tmp_path / "report" / "report.json").read_text())
    found = {row["id"]: row for row in payload["contract"]}
    assert found["check_rejects_wrong_key_type"]["passed"] is False
    detail = found["check_rejects_wrong_key_type"]["detail"]
    assert "raised TypeError for a key of the wrong type; raise a ValueError" in detail
    assert [c for c, row in found.items() if row["passed"] is False] == ["check_rejects_wrong_key_type"]
    assert set(payload["verdicts"]) == {"xor-type-error", "aes-ctr"}
    assert evaluate.contract_table(payload).loc["rejects wrong key type", "passed"] == "FAIL"
    assert evaluate.contract_table(payload).loc["authenticated refuses tampering", "passed"] == "n/a"
