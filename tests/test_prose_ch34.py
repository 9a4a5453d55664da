"""Sentences of chapters 3 and 4 chosen by computed values: every branch."""

import math

import pytest

from medcrypt import verdicts
from medcrypt.book import prose


# ------------------------------------------------------------------ shared small helpers




@pytest.mark.parametrize("device, expected", [("cpu", "on a CPU"), ("cuda", "on a GPU"), ("cuda:1", "on a GPU"),
                                              ("mps", "on an Apple GPU (MPS)"), ("xpu", "on a xpu device")])
def test_on_device(device, expected):
    assert prose.on_device(device) == expected


def test_on_device_reads_a_torch_device():
    torch = pytest.importorskip("torch")
    assert prose.on_device(torch.device("cpu")) == "on a CPU"


def test_loss_trend_every_branch():
    assert prose.loss_trend("loss", [0.5, 0.3, 0.2]) == "loss fell from 0.500 to 0.200"
    assert prose.loss_trend("loss", [0.2, 0.5]) == "loss rose from 0.200 to 0.500"
    assert prose.loss_trend("loss", [0.50, 0.51]) == "loss stayed near 0.500 (ending at 0.510)"
    assert prose.loss_trend("loss", [0.25]) == "loss was 0.250 after its single epoch"
    assert prose.loss_trend("loss", [0.0004, 0.0001]) == "loss fell from 4.0e-04 to 1.0e-04"
    with pytest.raises(ValueError):
        prose.loss_trend("loss", [])


def test_critic_verdict_every_branch():
    assert "still tells them apart" in prose.critic_verdict(0.1, 0.25)
    assert "had not settled" in prose.critic_verdict(0.869, 0.5)
    near = prose.critic_verdict(0.27, 0.25)
    assert near.startswith("0.270, close to the 0.25") and "fooled" in near


# ------------------------------------------------------------------ chapter 3

def test_key_sensitivity_sentence_every_branch():
    expected, critical = 0.996094, 0.9958
    good = prose.key_sensitivity_sentence(0.9961, 0.9960, expected, critical)
    assert "as two independent uniform images would" in good and "is key sensitive" in good
    bad = prose.key_sensitivity_sentence(0.7579, 0.9633, expected, critical)
    assert "Even key images of unrelated seeds differ in only 96.33%" in bad
    assert "below the 99.58%" in bad and "only 75.79%" in bad and "nearby key images" in bad
    mixed = prose.key_sensitivity_sentence(0.7, 0.9961, expected, critical)
    assert "as two independent uniform images would" in mixed and "only 70.00%" in mixed
    assert "is key sensitive" in prose.key_sensitivity_sentence(0.9961, 0.9, expected, critical)


def test_keygen_sensitivity_clause():
    assert prose.keygen_sensitivity_clause(0.75, 0.9958) == "poor key sensitivity"
    assert "passes" in prose.keygen_sensitivity_clause(0.9961, 0.9958)


def test_two_time_pad_sentence_never_prints_a_boolean():
    assert prose.two_time_pad_sentence(784, 784).endswith("at all 784 pixels")
    partial = prose.two_time_pad_sentence(700, 784)
    assert "only 700 of 784 pixels" in partial and "did not cancel" in partial
    assert "True" not in prose.two_time_pad_sentence(784, 784)


def test_wrong_seed_sentence_every_branch():
    assert "reveals much of the X-ray" in prose.wrong_seed_sentence(28.32, 9.30)
    assert "19.02 dB above" in prose.wrong_seed_sentence(28.32, 9.30)
    assert "decrypts to noise" in prose.wrong_seed_sentence(10.0, 9.30)
    assert "rejected" in prose.wrong_seed_sentence(None, 9.30)


def test_uniformity_clause_every_branch():
    assert prose.uniformity_clause(0.0, 0.05) == "the pooled histogram is not uniform (pooled χ² p-value < 0.0001, below α = 0.05)"
    assert "passes the uniformity test (pooled χ² p-value 0.941" in prose.uniformity_clause(0.941, 0.05)


