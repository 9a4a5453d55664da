"""Are the verdicts calibrated? Every statistical test of chapter 8's table, run on sound ciphers over many seeds.

A test that is supposed to reject a sound cipher with probability α should, over many
independent runs on AES-CTR and AES-GCM (fresh key, fresh nonces, fresh data draw per
seed), reject in about a fraction α of them: more would mean its null distribution is
wrong for the sizes we use. :func:`sound_cipher_p_values` returns each test's p-value per
seed; :func:`medcrypt.verdicts.false_positive_rates` counts the rejections.

The diagnosis-leakage test's validity rests on its test images alone (held-out cipher
images are independent of their labels for a sound cipher, whatever the classifier
learned), so its calibration may use a smaller training set than the chapter's attack.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import metrics, verdicts, zoo
from .ind_cpa import BATTERY, ind_cpa
from .key_search import random_key_search
from .leakage import diagnosis_leakage
from .sensitivity import sensitivity

#: The tests of chapter 8's summary whose false-alarm rate is measured, in table order: every adversary of the
#: IND-CPA battery, the diagnosis classifier and the four differential tests.
TESTS = (*(f"IND-CPA, {adversary}" for adversary in BATTERY), "diagnosis leak", "one pixel, NPCR",
         "one pixel, UACI", "one key bit, NPCR", "one key bit, UACI")
#: The exact rules of the summary that a sound cipher must never trip: a random key found equivalent or
#: repeated. Recorded as 0 (tripped) or 1, so that the same "share rejecting" counts their false alarms.
EXACT = ("key search (random keys)",)
#: The NIST SP 800-22 verdict of the metric suite: a Bonferroni-adjusted p-value over its rows.
NIST_TEST = "NIST SP 800-22 (calibrated rule)"


def nist_p_value(cipher_images: np.ndarray) -> float:
    """The smallest row p-value of the calibrated NIST rule times the number of rows (capped at 1).

    The rule of :meth:`medcrypt.nist.NistReport.calibrated` rejects at level L exactly when
    this is below L (ignoring the uniformity test, which is itself at 0.0001 per row).
    """
    report = metrics.nist_report(metrics.bitstream(cipher_images))
    return float(min(1.0, report.n_rows * min(row.proportion_p for row in report.rows)))


def sound_cipher_p_values(name: str, seeds: list[int], *, test_images: np.ndarray, test_labels: np.ndarray,
                          train_images: np.ndarray, train_labels: np.ndarray, n_sensitivity: int = 100,
                          leakage_train: int = 128, leakage_epochs: int = 1, trials: int = 500,
                          birthday_queries: int = 1 << 16, search_keys: int = 1024,
                          alpha: float = metrics.ALPHA) -> pd.DataFrame:
    """One row per seed: the p-value of every test of :data:`TESTS` on cipher ``name`` (a sound cipher).

    Per seed: a fresh key and nonce seed, a fresh random draw of the sensitivity images
    from ``test_images`` and of the classifier's ``leakage_train`` training images.
    """
    rows = []
    shape = tuple(test_images.shape[1:])
    for seed in seeds:
        rng = np.random.default_rng(seed)
        cipher = zoo.build(name, shape, seed)
        key = cipher.keygen(seed=seed)
        encrypt = lambda p, c=cipher, k=key: c.encrypt(p, k)  # noqa: E731
        games = ind_cpa(encrypt, test_images, trials=trials, seed=seed, birthday_queries=birthday_queries)
        pick = rng.choice(len(train_images), min(leakage_train, len(train_images)), replace=False)
        labels = train_labels[pick]
        test_cipher = encrypt(test_images)  # one encryption serves the classifier and the NIST rule
        leak = diagnosis_leakage(encrypt(train_images[pick]), labels, test_cipher, test_labels,
                                 image_shape=shape, epochs=leakage_epochs, seed=seed)
        sample = test_images[rng.choice(len(test_images), min(n_sensitivity, len(test_images)), replace=False)]
        sens = sensitivity(cipher, sample, key, seed=seed, alpha=alpha)
        nist = nist_p_value(test_cipher)
        search = random_key_search(cipher, sample[:1], key, n_keys=search_keys)
        rows.append({"cipher": name, "seed": seed, NIST_TEST: nist, EXACT[0]: float(search.passed()),
                     **{f"IND-CPA, {adversary}": game.p_value for adversary, game in games.items()},
                     "diagnosis leak": leak["auc_p_value"],
                     "one pixel, NPCR": sens["plaintext_npcr_p"], "one pixel, UACI": sens["plaintext_uaci_p"],
                     "one key bit, NPCR": sens["key_npcr_p"], "one key bit, UACI": sens["key_uaci_p"]})
    return pd.DataFrame(rows)


def rates_table(sound: pd.DataFrame, *, nominal: float, table_level: float, nist_level: float) -> pd.DataFrame:
    """Per test: its stated level and, per sound cipher, the share of runs rejecting at it and at ``table_level``.

    The summary's tests are stated at ``nominal`` per test (and run at ``table_level``);
    the NIST rule at ``nist_level`` per cipher, outside the summary.
    """
    parts = []
    for name, group in sound.groupby("cipher"):
        summary = verdicts.false_positive_rates(group[list(TESTS)], {f"{name}: share rejecting": nominal,
                                                                     f"{name}: at the table's level": table_level})
        exact = verdicts.false_positive_rates(group[list(EXACT)], {f"{name}: share rejecting": 0.5,
                                                                   f"{name}: at the table's level": 0.5})
        nist = verdicts.false_positive_rates(group[[NIST_TEST]], {f"{name}: share rejecting": nist_level})
        parts.append(pd.concat([summary, exact, nist]).drop(columns="runs"))
    table = pd.concat(parts, axis=1)
    table.insert(0, "stated level", [nominal] * len(TESTS) + [0.0] * len(EXACT) + [nist_level])
    # Each share is out of one cipher's runs, so the count beside them is per cipher (the fewest), not the total.
    table["runs per cipher"] = sound.groupby("cipher")[[*TESTS, *EXACT, NIST_TEST]].count().min()
    table.index.name = "test"
    return table
