"""The leaderboard (:mod:`medcrypt.leaderboard`): the worst seed decides a column, n/a and a cell that did not run
are never a pass, and every row carries the command that reruns exactly its cells."""

import shlex

import pandas as pd
import pytest

from medcrypt import leaderboard, sweep
from medcrypt.store import verdict_columns


def cells(states_by_seed, *, cipher="toy", status=None, profile="ci"):
    """Store rows of one leaderboard row: ``states_by_seed`` maps a seed to the state of every verdict column
    (one state for all) or to a dict column -> state."""
    rows = []
    for seed, states in states_by_seed.items():
        ran = (status or {}).get(seed, "ok") == "ok"
        row = {"cipher": cipher, "dataset": "breastmnist", "size": 28, "seed": seed, "profile": profile,
               "images": None, "status": "ok" if ran else "failed", "cipher_name": cipher if ran else None,
               "ratio_to_ceiling": 0.5 if ran else None, "effective_key_bits": 256 if ran else None,
               "wall_s": 10.0 * seed if ran else None, "medcrypt_version": "0.4.0", "git_commit": "abc1234",
               "started_utc": f"2026-12-0{seed}T09:59:00+00:00", "finished_utc": f"2026-12-0{seed}T10:00:00+00:00",
               "device": "cpu", "worker": f"host:{seed}",
               "reference_broken_by": "chosen ciphertext (bit flip)" if ran else None}
        for column in verdict_columns():
            name = column.removeprefix("verdict: ")
            state = states.get(name, "pass") if isinstance(states, dict) else states
            row[column] = state if ran else None
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.mark.parametrize("states, did_not_run, expected", [
    (["pass", "pass", "pass"], 0, "pass"),
    (["pass", "FAIL", "pass"], 0, "FAIL in 1 of 3 seeds"),
    (["FAIL", "FAIL"], 0, "FAIL"),
    (["n/a", "n/a"], 0, "n/a"),
    (["pass", "n/a"], 0, "pass in 1, n/a in 1 of 2 seeds"),
    (["pass", "pass"], 1, "pass in 2, did not run in 1 of 3 seeds"),
    (["FAIL"], 2, "FAIL in 1 of 3 seeds"),
    ([], 3, "did not run"),
])
def test_a_column_over_seeds_is_pass_only_when_every_seed_passed(states, did_not_run, expected):
    assert leaderboard.combine(states, did_not_run) == expected


def test_one_failing_seed_fails_the_row_and_names_the_column():
    frame = cells({1: "pass", 2: {"IND-CPA": "FAIL"}, 3: "pass"})
    row = leaderboard.table(frame).iloc[0]
    assert row["result"] == "FAIL: broken by IND-CPA" and row["IND-CPA"] == "FAIL in 1 of 3 seeds"
    assert not row["result"].startswith(leaderboard.WON)


def test_the_won_wording_needs_every_column_of_every_seed_to_pass():
    assert leaderboard.table(cells({1: "pass", 2: "pass", 3: "pass"})).iloc[0]["result"] == \
        f"{leaderboard.WON} (3 seeds)"
    not_applied = leaderboard.table(cells({1: "pass", 2: {"chosen plaintext": "n/a"}})).iloc[0]["result"]
    assert not_applied.startswith("no FAIL, but not judged on chosen plaintext") and leaderboard.WON not in not_applied


def test_a_cell_that_did_not_run_keeps_the_row_from_passing():
    row = leaderboard.table(cells({1: "pass", 2: "pass", 3: "pass"}, status={3: "failed"})).iloc[0]
    assert row["result"].startswith("incomplete: 1 of 3 cells raised") and row["IND-CPA"].startswith("pass in 2")
    nothing = leaderboard.table(cells({1: "pass"}, status={1: "failed"})).iloc[0]
    assert nothing["result"].startswith("did not run") and nothing["cipher"] == "toy"


def test_a_smoke_run_prints_no_verdict_but_keeps_its_fails():
    assert "no verdict" in leaderboard.table(cells({1: "pass"}, profile="smoke")).iloc[0]["result"]
    assert leaderboard.table(cells({1: {"IND-CPA": "FAIL"}}, profile="smoke")).iloc[0]["result"].startswith("FAIL")