def test_throughput_sentence_orders_by_encryption_speed():
    sentence = prose.throughput_sentence({"a": 3.5, "b": 170.4, "c": 0.28}, {"a": 3.0, "b": 150.0, "c": 0.3})
    assert sentence.startswith("Fastest to encrypt is b at 170.4 MB/s (decryption 150.0 MB/s), then a at 3.5 MB/s")
    assert "c at 0.28 MB/s" in sentence and "609 times as fast" in sentence
    assert "2.0 times" in prose.throughput_sentence({"a": 2.0, "b": 1.0}, {"a": 2.0, "b": 1.0})
    assert prose.throughput_sentence({"aes-ctr": 1234.5}, {"aes-ctr": 1000.0}) == \
        "Only aes-ctr at 1,234.5 MB/s (decryption 1,000.0 MB/s) was measured."
    assert prose.throughput_sentence({"a": 2.0, "b": 0.0}, {"a": 2.0, "b": 0.0}).endswith("b at 0 MB/s (decryption 0 MB/s).")
    with pytest.raises(ValueError):
        prose.throughput_sentence({}, {})


# ------------------------------------------------------------------ chapter 4

@pytest.mark.parametrize("right, wrong, outcome", [(15.13, 15.19, "reconstruction"), (22.68, 22.66, "reconstruction"),
                                                   (22.0, 10.0, "wrong key"), (22.0, None, "wrong key"),
                                                   (22.0, 16.0, "neither"), (10.0, 10.0, "none")])
def test_keyed_outcome_every_branch(right, wrong, outcome):
    assert prose.keyed_outcome(right, wrong, noise_psnr=9.3) == outcome


def test_keyed_outcome_sentence_every_branch():
    assert prose.keyed_outcome_sentence("reconstruction", 22.68, 22.66, 9.3).startswith("Reconstruction won")
    assert "22.66 dB, against 22.68 dB" in prose.keyed_outcome_sentence("reconstruction", 22.68, 22.66, 9.3)
    assert prose.keyed_outcome_sentence("wrong key", 22.0, 10.0, 9.3).startswith("The wrong-key term won")
    assert "nothing (the key is rejected)" in prose.keyed_outcome_sentence("wrong key", 22.0, None, 9.3)
    assert "costs 6.00 dB" in prose.keyed_outcome_sentence("neither", 22.0, 16.0, 9.3)
    assert "not yet learned" in prose.keyed_outcome_sentence("none", 10.0, 10.0, 9.3)
    with pytest.raises(ValueError):
        prose.keyed_outcome_sentence("draw", 1.0, 1.0, 1.0)


@pytest.mark.parametrize("outcome, phrase", [("reconstruction", "no wrong-key failure"), ("wrong key", "to about noise"),
                                             ("neither", "far better than noise"), ("none", "even the right key")])
def test_keyed_summary_every_branch(outcome, phrase):
    summary = prose.keyed_summary(outcome, 0.0, 0.05)
    assert phrase in summary and "was not uniform" in summary
    assert "passed the uniformity test" in prose.keyed_summary(outcome, 0.5, 0.05)


def test_diffusion_sentence_and_summary_every_branch():
    critical = 0.9958
    both = prose.diffusion_sentence(0.0005, 0.3187, critical)
    assert both.startswith("A one-pixel change") and "both below the 99.58%" in both and "opposite of diffusion" in both
    assert "both above" in prose.diffusion_sentence(0.9961, 0.9962, critical)
    assert "only the key change stays below" in prose.diffusion_sentence(0.9961, 0.3, critical)
    assert "only the plaintext change stays below" in prose.diffusion_sentence(0.3, 0.9961, critical)
    assert "one changed pixel or key bit changes only part" in prose.diffusion_summary(0.0005, 0.3, critical)
    assert "one changed key bit changes only part" in prose.diffusion_summary(0.9961, 0.3, critical)
    assert prose.diffusion_summary(0.9961, 0.9962, critical).startswith("In this run one changed pixel or key bit")


