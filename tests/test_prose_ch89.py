"""Chapters 8 and 9: every branch of the sentences chosen by computed values."""

import pandas as pd
import pytest

from medcrypt.book import prose


def test_seeds_phrase():
    assert prose.seeds_phrase(1) == "use one seed"
    assert prose.seeds_phrase(3) == "take the worst of 3 seeds"
    with pytest.raises(ValueError):
        prose.seeds_phrase(0)


def test_count_range():
    assert prose.count_range(6, 6) == "6"
    assert prose.count_range(2, 6) == "between 2 and 6"


def test_algebraic_sentence():
    assert "no equivalent key" in prose.algebraic_sentence({}, 100)
    one = prose.algebraic_sentence({"chaos-logistic": 6}, 100)
    assert "of chaos-logistic, from 6 known images" in one and "between" not in one and "100 unseen" in one
    assert "from between 2 and 6 known images" in prose.algebraic_sentence({"a": 2, "b": 6}, 100)


def test_chaos_known_sentence():
    assert "neither" in prose.chaos_known_sentence([])
    assert prose.chaos_known_sentence(["chaos-hopfield", "chaos-logistic"]).startswith(
        "For chaos-hopfield and chaos-logistic these were known")


def test_kpa_grid_sentence():
    assert "No reconstruction" in prose.kpa_grid_sentence({}, 1.0, 100)
    both = prose.kpa_grid_sentence({"aes-ctr": -3.0, "identity": float("inf"), "inn": 4.2}, 1.0, 100)
    assert "identity (exact)" in both and "inn (+4.2 dB)" in both and ", and do no better" in both and "aes-ctr" in both
    below = prose.kpa_grid_sentence({"aes-ctr": -3.0}, 1.0, 100)
    assert "does no better than that guess for aes-ctr" in below and "beat" not in below
    above = prose.kpa_grid_sentence({"x": 2.0}, 1.0, 10)
    assert "beat the mean-image guess by more than 1 dB for x (+2.0 dB)" in above and "no better" not in above


def test_kpa_curve_sentence():
    assert "for no cipher" in prose.kpa_curve_sentence({}, 100, 1.0)
    text = prose.kpa_curve_sentence({"identity": float("inf"), "inn": 4.2}, 100, 1.0)
    assert "identity (exact) and inn (+4.2 dB)" in text and "With 100 pairs" in text


def test_chosen_sentence():
    assert "No cipher" in prose.chosen_sentence({}, 1.0)
    broken = prose.chosen_sentence({"chaos-logistic": {"equivalent key": (float("inf"), 3), "key-stream": (-1.0, 2)}},
                                   1.0)
    assert broken == "The chosen images break chaos-logistic (equivalent key, exactly, 3 chosen images)."
    resisted = prose.chosen_sentence({"x": {"codebook": (0.2, 300)}}, 1.0)
    assert resisted == "An attack applies to x but gains less than 1 dB."
    mixed = prose.chosen_sentence({"a": {"key-stream": (5.0, 2)}, "b": {}, "c": {"codebook": (0.0, 9)}}, 1.0)
    assert "a (key-stream, +5.0 dB, 2 chosen images)" in mixed
    assert "no attack of this section applies to b, so their cell reads n/a, not pass" in mixed


def test_birthday_integrity_and_key_search_sentences():
    import pandas as pd

    table = pd.DataFrame({"queries": [65536, 4000], "images_per_s": [2e5, 3e3]}, index=["aes-ctr", "slow"])
    text = prose.birthday_sentence(table, 10_000)
    assert "between 4,000 and 65,536" in text and "slow encrypts fewer than 10,000" in text
    assert "fewer than" not in prose.birthday_sentence(table.iloc[:1], 10_000)
    only = prose.integrity_sentence({"aes-gcm": True, "aes-ctr": False}, {"aes-ctr": 3})
    assert only.startswith("Only aes-gcm refused") and "1 of the 2 ciphers" in only and "aes-ctr one flipped" in only
    assert prose.integrity_sentence({"a": True}, {}).startswith("Every cipher refused")
    assert "n/a" not in prose.key_search_sentence({}, 100, 200, 11.2)
    fails = prose.key_search_sentence({"chaos-logistic": "credited 98 of 256 bits, by key schedule"}, 100, 200, 11.2)
    assert "chaos-logistic (credited 98 of 256 bits, by key schedule)" in fails and "2^11" in fails


