"""The figures of chapters 8 and 9 draw every cipher they are given, with readable labels."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from medcrypt import plots  # noqa: E402


def test_advantage_bars_draw_one_bar_per_cipher_and_adversary():
    cpa = pd.DataFrame([{"cipher": c, "adversary": a, "advantage": v, "low": v - 0.05, "high": min(1, v + 0.05)}
                        for c, v in (("aes-ctr", 0.0), ("aes-ecb", 1.0)) for a in ("repeat query", "learned")]
                       ).set_index(["cipher", "adversary"])
    fig = plots.advantage_bars(cpa)
    ax = fig.axes[0]
    assert len(ax.patches) == 4
    assert [t.get_text() for t in ax.get_yticklabels()] == ["aes-ctr", "aes-ecb"]  # sorted by advantage


def test_security_scatter_labels_every_cipher_and_keeps_stacked_labels_apart():
    points = pd.DataFrame({"cipher": ["a", "b", "c"], "family": ["baseline"] * 3, "attacks_passed": [7, 7, 1],
                           "passed_all": [True, True, False], "ind_cpa_advantage": [0.0, 0.0, 1.0],
                           "psnr_capped": [60.0, 60.0, 20.0], "lossless": [True, True, False], "mb_s": [10.0, 11.0, 5.0]})
    fig = plots.security_scatter(points, {"baseline": "grey"}, n_attacks=7)
    left = fig.axes[0]
    labels = {t.get_text(): t.xy for t in left.texts}
    assert set(labels) == {"a", "b", "c"}
    assert labels["a"][1] != labels["b"][1]  # same score and fidelity: stacked, not on top of each other


def test_throughput_bars_draw_the_ceiling_when_given():
    rates = {"a": {"encrypt_mb_per_s": 10.0, "decrypt_mb_per_s": 5.0}}
    labels = lambda fig: [line.get_label() for line in fig.axes[0].get_lines()]  # noqa: E731
    assert any("ceiling" in label for label in labels(plots.throughput_bars(rates, ceiling=100.0)))
    assert not any("ceiling" in label for label in labels(plots.throughput_bars(rates)))