def test_vae_sentence_every_branch():
    assert "0.52 dB higher" in prose.vae_sentence(17.20, 16.68)
    assert "2.00 dB lower, the price of a regular latent space" in prose.vae_sentence(15.0, 17.0)
    assert "within 0.5 dB" in prose.vae_sentence(17.0, 17.2)
    assert "no plain autoencoder" in prose.vae_sentence(17.0, None)
    assert "no plain autoencoder" in prose.vae_sentence(17.0, math.nan)


def test_correlation_sentence_every_branch():
    pairs = {"horizontal": 145_800, "vertical": 145_800, "diagonal": 140_000}
    bound = verdicts.correlation_bound(145_800, 0.05)
    assert bound == pytest.approx(1.959964 / math.sqrt(145_800))
    one = prose.correlation_sentence({"horizontal": 0.001, "vertical": -0.002, "diagonal": -0.39}, pairs, 0.05)
    assert one.startswith("The cipher images' diagonal correlation (Corr. D -0.3900) is significantly different from 0")
    many = prose.correlation_sentence({"horizontal": -0.62, "vertical": -0.30, "diagonal": 0.24}, pairs, 0.05,
                                      subject="its cipher images'")
    assert many.startswith("Its cipher images' horizontal, vertical and diagonal correlations (Corr. H -0.6200")
    assert "are significantly different from 0" in many
    none = prose.correlation_sentence({"horizontal": 0.001, "vertical": math.nan, "diagonal": None}, pairs, 0.05)
    assert "all within the ±" in none
    assert "could not be measured" in prose.correlation_sentence({"vertical": math.nan}, pairs, 0.05)


def test_auc_compression_sentence_never_calls_a_flat_result_a_trend():
    flat = prose.auc_compression_sentence({8.0: 0.914, 24.5: 0.916, 49.0: 0.915}, tolerance=0.02)
    assert flat.startswith("it is flat") and "fall" not in flat and "rise" not in flat
    falls = prose.auc_compression_sentence({8.0: 0.90, 24.5: 0.85, 49.0: 0.80}, tolerance=0.02)
    assert falls.startswith("it falls as the compression grows, from 0.900 at 8:1 to 0.800 at 49:1")
    rises = prose.auc_compression_sentence({8.0: 0.80, 24.5: 0.85, 49.0: 0.90}, tolerance=0.02)
    assert rises.startswith("it rises as the compression grows")
    zigzag = prose.auc_compression_sentence({8.0: 0.80, 24.5: 0.90, 49.0: 0.70}, tolerance=0.02)
    assert "without a steady direction" in zigzag
    assert "one compression ratio" in prose.auc_compression_sentence({8.0: 0.9}, tolerance=0.02)
    with pytest.raises(ValueError):
        prose.auc_compression_sentence({}, tolerance=0.02)


def test_lossy_auc_sentence_every_branch():
    assert prose.lossy_auc_sentence(0.906, {"a": 0.55, "b": 0.56}, 0.04).startswith("Every lossy scheme gave up")
    assert prose.lossy_auc_sentence(0.906, {"a": 0.90, "b": 0.91}, 0.04).startswith("No lossy scheme lost")
    some = prose.lossy_auc_sentence(0.906, {"a": 0.55, "b": 0.90}, 0.04)
    assert some.startswith("In this run a gave up") and "the others did not" in some