def test_leakage_sentence():
    assert "For none of the 15 ciphers" in prose.leakage_sentence({}, 15)
    text = prose.leakage_sentence({"identity": 0.8, "gan": 0.73}, 15)
    assert "2 of the 15 ciphers: identity (AUC 0.80) and gan (AUC 0.73)" in text


def test_averages_hide_sentence():
    assert "outside the acceptance band" in prose.averages_hide_sentence([])
    text = prose.averages_hide_sentence([("chaos-logistic", "UACI", 0.21, 0.95)])
    assert "only 21% of its images pass the UACI test, against 95%" in text and "pass rate" in text


def test_resist_sentence():
    assert prose.resist_sentence([], {"a": True}) == "No cipher passes every attack in this run."
    tagged = prose.resist_sentence(["aes-gcm"], {"aes-gcm": False, "ecb": True}, {"aes-gcm": True})
    assert "fresh nonce" in tagged and "authentication tag" in tagged and "not that it is secure" in tagged
    untagged = prose.resist_sentence(["x"], {"x": False}, {"x": False})
    assert "authentication tag" not in untagged and "fresh nonce" in untagged
    assert untagged.startswith("What lets it pass") and untagged.endswith("not that it is secure.")
    two = prose.resist_sentence(["a", "b"], {"a": False, "b": False}, {"a": True, "b": True})
    assert two.startswith("What the 2 ciphers that pass") and two.endswith("not that they are secure.")
    odd = prose.resist_sentence(["ecb", "aes-ctr"], {"ecb": True, "aes-ctr": False})
    assert "ecb is deterministic, so it should lose" in odd and "missed the weakness" in odd
    assert "they should lose" in prose.resist_sentence(["a", "b"], {"a": True, "b": True})


def test_control_clause_and_verdict():
    assert prose.control_clause("AES-CTR", []) == "AES-CTR passes every attack"
    assert prose.control_clause("ECB", ["IND-CPA", "one pixel (NPCR, UACI)"]) == "ECB fails the IND-CPA game and the one-pixel test"
    from medcrypt import verdicts

    assert set(prose.COLUMN_PHRASES) == set(verdicts.COLUMNS)  # every column has words
    assert "not blind" in prose.controls_verdict(True, True)
    assert "Not every control ran" in prose.controls_verdict(None, True)
    assert "Not every control ran" in prose.controls_verdict(True, None)
    assert "a sound control fails" in prose.controls_verdict(False, True)
    assert "weaker than it should be" in prose.controls_verdict(True, False)


def test_results_found_sentence():
    assert prose.results_found_sentence(["01", "02"], []) == (
        "Results were found for all 2 chapters whose results this one reads (01 and 02), so every table below is "
        "complete.")
    partial = prose.results_found_sentence(["01"], ["08_attacks"])
    assert "1 of the 2 chapters; missing: 08_attacks" in partial and "none" not in partial


def test_abstracts_phrase():
    assert prose.abstracts_phrase(16, 16) == "all from abstracts"
    assert prose.abstracts_phrase(0, 16) == "none from abstracts"
    assert prose.abstracts_phrase(0, 0) == "none from abstracts"
    assert prose.abstracts_phrase(12, 16) == "12 of them from abstracts"


def test_comparable_sentence():
    assert prose.comparable_sentence(0).startswith("No metric–dataset–size combination")
    assert "Only 1 metric–dataset–size combination has" in prose.comparable_sentence(1)
    assert "Only 3 metric–dataset–size combinations have" in prose.comparable_sentence(3)


