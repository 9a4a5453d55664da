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


def test_gain_curves_draw_one_panel_per_cipher_and_mark_gains_above_the_axis():
    kpa = pd.DataFrame([{"cipher": c, "pairs": n, "gain (dB)": g} for c, gains in
                        (("a", (0.1, 0.2)), ("b", (2.0, float("inf"))), ("c", (-1.0, 0.5))) for n, g in zip((10, 100), gains)])
    fig = plots.gain_curves(kpa, threshold=1.0, top=15.0, columns=2)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in shown] == ["a", "b", "c"]
    assert all(ax.get_ylim()[1] == 15.0 for ax in shown)  # exact recovery does not stretch the axis
    triangles = [line for line in shown[1].get_lines() if line.get_marker() == "^"]
    assert len(triangles) == 1 and list(triangles[0].get_ydata()) == [15.0]


def test_leakage_bars_do_not_paint_a_cipher_green():
    leakage = pd.DataFrame({"cipher": ["a", "b"], "auc": [0.5, 0.9], "auc_p_value": [0.5, 1e-9]})
    fig = plots.leakage_bars(leakage, level=0.001)
    colours = {tuple(round(c, 3) for c in bar.get_facecolor()) for bar in fig.axes[0].patches}
    assert not any(g > r + 0.2 and g > b + 0.2 for r, g, b, _ in colours) and len(colours) == 2  # no green
    assert fig.axes[0].get_xlim()[0] == 0.0