def test_accuracy_sentence_every_branch():
    falls = prose.accuracy_sentence(0.869, {"ae-keyed": 0.625, "ae-latent-gcm-98": 0.694}, 0.625, "pneumonia")
    assert "86.9% on the original test images and falls to between 62.5% and 69.4%" in falls
    assert "always answering 'pneumonia'" in falls and "Of the lossy variants, ae-keyed is at or below it" in falls
    above = prose.accuracy_sentence(0.869, {"a": 0.80, "b": 0.70}, 0.625, "pneumonia")
    assert above.endswith("Every lossy variant stays above it.")
    every = prose.accuracy_sentence(0.869, {"a": 0.60, "b": 0.625}, 0.625, "pneumonia")
    assert "Every lossy variant falls to it or below" in every
    two = prose.accuracy_sentence(0.869, {"a": 0.60, "b": 0.62, "c": 0.8}, 0.625, "pneumonia")
    assert "a and b are at or below it" in two
    flat = prose.accuracy_sentence(0.585, {"a": 0.585, "b": 0.585}, 0.585, "pneumonia")
    assert "stays at 58.5%" in flat and "Even on the original images" in flat
    assert "falls to 60.0%" in prose.accuracy_sentence(0.8, {"a": 0.6}, 0.5, "x")
    assert "rises to between 85.0% and 90.0%" in prose.accuracy_sentence(0.8, {"a": 0.85, "b": 0.9}, 0.5, "x")
    assert "rises to 90.0%" in prose.accuracy_sentence(0.8, {"a": 0.9}, 0.5, "x")
    assert "lies between 70.0% and 90.0%" in prose.accuracy_sentence(0.8, {"a": 0.7, "b": 0.9}, 0.5, "x")


def _attempt_record(label, matter, psnr, claimed=128):
    return {"label": label, "psnr_db": psnr, "audit": {"effective_bits": matter, "claimed_bits": claimed,
                                                       "all_matter": matter == claimed}}


def test_attempts_sentence_names_the_first_and_the_chosen_attempt():
    records = [_attempt_record("as first built", 0, 22.24), _attempt_record("+ key diversity", 128, 18.7)]
    text = prose.attempts_sentence("ae-keyed", records, "+ key diversity")
    assert text.startswith("As first built, 0 of 128 key bits of ae-keyed matter, with decryption at 22.24 dB.")
    assert "reaches 128 of 128 key bits with decryption at 18.70 dB: every audited bit matters" in text
    partial = prose.attempts_sentence("gan-keygen", [_attempt_record("a", 0, math.inf), _attempt_record("b", 107, math.inf)], "b")
    assert "exact decryption" in partial and "still only 107 of 128 key bits matter" in partial
    alone = prose.attempts_sentence("x", records[:1], "as first built")
    assert "No later attempt did better" in alone
    with pytest.raises(ValueError):
        prose.attempts_sentence("x", records, "not an attempt")
    with pytest.raises(ValueError):
        prose.attempts_sentence("x", [], "a")


def test_card_sentence_and_fidelity_evidence():
    assert prose.card_sentence("c", ["reproduced", "not comparable", "not comparable"]) == \
        "Of the 3 claims on the card of c: 1 reproduced, 2 not comparable."
    with pytest.raises(ValueError):
        prose.card_sentence("c", ["maybe"])
    text = prose.fidelity_evidence([(49.0, 16.8), (8.0, 17.37), (24.5, 17.0)])
    assert "rises from 16.80 dB at 49:1 to 17.37 dB at 8:1" in text
    assert "falls" in prose.fidelity_evidence([(49.0, 18.0), (8.0, 17.0)])
    with pytest.raises(ValueError):
        prose.fidelity_evidence([(8.0, 17.0)])


def test_attempts_psnr_and_block_evidence():
    records = [{"label": "as first built", "psnr_db": 22.238}, {"label": "+ key diversity", "psnr_db": 18.7}]
    assert prose.attempts_psnr_evidence(records, "4.2") == (
        "loss-term ablation (section 4.2): decryption PSNR 22.24 dB (as first built), 18.70 dB (+ key diversity)")
    assert prose.block_evidence(4, 784).endswith("at most 16 of 784 cipher pixels (2.04 %)")
    with pytest.raises(ValueError):
        prose.block_evidence(29, 784)
    with pytest.raises(ValueError):
        prose.attempts_psnr_evidence([], "4.2")