def test_measured_attacked_sentence():
    plain = prose.measured_attacked_sentence("pneumoniamnist", 15, 15, [], {}, [], [])
    assert "has 15 rows, and chapter 8 attacked 15 ciphers" in plain and "Every row" in plain
    full = prose.measured_attacked_sentence("pneumoniamnist", 16, 15, ["inn (random init)"],
                                            {"ae-32": "ae", "vae-32": "vae"}, ["vae-32"], ["x"])
    assert "Measured but not attacked: inn (random init), a variant" in full
    assert "ae-32 is chapter 8's ae, the same trained model" in full and "vae-32 is" not in full
    assert "another model than the one measured for vae-32" in full and "not measured on pneumoniamnist: x" in full
    assert "Every row" not in full
    two = prose.measured_attacked_sentence("d", 3, 1, ["a", "b"], {}, [], [])
    assert "a and b, variants" in two


def test_broken_lossless_sentence():
    assert prose.broken_lossless_sentence([]).startswith("No cipher that decrypts exactly")
    one = prose.broken_lossless_sentence(["chaos-logistic"])
    assert "chaos-logistic decrypts exactly" in one and "breaks it, which puts it" in one
    many = prose.broken_lossless_sentence(["a", "b"])
    assert "a and b decrypt exactly" in many and "breaks them, which puts them" in many


def test_gcm_caveat_never_recommends():
    assert prose.gcm_caveat(None, [], 0.05) == "AES-GCM was not attacked in this run."
    alone = prose.gcm_caveat(True, [], 0.05)
    assert alone.startswith("AES-GCM is the only cipher that survived every attack;") and "not a proof" in alone
    shared = prose.gcm_caveat(True, [], 0.05, ["vae-latent-gcm"], ["aes-ctr"])
    assert shared.startswith("AES-GCM survived every attack, as did vae-latent-gcm;")
    assert "aes-ctr fails only the bit-flip column" in shared and "apart from it." in shared
    assert "aes-ctr and x fail only" in prose.gcm_caveat(True, [], 0.05, [], ["aes-ctr", "x"])
    failing = prose.gcm_caveat(False, ["one pixel (NPCR, UACI)"], 0.05)
    assert "failing one pixel (NPCR, UACI)" in failing and "at 5%" in failing and "false alarm" in failing
    assert "failing a test" in prose.gcm_caveat(False, [], 0.1) and "10%" in prose.gcm_caveat(False, [], 0.1)
    for sentence in (failing, prose.gcm_caveat(True, [], 0.05)):
        assert "recommend" not in sentence and "use AES-GCM" not in sentence


def test_learned_included():
    assert prose.learned_included([]) == "none has trained weights"
    assert prose.learned_included(["gan"]) == "the one with trained weights: gan"
    assert prose.learned_included(["a", "b"]) == "the 2 with trained weights: a and b"


def test_statistics_sentence():
    broken = prose.statistics_sentence(["aes-ecb", "chaos-logistic"], 5)
    assert broken.startswith("Statistics did not predict the verdicts: aes-ecb and chaos-logistic")
    assert "agree" not in broken
    assert "also survives the attacks" in prose.statistics_sentence([], 3)
    assert prose.statistics_sentence([], 0).startswith("No cipher passes")


def test_duration_and_training_clause():
    assert prose.duration(42) == "42 s"
    assert prose.duration(210) == "3.5 min"
    assert prose.training_clause(["cpu"], 42) == "Our models are compact and were trained for at most 42 s each on the CPU"
    assert prose.training_clause(["cuda:0"], None) == "Our models are compact and were trained briefly on a GPU"
    assert prose.training_clause(["mps"], 5) .endswith("on Apple's GPU")
    assert prose.training_clause(["cpu", "cuda"], 5).endswith("on a GPU and the CPU")
    assert prose.training_clause([], None) == "Our models are compact and were trained briefly"
    assert "at most 16 min each" in prose.training_clause(["cpu"], 906)  # a bound rounds up: 906 s is not 15 min
    assert "at most 43 s each" in prose.training_clause(["cpu"], 42.2)


def test_best_lossy_sentence():
    assert prose.best_lossy_sentence(None, None) == "No lossy cipher was both measured and attacked in this run."
    plain = prose.best_lossy_sentence("vae-32", 17.2)
    assert plain.endswith("vae-32, decrypts to 17.20 dB.") and "compression curve" not in plain
    curve = prose.best_lossy_sentence("ae-32", 24.86, "ae-98", 25.78)
    assert "reaches 25.78 dB with ae-98, a model that neither the suite nor the attacks measured" in curve
    assert "compression curve" not in prose.best_lossy_sentence("ae-32", 24.86, "ae-32", 25.0)
    assert "compression curve" not in prose.best_lossy_sentence("ae-32", 24.86, "ae-16", 20.0)