def test_each_row_is_one_cipher_dataset_and_size_and_its_command_reruns_exactly_its_cells():
    frame = pd.concat([cells({1: "pass", 2: "pass"}), cells({1: "FAIL", 3: "FAIL"}, cipher="other")])
    table = leaderboard.table(frame, store="again")
    assert list(table["cipher"]) == ["toy", "other"]  # passes first, then by the number of FAIL columns
    for _, row in table.iterrows():
        argv = shlex.split(row["reproduce"])
        assert argv[:2] == ["medcrypt", "sweep"]
        args = sweep.parser().parse_args(argv[2:])
        rerun = sweep.grid(args.cipher, args.dataset, args.size, args.seed, args.profile, args.images)
        mine = frame[frame["cipher"] == row["cipher"]]
        assert {c.id for c in rerun} == {sweep.Cell(r.cipher, r.dataset, r.size, r.seed, r.profile).id
                                         for r in mine.itertuples()}
        assert args.store == "again"
    assert table.iloc[0][["version", "commit", "date"]].tolist() == ["0.4.0", "abc1234", "2026-12-01, 2026-12-02"]
    assert table.iloc[0]["share of the ceiling (%)"] == 50 and table.iloc[0]["seconds per cell"] == 15


def test_the_page_shortens_a_broken_rows_result_to_its_count_of_failing_columns():
    frame = pd.concat([cells({1: {"IND-CPA": "FAIL", "key audit": "FAIL"}}), cells({1: "pass"}, cipher="ok"),
                       cells({1: {"IND-CPA": "FAIL"}}, cipher="one")], ignore_index=True)
    shown = leaderboard.shown(leaderboard.table(frame)).reset_index().set_index("cipher")
    assert shown.loc["toy", "result"] == "FAIL in 2 columns" and shown.loc["one", "result"] == "FAIL in 1 column"
    assert shown.loc["ok", "result"].startswith(leaderboard.WON) and "reproduce" not in shown


def test_cell_times_give_each_ciphers_median_and_range():
    times = leaderboard.cell_times(cells({1: "pass", 2: "pass", 3: "pass"}))
    assert times.loc["toy", ["cells", "median (s)", "min (s)", "max (s)"]].tolist() == [3, 20, 10, 30]


def test_the_full_grid_is_priced_on_a_straight_line_in_the_pixel_count():
    at_28 = pd.Series({"fast": 10.0, "learned": 20.0})
    at_64 = pd.Series({"fast": 10.0 + 5 * ((64 / 28) ** 2 - 1), "learned": 20.0})
    estimate = leaderboard.grid_estimate(at_28, at_64, datasets=12, seeds=3, learned=["learned"])
    assert estimate.loc["fast", "cells"] == 12 * 4 * 3
    per_dataset_and_seed = sum(10 + 5 * ((s / 28) ** 2 - 1) for s in (28, 64, 128, 224))
    assert estimate.loc["fast", "CPU hours"] == pytest.approx(per_dataset_and_seed * 36 / 3600)
    assert estimate.loc["fast", "GPU hours"] == 0 and estimate.loc["learned", "GPU hours"] == pytest.approx(
        4 * 20 * 36 / 3600)
    assert leaderboard.estimate_sentence(estimate).startswith("288 cells for 2 ciphers, about 6 CPU core-hours")
    assert "not estimated" in leaderboard.estimate_sentence(estimate.iloc[:0])


