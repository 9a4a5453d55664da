import json
import math

import numpy as np
import pandas as pd
import pytest

from medcrypt import results
from medcrypt.book.notebook import plain


def test_results_round_trip_with_numpy_values_and_infinities(tmp_path):
    rows = [{"cipher": "aes-ctr", "npcr": np.float64(0.996), "n": np.int64(3), "decrypt_psnr": math.inf,
             "per_image": np.array([1.0, 2.0])},
            {"cipher": "identity", "npcr": 0.0013, "n": 3, "decrypt_psnr": math.inf, "per_image": [0.0]}]
    meta = results.run_metadata(chapter="01_metrics", profile="ci", seed=1, wall_time_s=2.5)
    path = results.write_results(tmp_path / "results", "01_metrics", rows, meta)
    payload = json.loads(path.read_text())
    assert payload["metadata"]["versions"]["numpy"] == np.__version__
    assert payload["metadata"]["profile"] == "ci" and payload["metadata"]["device"]
    frame = pd.DataFrame(payload["rows"])
    assert list(frame["cipher"]) == ["aes-ctr", "identity"] and list(frame["per_image"][0]) == [1.0, 2.0]
    assert frame["npcr"][0] == 0.996 and frame["decrypt_psnr"][0] == math.inf


def test_the_profile_is_stamped_on_every_row_when_written(tmp_path):
    meta = results.run_metadata(chapter="02_baselines", profile="full", seed=0, wall_time_s=0.0)
    path = results.write_results(tmp_path, "02_baselines", [{"cipher": "a", "profile": ""}, {"cipher": "b"}], meta)
    assert [r["profile"] for r in json.loads(path.read_text())["rows"]] == ["full", "full"]
    with pytest.raises(ValueError, match="run_metadata"):
        results.write_results(tmp_path, "02_baselines", [{"cipher": "a"}], {"chapter": "02_baselines"})


def test_save_chapter_writes_rows_with_run_metadata(tmp_path):
    import time

    path = results.save_chapter(tmp_path, "05_invertible", [{"cipher": "x"}], profile="ci", seed=7,
                                started=time.perf_counter(), checkpoints={"inn-coupling": "w.pt"})
    payload = json.loads(path.read_text())
    assert path.name == "05_invertible.json" and payload["rows"] == [{"cipher": "x", "profile": "ci"}]
    meta = payload["metadata"]
    assert meta["chapter"] == "05_invertible" and meta["seed"] == 7 and meta["wall_time_s"] >= 0
    assert meta["checkpoints"] == {"inn-coupling": "w.pt"} and meta["versions"]["numpy"] == np.__version__


def _contenders(seed=0):
    from medcrypt.ciphers import get

    aes, identity = get("aes-ctr", unsafe_test_nonce_seed=seed), get("identity")
    identity.name = "identity-variant"  # an instance may rename itself; its registry name stays
    return {"AES label": (aes, aes.keygen(seed=seed)), "identity": (identity, identity.keygen(seed=seed))}


def test_evaluate_all_gives_one_row_per_cipher_and_test_set_with_label_and_registry_name():
    rng = np.random.default_rng(0)
    tests = {"set-a": rng.integers(0, 256, (8, 16, 16), dtype=np.uint8),
             "set-b": rng.integers(0, 256, (8, 16, 16), dtype=np.uint8)}
    rows = results.evaluate_all(_contenders(), tests, training_time_s={"AES label": 1.5}, seed=0, nist=False)
    assert [(r["dataset"], r["cipher"]) for r in rows] == [("set-a", "AES label"), ("set-a", "identity"),
                                                         ("set-b", "AES label"), ("set-b", "identity")]
    assert [r["registry_name"] for r in rows[:2]] == ["aes-ctr", "identity"] and rows[1]["cipher"] == "identity"
    assert rows[0]["training_time_s"] == 1.5 and rows[1]["training_time_s"] is None
    assert rows[0]["npcr"] > 0.99 and rows[1]["npcr"] < 0.01