def test_exactness_sentence():
    assert prose.exactness_sentence([]) == "No learned cipher here decrypts exactly."
    assert "inn decrypts exactly" in prose.exactness_sentence(["inn"])
    assert "gan and inn decrypt exactly" in prose.exactness_sentence(["gan", "inn"])


def test_kerckhoffs_sentence():
    both = prose.kerckhoffs_sentence(["gan-translation"], ["ae-keyed"])
    assert "(gan-translation) is security by obscurity, and so, in effect" in both and "(ae-keyed)" in both
    assert prose.kerckhoffs_sentence(["g"], []) == "A network whose only secret is its weights (g) is security by obscurity"
    one = prose.kerckhoffs_sentence([], ["ae-keyed"])
    assert "found ae-keyed using none of its key bits: its only secret is its weights" in one
    many = prose.kerckhoffs_sentence([], ["a", "b"])
    assert "none of their key bits: their only secret is their weights" in many
    assert "takes a key and uses it" in prose.kerckhoffs_sentence([], [])


def test_chosen_images_clause():
    assert "chapters 2 and 6 show it" in prose.chosen_images_clause(None, None)
    assert prose.chosen_images_clause(3, 3) == "3 chosen images recover an equivalent key in chapter 2 and again in chapter 6"
    assert prose.chosen_images_clause(1, 1).startswith("1 chosen image recovers")
    assert prose.chosen_images_clause(3, 4) == "3 chosen images in chapter 2 and 4 chosen images in chapter 6 recover an equivalent key"
    assert prose.chosen_images_clause(None, 3) == "3 chosen images recover an equivalent key in chapter 6"
    assert prose.chosen_images_clause(1, None) == "1 chosen image recovers an equivalent key in chapter 2"


def test_known_images_clause():
    assert prose.known_images_clause({}) == ""
    assert prose.known_images_clause({"chaos-logistic": 6}) == (
        ", and so do known X-rays in chapter 8 (6 for chaos-logistic)")


def test_algebraic_bullet():
    assert "broke none" in prose.algebraic_bullet({}, [])
    text = prose.algebraic_bullet({"a": 2, "b": 6}, [])
    assert "fall to between 2 and 6 known images: a and b." in text and "missed" not in text
    assert "would have missed b" in prose.algebraic_bullet({"a": 2, "b": 6}, ["b"])


def test_worst_share():
    assert prose.worst_share(pd.Series({"x": 0.05, "y": 0.075})) == "y at 7.50%"
    with pytest.raises(ValueError):
        prose.worst_share(pd.Series(dtype=float))


def test_learned_speed_sentence_names_the_slow_ones_and_the_variant():
    report = {"ciphers": {"fast": {"encrypt_images_per_s": 5000.0, "decrypt_images_per_s": 4000.0},
                          "inn": {"encrypt_images_per_s": 150.0, "decrypt_images_per_s": 140.0,
                                  "multiply_adds_per_image": 8.7e6},
                          "aes": {"encrypt_images_per_s": 1e6, "decrypt_images_per_s": 1e6}},
              "variants": {"inn (float32)": {"of": "inn", "options": {"precision": "float32"},
                                             "encrypt_images_per_s": 600.0, "exact_round_trip_share": 0.98}}}
    text = prose.learned_speed_sentence(report, ["fast", "inn"])
    assert text.startswith("Of the 2 learned ciphers, 1 encrypts and decrypts at least 1,000 images per second")
    assert "inn (150 images/s encrypting, 140 decrypting; 8.7 million multiply-adds per image) does not" in text
    assert "In float32, inn encrypts at 600 images/s against 150 as registered, and 98.0% of its images decrypt " \
           "exactly." in text  # the registered cipher recorded no exactness: nothing to compare
    report["ciphers"]["inn"]["exact_round_trip_share"] = 1.0
    assert "98.0% of its images decrypt exactly against 100.0% as registered" in prose.learned_speed_sentence(
        report, ["fast", "inn"])
    report["variants"]["inn (float32)"]["exact_round_trip_share"] = 1.0
    same = prose.learned_speed_sentence(report, ["fast", "inn"])
    assert "as many as registered: in this run the other setting changed the speed, not the exactness" in same
    everyone = prose.learned_speed_sentence(report, ["fast"])
    assert everyone.endswith("(fast).")


