import json
import math

import numpy as np
import pandas as pd
import pytest

from medcrypt import results
from medcrypt.notebook import plain_number


def test_results_round_trip_with_numpy_values_and_infinities(tmp_path):
    rows = [{"cipher": "aes-ctr", "npcr": np.float64(0.996), "n": np.int64(3), "decrypt_psnr": math.inf,
             "per_image": np.array([1.0, 2.0])},
            {"cipher": "identity", "npcr": 0.0013, "n": 3, "decrypt_psnr": math.inf, "per_image": [0.0]}]
    meta = results.run_metadata(chapter="01_metrics", profile="ci", seed=1, wall_time_s=2.5)
    path = results.write_results(tmp_path / "results", "01_metrics", rows, meta)
    payload = json.loads(path.read_text())
    assert payload["metadata"]["versions"]["numpy"] == np.__version__
    assert payload["metadata"]["profile"] == "ci" and payload["metadata"]["device"]
    frame = results.read_results(tmp_path / "results")
    assert list(frame["cipher"]) == ["aes-ctr", "identity"] and (frame["chapter"] == "01_metrics").all()
    assert frame["npcr"][0] == 0.996 and frame["decrypt_psnr"][0] == math.inf


def test_reading_an_empty_folder_says_what_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="make book"):
        results.read_results(tmp_path)


def test_summary_table_shows_fractions_in_percent():
    table = results.summary_table([{"cipher": "a", "npcr": 0.99609, "nist_passed": 7, "corr_h_pooled": 0.00123}])
    assert table.loc["a", "NPCR %"] == 99.61
    assert table.loc["a", "NIST passed"] == 7
    assert table.loc["a", "Corr. H"] == 0.0012


def test_plain_number_turns_numpy_scalars_into_python_numbers():
    assert type(plain_number(np.float64(1.5))) is float
    assert type(plain_number(np.int64(3))) is int
    assert plain_number("text") == "text" and plain_number(True) is True


def test_summary_table_marks_ciphers_that_reject_a_wrong_key():
    table = results.summary_table([{"cipher": "aes-gcm", "wrong_key_psnr": None, "wrong_key_rejected": True},
                                   {"cipher": "aes-ctr", "wrong_key_psnr": 9.3, "wrong_key_rejected": False}])
    assert table["Wrong key rejected"].tolist() == [True, False]
    assert math.isnan(table.loc["aes-gcm", "Wrong-key PSNR (dB)"])


def test_figures_draw_without_error():
    import matplotlib

    matplotlib.use("Agg")
    from medcrypt import plots

    images = np.random.default_rng(0).integers(0, 256, (6, 28, 28), dtype=np.uint8)
    assert len(plots.image_grid({"a": images, "b": images}, n=6).axes) == 12
    assert len(plots.histogram_panel({"a": images}).axes) == 1
    assert len(plots.adjacent_scatter({"a": images}).axes) == 3
    fig = plots.pipeline_diagram({"x": ["one", "two", "a much longer step"]})
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_text()]
    assert labels == ["x", "one", "two", "a\nmuch longer step"]  # long steps wrap onto two lines
    assert len(fig.axes[0].texts) - len(labels) == 2  # one arrow between each pair of steps
    rates = {"a": {"encrypt_mb_per_s": 1.0, "decrypt_mb_per_s": 2.0}, "b": {"encrypt_mb_per_s": 30.0, "decrypt_mb_per_s": 9.0}}
    bars = plots.throughput_bars(rates).axes[0]
    assert len(bars.patches) == 4 and bars.get_xscale() == "log"


def test_styled_summary_shows_no_nan_or_inf():
    import math

    table = results.summary_table([{"cipher": "aes-gcm", "decrypt_psnr": math.inf, "wrong_key_psnr": None,
                                    "npcr": 0.99609, "nist_passed": 7}])
    html = results.styled(table).to_html()
    assert "∞" in html and "–" in html and "99.61" in html
    assert "nan" not in html.lower() and "inf<" not in html


def test_readable_shows_no_raw_values():
    table = pd.DataFrame({"flag": [True, False], "gain": [float("inf"), -2.345678], "count": [6.0, float("nan")],
                          "name": ["a", None]})
    shown = results.readable(table, missing="does not fit")
    assert shown["flag"].tolist() == ["yes", "no"]
    assert shown["gain"].tolist() == ["∞", "-2.346"]
    assert shown["count"].tolist() == ["6", "does not fit"]
    assert shown["name"].tolist() == ["a", "does not fit"]


def test_the_run_banner_names_profile_device_and_versions():
    from medcrypt.results import run_banner

    text = run_banner("ci", 11.4, "2026-12-01", "Intel Xeon, 2 logical cores",
                      {"device_training": "cpu", "versions": {"torch": "2.14.1", "numpy": "2.4.6"}})
    assert "`ci` profile" in text and "in 11 s on Intel Xeon, 2 logical cores, training on the CPU" in text
    assert "PyTorch 2.14.1, NumPy 2.4.6" in text and text.startswith("```{admonition}")
    gpu = run_banner("full", 600, "2026-12-01", "NVIDIA H200", {"device_training": "cuda:0"})
    assert "training on the GPU" in gpu and "book-quality" in gpu and " with " not in gpu
    assert "training" not in run_banner("ci", 3, "2026-12-01", "a laptop")
    with pytest.raises(ValueError, match="unknown profile"):
        run_banner("fast", 1, "2026-12-01", "x")