def test_the_chapters_sentences_follow_the_store():
    from medcrypt.book.prose import leaderboard_sentences

    frame = pd.concat([cells({1: "pass", 2: "pass"}), cells({1: {"IND-CPA": "FAIL"}, 2: "pass"}, cipher="weak")],
                      ignore_index=True)
    said = leaderboard_sentences(frame, leaderboard.table(frame))
    assert said["lb_scope"].startswith("The store holds 4 cells: 2 ciphers on breastmnist at 28×28, seeds 1 and 2")
    assert "Every cell ran to its end" in said["lb_scope"]
    assert said["lb_won"] == ("In 1 of 2 rows no adversary in the battery won, over every seed: toy on breastmnist. "
                              "1 row FAILs at least one column.")
    assert "each of the 4 cells that finished, at the same level: it FAILed the bit-flip column in 4 of them" in \
        said["lb_reference"] and "no other column" in said["lb_reference"]
    assert "10.0 to 20.0 s each" in said["lb_times"] and "2 worker processes" in said["lb_times"]
    assert said["lb_grid"] == "288 cells (2 ciphers × 12 datasets × 4 sizes × 3 seeds)."

    frame.loc[frame.index[0], "reference_broken_by"] = "chosen ciphertext (bit flip); diagnosis leak"
    frame.loc[frame.index[-1], "status"] = "failed"
    weak_only = frame[frame["cipher"] == "weak"]
    said = leaderboard_sentences(frame, leaderboard.table(weak_only))
    assert "in 1 cell it also FAILed diagnosis leak" in said["lb_reference"] and "false FAILs" in said["lb_reference"]
    assert "1 cell raised, recorded with its error" in said["lb_scope"]
    assert said["lb_won"] == "In no row did every adversary of the battery lose on every seed. 1 row FAILs at least one column."
    incomplete = cells({1: "pass", 2: "pass"}, status={2: "failed"})
    assert leaderboard_sentences(incomplete, leaderboard.table(incomplete))["lb_won"].endswith(
        "The other 1 did not run on every seed; their result says which.")
    unjudged = cells({1: {"chosen plaintext": "n/a"}}, cipher="hybrid")
    said = leaderboard_sentences(unjudged, leaderboard.table(unjudged))
    assert "1 has no FAIL but a column that no attack could judge, which is not a pass (hybrid on breastmnist)" in \
        said["lb_won"]
    assert leaderboard_sentences(frame.iloc[:0], pd.DataFrame())["lb_scope"].startswith("The store is empty")


def test_the_books_store_holds_every_first_entry_once_from_committed_code():
    from medcrypt.ciphers import available, factory

    frame = leaderboard.read(leaderboard.default_store())
    book = [name for name in available() if factory(name).__module__.startswith("medcrypt.ciphers.")]
    first = sweep.grid(book, ["pneumoniamnist", "breastmnist"], [28], [1, 2, 3], "ci")
    finished = set(frame.loc[frame["status"] == "ok", "cell_id"])
    assert [str(c) for c in first if c.id not in finished] == []
    assert frame["cell_id"].is_unique and len(frame) == len(leaderboard.ResultsStore(leaderboard.default_store()).files())
    assert not frame["git_commit"].str.endswith("-dirty").any()  # every row can be rerun from its commit


def test_the_estimate_reads_both_stores_and_counts_a_cipher_that_trains_as_gpu_hours():
    at_28 = pd.concat([cells({1: "pass", 2: "pass", 3: "pass"}), cells({1: "pass"}, cipher="inn-coupling")],
                      ignore_index=True)
    at_64 = at_28.assign(size=64, wall_s=at_28["wall_s"] * 2)
    estimate = leaderboard.estimate_from_stores(at_28, at_64, datasets=2, seeds=1)
    assert estimate.loc["toy", "GPU hours"] == 0 and estimate.loc["inn-coupling", "GPU hours"] > 0
    assert estimate.loc["toy", "cells"] == 2 * 4 * 1
    assert leaderboard.estimate_from_stores(at_28, at_64.iloc[:0]).empty


def test_the_verdict_grid_colours_each_state_and_draws_one_panel_per_dataset():
    import matplotlib

    matplotlib.use("Agg")
    from medcrypt import plots

    assert [plots.verdict_code(s) for s in ["pass", "n/a", "FAIL in 1 of 3 seeds", "FAIL", "did not run",
                                            "pass in 2, n/a in 1 of 3 seeds"]] == [0, 1, 2, 3, 4, 1]
    frame = pd.concat([cells({1: {"IND-CPA": "FAIL"}, 2: "pass"}), cells({1: "pass"}, cipher="ok"),
                       cells({1: "pass"}).assign(dataset="pneumoniamnist")], ignore_index=True)
    table = leaderboard.table(frame)
    columns = [c.removeprefix("verdict: ") for c in verdict_columns()]
    fig = plots.verdict_grid(table, columns)
    panels = [ax for ax in fig.axes if ax.get_images()]
    assert [ax.get_title() for ax in panels] == ["breastmnist", "pneumoniamnist"]
    grid = panels[0].get_images()[0].get_array()
    assert grid.shape == (2, len(columns)) and grid[0, 0] == 0 and grid[1, 0] == 2  # "ok" passes first