def test_contract_sentence_every_branch():
    rows = [{"check": "round trip", "passed": True, "detail": "ok"},
            {"check": "wrong key does not decrypt", "passed": False, "detail": "bit 0 does nothing"},
            {"check": "nonce not seeded", "passed": None, "detail": "deterministic"}]
    assert prose.contract_sentence(rows) == (
        "Of its 3 conformance checks, 1 passed and 1 did not apply; one failed as a finding, which does not stop "
        "the run: wrong key does not decrypt (bit 0 does nothing).")
    assert prose.contract_sentence(rows[:1]) == "Of its 1 conformance checks, 1 passed."
    with pytest.raises(ValueError):
        prose.contract_sentence([])


def test_cards_summary_names_who_reproduces_the_key():
    table = pd.DataFrame({"key sensitivity": ["reproduced", "not reproduced", "not reproduced"]},
                         index=["ae-keyed", "gan-keygen", "gan-translation"])
    text = prose.cards_summary(table)
    assert text.startswith("Of the 3 learned ciphers with a card, ae-keyed reproduces the papers' claim")
    assert "gan-keygen and gan-translation do not" in text
    none = prose.cards_summary(table.assign(**{"key sensitivity": ["not reproduced", "not comparable", "–"]}))
    assert "with a card, none reproduces" in none and "ae-keyed does not" in none
    assert "for gan-keygen and gan-translation the claim could not be compared" in none
    assert prose.cards_summary(table.iloc[:0]).startswith("No chapter saved")


def test_training_changes_sentence_separates_the_key_audit_from_the_other_attacks():
    table = pd.DataFrame({"changed": ["FAIL → pass", "no"], "attacks that still win": ["IND-CPA, known plaintext",
                                                                                        "IND-CPA"]},
                         index=["ae-keyed", "gan-keygen"])
    text = prose.training_changes_sentence(table)
    assert text.startswith("Stronger training turned the key audit of ae-keyed from FAIL to pass.")
    assert "Other attacks still win against it (ae-keyed: IND-CPA, known plaintext)" in text and "any more" not in text
    clean = prose.training_changes_sentence(table.assign(**{"attacks that still win": "none"}))
    assert clean.endswith("No attack in the suite wins against ae-keyed any more.")
    lost = prose.training_changes_sentence(table.assign(changed=["pass → FAIL", "n/a"],
                                                        **{"attacks that still win": "none"}))
    assert lost.startswith("Stronger training turned no key audit from FAIL to pass.")
    assert "ae-keyed passed for the first attempt and fails" in lost and "any more" not in lost
    assert prose.training_changes_sentence(table.iloc[:0]).startswith("No family chapter")


def test_threshold_sentence_names_the_ciphers_near_the_threshold():
    assert prose.threshold_sentence({"a": 0.1, "b": 40.0}).startswith("No cipher's best learned gain lies between 0.5")
    assert prose.threshold_sentence({"a": 1.2, "b": 40.0}).startswith("a has its best learned gain between 0.5 and 3 dB")
    assert "b and c have their" in prose.threshold_sentence({"a": 0.5, "b": 2.0, "c": 3.0})  # 0.5 is below, 3 inside


def test_protocol_glue_writes_the_level_without_an_exponent():
    from medcrypt.attacks import protocol

    values = prose.protocol_glue(protocol.CI, 17, 0.05, 28)
    assert values["n_tests"] == 17 * values["tests_per_cipher"]
    assert values["level"] == pytest.approx(0.05 / values["n_tests"])
    assert "e" not in values["level_shown"] and float(values["level_shown"]) == pytest.approx(values["level"], rel=0.05)
    assert values["ind_cpa_trials_shown"] == protocol.CI.ind_cpa_trials and values["image_side"] == 28