@pytest.mark.parametrize("call, fragment", [
    (lambda c, t: results.evaluate_all(c, t, profile="ci"), "stamps it"),
    (lambda c, t: results.evaluate_all({}, t), "at least one cipher"),
    (lambda c, t: results.evaluate_all(c, {}), "at least one cipher"),
    (lambda c, t: results.evaluate_all(c, t, training_time_s={"nobody": 1.0}), "not labels"),
])
def test_evaluate_all_rejects_bad_input(call, fragment):
    with pytest.raises(ValueError, match=fragment):
        call(_contenders(), {"set": np.zeros((2, 8, 8), np.uint8)})


def test_summary_table_shows_fractions_in_percent():
    table = results.summary_table([{"cipher": "a", "npcr": 0.99609, "nist_passed": 7, "corr_h_pooled": 0.00123}])
    assert table.loc["a", "NPCR %"] == 99.61
    assert table.loc["a", "NIST passed"] == 7
    assert table.loc["a", "Corr. H"] == 0.0012


def test_plain_turns_numpy_values_into_python_ones_everywhere():
    assert type(plain(np.float64(1.5))) is float and type(plain(np.int64(3))) is int
    assert plain("text") == "text" and plain(True) is True and type(plain(np.bool_(True))) is bool
    nested = plain({1: [np.float32(0.5), (np.int8(2),)], "a": np.arange(2)})
    assert nested == {"1": [0.5, (2,)], "a": [0, 1]} and type(nested["a"][0]) is int
    json.dumps(nested)


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
    # PyTorch is named only for a chapter with networks; a page without them gets the others.
    plain = run_banner("ci", 3, "2026-12-01", "m", {"versions": {"torch": "2.14.1", "numpy": "2.4.6"}})
    assert "PyTorch" not in plain and "NumPy 2.4.6" in plain


def test_the_run_banner_says_when_training_used_a_subset_copy():
    from medcrypt.results import run_banner

    subset = run_banner("full", 9, "2026-12-01", "m", {}, ("pneumoniamnist", 3882, 3882, 4708))
    assert "all 3,882 images" in subset and "3,882 of the official 4,708 images: a subset copy" in subset
    drawn = run_banner("ci", 9, "2026-12-01", "m", {}, ("pneumoniamnist", 640, 3882, 4708))
    assert "on 640 images" in drawn and "all" not in drawn.split("It trained")[1].split("images")[0]
    whole = run_banner("full", 9, "2026-12-01", "m", {}, ("pneumoniamnist", 4708, 4708, 4708))
    assert "(4,708 images)" in whole and "subset" not in whole


def test_the_runner_reads_the_training_data_from_the_metadata(shared_root, monkeypatch):
    from medcrypt import data
    from medcrypt.book import runner

    monkeypatch.setenv("MEDMNIST_ROOT", str(shared_root))
    found, official = data.split_sizes("pneumoniamnist")
    assert official == 4708 and 0 < found <= official
    assert runner.training_data({"dataset": "pneumoniamnist", "n_train": None}) == ("pneumoniamnist", found, found,
                                                                                      official)
    assert runner.training_data({"datasets": ["pneumoniamnist"], "n_train": 64})[1] == 64
    assert runner.training_data({"datasets": ["pneumoniamnist"]}) is None  # trained on nothing


def test_one_column_table_serves_the_chapters_and_the_leaderboard():
    from medcrypt.book import compare

    assert all(compare.BOARD_COLUMNS[key] == results.METRIC_COLUMNS[key] for key in compare.BOARD_COLUMNS)
    assert all(results.SUMMARY_COLUMNS[key] == results.METRIC_COLUMNS[key] for key in results.SUMMARY_COLUMNS)
    assert results.label("npcr") == "NPCR %" and compare.NIST_RUN == results.label("nist_run")
    with pytest.raises(ValueError, match="the columns are"):
        results.label("npcr_percent")