# ------------------------------------------------------------------ what an adversarial review found (each once broken)

def test_a_verdict_that_was_not_recorded_is_not_a_pass():
    frame = cells({1: "pass", 2: "pass", 3: {"IND-CPA": None}})
    row = leaderboard.table(frame).iloc[0]
    assert row["IND-CPA"] == "pass in 2, n/a in 1 of 3 seeds" and row["result"].startswith(leaderboard.NOT_JUDGED)
    older = cells({1: "pass"}).drop(columns=["verdict: key audit"])  # a store written before a column existed
    assert leaderboard.table(older).iloc[0]["key audit"] == "n/a"
    assert not leaderboard.table(older).iloc[0]["result"].startswith(leaderboard.WON)


def test_an_empty_or_missing_store_gives_an_empty_page_or_a_clear_error(tmp_path):
    from medcrypt.book.prose import leaderboard_sentences
    from medcrypt.store import StoreError

    (tmp_path / "empty").mkdir()
    frame = leaderboard.read(tmp_path / "empty")
    table = leaderboard.table(frame)
    assert table.empty and list(table.columns) == leaderboard.TABLE_COLUMNS
    assert leaderboard.shown(table).empty and "no cells" in leaderboard.commands_markdown(table)
    assert leaderboard.cell_times(frame).empty
    assert leaderboard_sentences(frame, table)["lb_scope"].startswith("The store is empty")
    with pytest.raises(StoreError, match="no results store at .*typo"):
        leaderboard.read(tmp_path / "typo")


def test_a_row_whose_cells_all_raised_is_shown_without_figures():
    frame = pd.concat([cells({1: "pass"}, status={1: "failed"}), cells({1: "pass"}, cipher="b")], ignore_index=True)
    shown = leaderboard.shown(leaderboard.table(frame)).reset_index().set_index("cipher")
    assert shown.loc["toy", "share of the ceiling (%)"] == "unknown" and shown.loc["toy", "IND-CPA"] == "did not run"


def test_rows_that_differ_only_in_images_or_class_are_told_apart():
    frame = pd.concat([cells({1: "pass"}), cells({1: {"IND-CPA": "FAIL"}}).assign(images=50),
                       cells({1: "pass"}, cipher="my.module:Toy").assign(cipher_name="toy")], ignore_index=True)
    table = leaderboard.table(frame)
    assert sorted(table["cipher"]) == ["toy (my.module:Toy)", "toy (toy)", "toy (toy)"]
    shown = leaderboard.shown(table)
    assert "images" in shown.index.names and shown.index.is_unique


def test_the_sentences_name_sizes_when_there_are_several_and_keep_smoke_rows_apart():
    from medcrypt.book.prose import leaderboard_sentences

    frame = pd.concat([cells({1: "pass"}), cells({1: {"IND-CPA": "FAIL"}}).assign(size=64),
                       cells({1: "pass"}, cipher="plumbing", profile="smoke")], ignore_index=True)
    said = leaderboard_sentences(frame, leaderboard.table(frame))["lb_won"]
    assert "toy on breastmnist at 28×28." in said and "1 row ran at the smoke profile's sizes only" in said
    assert "did not run" not in said
    one = cells({1: "pass"})
    assert leaderboard_sentences(one, leaderboard.table(one))["lb_scope"].startswith(
        "The store holds 1 cell: 1 cipher on breastmnist at 28×28, seed 1,")


def test_the_grid_legend_says_grey_is_n_a_or_not_run_and_white_is_never_run():
    from medcrypt import plots

    labels = [label for _, _, label in plots.VERDICT_STATES]
    assert plots.verdict_code("pass in 2, did not run in 1 of 3 seeds") == 1
    assert "did not run" in labels[1] and labels[4] == "did not run on any seed"
