"""The results store of ``medcrypt sweep`` (:mod:`medcrypt.store`): one atomic Parquet file per cell, nothing lost,
nothing repeated, and a file that cannot be read is named in the error."""

import pandas as pd
import pytest

from medcrypt import store
from medcrypt.store import ResultsStore, StoreError

KEYS = {"cipher": "aes-gcm", "dataset": "breastmnist", "size": 28, "seed": 1, "profile": "ci", "images": None}


def ok_row(**change):
    return {**KEYS, "status": "ok", "passed_all": True, "verdict: IND-CPA": "pass", "wall_s": 3.5, **change}


def failed_row(**change):
    return {**KEYS, "status": "failed", "error": "RuntimeError: boom", **change}


def test_a_cell_id_depends_on_every_key_and_on_nothing_else():
    base = store.cell_id(KEYS)
    assert store.cell_id(dict(reversed(list(KEYS.items())))) == base
    assert store.cell_id({**KEYS, "status": "ok", "wall_s": 9}) == base
    for key, other in [("cipher", "aes-ctr"), ("dataset", "pneumoniamnist"), ("size", 64), ("seed", 2),
                       ("profile", "full"), ("images", 24)]:
        assert store.cell_id({**KEYS, key: other}) != base, key
    with pytest.raises(ValueError, match="missing"):
        store.cell_id({"cipher": "x"})


def test_cells_round_trip_and_the_folder_is_a_plain_parquet_dataset(tmp_path):
    results = ResultsStore(tmp_path / "store")
    results.append(ok_row())
    results.append(failed_row(seed=2))
    frame = results.read().sort_values("seed")
    assert list(frame["status"]) == ["ok", "failed"] and list(frame["seed"]) == [1, 2]
    assert frame.iloc[1]["error"] == "RuntimeError: boom" and frame.iloc[0]["verdict: IND-CPA"] == "pass"
    plain = pd.read_parquet(tmp_path / "store")  # one schema for every file: pandas reads the folder as it is
    assert len(plain) == 2 and set(plain["cell_id"]) == set(frame["cell_id"])


def test_recording_a_cell_again_replaces_it_and_a_failure_never_replaces_a_finished_cell(tmp_path):
    results = ResultsStore(tmp_path)
    results.append(failed_row())
    results.append(ok_row(wall_s=1.0))
    results.append(ok_row(wall_s=2.0))
    results.append(failed_row())
    frame = results.read()
    assert len(results.files()) == 1 and len(frame) == 1
    assert frame.iloc[0]["status"] == "ok" and frame.iloc[0]["wall_s"] == 2.0


def test_finished_lists_only_cells_that_ran_so_a_rerun_repeats_the_failed_ones(tmp_path):
    results = ResultsStore(tmp_path)
    results.append(ok_row())
    results.append(failed_row(seed=2))
    assert results.finished() == {store.cell_id(KEYS)}
    assert list(results.failed()["seed"]) == [2]


def test_a_missing_or_empty_store_reads_as_no_cells(tmp_path):
    assert ResultsStore(tmp_path / "nothing").read().empty
    assert ResultsStore(tmp_path / "nothing").finished() == set()


def test_a_temporary_file_of_an_interrupted_write_is_ignored(tmp_path):
    results = ResultsStore(tmp_path)
    results.append(ok_row())
    (tmp_path / f"{store.TEMPORARY_PREFIX}deadbeef.parquet").write_bytes(b"PAR1 half a write")
    assert len(results.read()) == 1


def test_a_corrupt_file_is_named_in_the_error(tmp_path):
    results = ResultsStore(tmp_path)
    results.append(ok_row())
    bad = tmp_path / "cell-0000000000000000.parquet"
    bad.write_bytes(b"this is not parquet at all")
    with pytest.raises(StoreError, match=str(bad)) as caught:
        results.read()
    assert "Delete it and rerun the sweep" in str(caught.value)


def test_a_partial_file_is_named_in_the_error(tmp_path):
    results = ResultsStore(tmp_path)
    path = results.append(ok_row())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a copy cut short
    with pytest.raises(StoreError, match=str(path)):
        results.finished()


def test_a_foreign_parquet_file_in_the_store_is_named_in_the_error(tmp_path):
    stranger = tmp_path / "other.parquet"
    pd.DataFrame({"x": [1, 2]}).to_parquet(stranger)
    with pytest.raises(StoreError, match="other.parquet.*not a cell"):
        ResultsStore(tmp_path).read()


def test_a_row_that_the_schema_does_not_know_or_without_a_status_is_refused(tmp_path):
    results = ResultsStore(tmp_path)
    with pytest.raises(ValueError, match="no column for \\['surprise'\\]"):
        results.append(ok_row(surprise=1))
    with pytest.raises(ValueError, match="status"):
        results.append({**KEYS, "status": "maybe"})
    assert results.files() == []


def test_one_cell_is_one_file_whatever_the_number_types_of_its_keys(tmp_path):
    import numpy as np

    results = ResultsStore(tmp_path)
    results.append(ok_row())
    results.append(ok_row(size=28.0, seed=np.int64(1), images=float("nan")))
    frame = results.read()
    assert len(results.files()) == 1 and len(frame) == 1 and frame.iloc[0]["size"] == 28
    assert store.cell_id({**KEYS, "images": 24.0}) == store.cell_id({**KEYS, "images": 24})


def test_a_copied_or_renamed_cell_file_is_named_in_the_error_not_counted_twice(tmp_path):
    results = ResultsStore(tmp_path)
    path = results.append(ok_row())
    copy = tmp_path / "cell-0123456789abcdef.parquet"
    copy.write_bytes(path.read_bytes())
    with pytest.raises(StoreError, match=f"{copy}.*{path.name}"):
        results.read()


def test_flipped_bytes_anywhere_in_a_cell_file_are_caught_or_harmless(tmp_path):
    """Page checksums and the file's own structure: a flipped byte either raises StoreError naming the file or
    leaves the row exactly as written (a byte of padding or of statistics that nobody reads)."""
    results = ResultsStore(tmp_path)
    path = results.append(ok_row(error=None, cipher_name="aes-gcm", report_json="{" + '"x": 1, ' * 200 + '"y": 2}'))
    original, written = path.read_bytes(), results.read()
    for offset in range(0, len(original), max(1, len(original) // 300)):
        damaged = bytearray(original)
        damaged[offset] ^= 0x5A
        path.write_bytes(bytes(damaged))
        try:
            frame = results.read()
        except StoreError as exc:
            assert str(path) in str(exc)
            continue
        pd.testing.assert_frame_equal(frame, written)


def test_the_books_stores_read_as_plain_parquet_datasets():
    from medcrypt import leaderboard

    for folder in (leaderboard.default_store(), leaderboard.default_store().parent / "sweep-timing"):
        assert len(pd.read_parquet(folder)) == len(ResultsStore(folder).files()) > 0
