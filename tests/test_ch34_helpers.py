"""Helpers added for chapters 3 and 4: key tests of keyless ciphers, and the AUC's bootstrap standard error."""

import math

import numpy as np
import pytest

from medcrypt import classifier, results


def test_without_key_tests_blanks_every_key_metric_of_any_keyless_cipher():
    rows = [{"cipher": "gan-translation", "key_bits": 0, "key_npcr": 0.0, "key_uaci": 0.0, "wrong_key_psnr": 24.4,
             "wrong_key_ssim": 0.8, "wrong_key_rejected": False, "npcr": 0.05},
            {"cipher": "identity", "key_bits": 0, "key_npcr": 0.0, "decrypt_psnr": math.inf},
            {"cipher": "aes-ctr", "key_bits": 256, "key_npcr": 0.996, "wrong_key_psnr": 9.3}]
    out = results.without_key_tests(rows)
    assert out[0]["key_npcr"] is None and out[0]["wrong_key_psnr"] is None and out[0]["wrong_key_rejected"] is None
    assert out[0]["npcr"] == 0.05  # a plaintext test still applies
    assert out[1]["key_npcr"] is None and "wrong_key_psnr" not in out[1]
    assert out[2] == rows[2]
    assert rows[0]["key_npcr"] == 0.0  # the measured rows (written to the results JSON) are not changed


def test_keyless_key_columns_show_a_dash_in_the_styled_table():
    rows = [{"cipher": "gan-translation", "key_bits": 0, "key_npcr": 0.0, "wrong_key_psnr": 24.4, "npcr": 0.05},
            {"cipher": "aes-ctr", "key_bits": 256, "key_npcr": 0.996, "wrong_key_psnr": 9.3, "npcr": 0.996}]
    html = results.styled(results.summary_table(results.without_key_tests(rows))).to_html()
    assert "–" in html and "24.40" not in html and "0.00<" not in html and "99.60" in html


def test_bootstrap_auc_se():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 400)
    perfect = classifier.bootstrap_auc_se(labels, labels.astype(float), n_boot=50)
    assert perfect == pytest.approx(0.0)
    noisy = classifier.bootstrap_auc_se(labels, rng.random(400), n_boot=200, seed=1)
    assert 0.01 < noisy < 0.05  # about sqrt(1/12 * (1/n1 + 1/n0)) for a chance-level AUC
    with pytest.raises(ValueError):
        classifier.bootstrap_auc_se(np.zeros(10), np.zeros(10))
    with pytest.raises(ValueError):
        classifier.bootstrap_auc_se(labels, np.zeros(3))
