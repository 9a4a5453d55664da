"""``medcrypt sweep`` (:mod:`medcrypt.sweep`): the grid, the cipher names it takes, one cell's row, and, on a local
2-worker Ray cluster (marker ``ray``; ``make test`` runs them), a grid that completes and resumes, workers killed
mid-sweep, and a plugin package's cipher joining the leaderboard by being installed and swept."""

import os
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from medcrypt import leaderboard, store, sweep
from medcrypt.ciphers.plugins import PluginError
from medcrypt.store import ResultsStore

from test_plugins import install


def test_the_grid_is_every_combination_once_in_a_stable_order():
    cells = sweep.grid(["a", "b", "a"], ["d1", "d2"], [28], [1, 2, 1], profile="smoke", images=24)
    assert len(cells) == 2 * 2 * 1 * 2 and len({c.id for c in cells}) == 8
    assert cells[0] == sweep.Cell("a", "d1", 28, 1, "smoke", 24) and cells[-1] == sweep.Cell("b", "d2", 28, 2, "smoke", 24)
    assert cells[0].id == store.cell_id(cells[0].keys())


def test_a_cipher_is_named_by_registry_name_module_path_or_file(tmp_path):
    from medcrypt.ciphers import AESGCM

    assert sweep.resolve("aes-gcm") is AESGCM and sweep.resolve("medcrypt.ciphers.aes:AESGCM") is AESGCM
    (tmp_path / "mine.py").write_text("class Mine:\n    name = 'mine'\n")
    assert sweep.resolve(f"{tmp_path / 'mine.py'}:Mine").__name__ == "Mine"
    with pytest.raises(PluginError, match="no cipher named 'nope'.*aes-gcm"):
        sweep.resolve("nope")
    relative = os.path.relpath(tmp_path / "mine.py")
    assert sweep.located(f"{relative}:Mine") == f"{tmp_path / 'mine.py'}:Mine" and sweep.located("aes-gcm") == "aes-gcm"
    assert sweep.learned("gan-keygen") and not sweep.learned("aes-gcm")


def test_only_a_cipher_that_trains_asks_for_a_gpu_and_only_where_the_cluster_has_one():
    assert sweep.gpu_request(sweep.learned("inn-coupling"), cluster_has_gpu=True) == 1.0
    assert sweep.gpu_request(sweep.learned("inn-coupling"), cluster_has_gpu=False) == 0.0
    assert sweep.gpu_request(sweep.learned("chaos-logistic"), cluster_has_gpu=True) == 0.0
    assert sweep.gpu_request(True, True, per_cell=0.5) == 0.5


def test_one_command_reruns_one_cipher_dataset_and_size():
    cells = sweep.grid(["aes-gcm"], ["breastmnist"], [64], [3, 1], profile="full", images=50)
    assert sweep.command(cells, "again") == ("medcrypt sweep --cipher aes-gcm --dataset breastmnist --size 64 "
                                             "--seed 1 3 --profile full --images 50 --store again")
    odd = sweep.Cell("my dir/x.py:C", "breastmnist", 28, 1)
    argv = shlex.split(sweep.command(odd, "my store"))
    args = sweep.parser().parse_args(argv[2:])
    assert args.cipher == ["my dir/x.py:C"] and args.store == "my store"  # quoted: spaces survive the shell
    with pytest.raises(ValueError, match="one cipher"):
        sweep.command(sweep.grid(["a", "b"], ["d"], [28], [1]))


@pytest.mark.parametrize("argv, message", [
    ([], "name ciphers with --cipher"),
    (["--cipher", "aes-gcm", "--dataset", "mnist"], "unknown 2D MedMNIST flag"),
    (["--cipher", "nope"], "no cipher named 'nope'"),
    (["--cipher", "aes-gcm", "--size", "32"], "invalid choice"),
    (["--cipher", "aes-gcm", "--store", "/proc/no-store-here"], "cannot create the store folder /proc/no-store-here"),
])
def test_usage_errors_exit_2_with_one_line_before_any_cell_runs(argv, message, capsys, tmp_path):
    assert sweep.main(["--store", str(tmp_path / "s"), *argv]) == 2  # a --store in argv comes later and wins
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "s").exists()


def test_a_cell_that_raises_becomes_a_failed_row_with_its_error(shared_root, tmp_path):
    (tmp_path / "raises.py").write_text(textwrap.dedent('''
        class Raises:
            name, family, lossless, key_bits = "raises", "baseline", True, 64
            def keygen(self, seed=None):
                raise RuntimeError("no key today")
    '''))
    row = sweep.run_cell(sweep.Cell(f"{tmp_path / 'raises.py'}:Raises", "breastmnist", 28, 1, "smoke"),
                         data_root=str(shared_root))
    assert row["status"] == "failed" and row["error"].startswith("ContractError: raises:")
    assert row["git_commit"] and row["wall_s"] > 0 and row["device"]
    ResultsStore(tmp_path / "store").append(row)  # a failed row fits the store's schema


def test_a_finished_cell_records_its_verdicts_figures_and_provenance(shared_root):
    row = sweep.run_cell(sweep.Cell("chaos-logistic", "breastmnist", 28, 1, "smoke"), data_root=str(shared_root))
    assert row["status"] == "ok" and row["cipher_name"] == "chaos-logistic" and not row["passed_all"]
    assert row["verdict: IND-CPA"] == "FAIL" and "IND-CPA" in row["broken_by"]  # deterministic: a repeat wins
    assert 0 < row["ratio_to_ceiling"] and row["effective_key_bits"] >= 0 and row["n_images"] == 24
    for key in ("medcrypt_version", "git_commit", "device", "host", "started_utc", "finished_utc", "report_json"):
        assert row[key], key
    assert row["wall_s"] >= row["evaluate_s"] > 0


# ------------------------------------------------------------------ on a local Ray cluster

@pytest.fixture(scope="module")
def cluster():
    """A local Ray instance with 2 workers (2 CPUs), shared by this module's sweeps."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"TQDM_DISABLE": "1"}})
    yield
    ray.shutdown()


@pytest.mark.ray
def test_a_2x2x2_grid_runs_on_2_workers_and_a_rerun_skips_every_cell(cluster, shared_root, tmp_path):
    cells = sweep.grid(["aes-gcm", "chaos-logistic"], ["pneumoniamnist", "breastmnist"], [28], [1, 2], "smoke")
    summary = sweep.sweep(cells, tmp_path, data_root=str(shared_root), progress=False)
    assert (summary.cells, summary.skipped, summary.finished, summary.failed) == (8, 0, 8, 0)
    frame = ResultsStore(tmp_path).read()
    assert sorted(frame["cell_id"]) == sorted(c.id for c in cells)
    assert frame["worker"].nunique() >= 2  # two worker processes shared the grid
    table = leaderboard.table(frame)
    assert len(table) == 4 and set(table["seeds"]) == {"1, 2"}
    assert table[table["cipher"] == "chaos-logistic"]["result"].str.startswith("FAIL").all()
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    again = sweep.sweep(cells, tmp_path, data_root=str(shared_root), progress=False)
    assert (again.skipped, again.finished, again.failed) == (8, 0, 0)
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before


KILLERS = textwrap.dedent('''
    """Ciphers that kill the process running them: once (a crash that a retry survives) or every time."""
    import os
    import signal
    from pathlib import Path

    from medcrypt.ciphers import AESGCM

    MARK = Path(__file__).with_suffix(".died")


    class DiesOnce(AESGCM):
        name = "dies-once"

        def encrypt(self, images, key):
            if not MARK.exists():
                MARK.write_text(str(os.getpid()))
                os.kill(os.getpid(), signal.SIGKILL)
            return super().encrypt(images, key)


    class DiesAlways(AESGCM):
        name = "dies-always"

        def encrypt(self, images, key):
            os.kill(os.getpid(), signal.SIGKILL)
''')


@pytest.mark.ray
def test_workers_killed_mid_sweep_leave_every_cell_recorded_once(cluster, shared_root, tmp_path):
    (tmp_path / "killers.py").write_text(KILLERS)
    specs = [f"{tmp_path / 'killers.py'}:DiesOnce", "chaos-logistic", f"{tmp_path / 'killers.py'}:DiesAlways"]
    cells = sweep.grid(specs, ["breastmnist"], [28], [1], "smoke")
    results = tmp_path / "store"
    summary = sweep.sweep(cells, results, data_root=str(shared_root), retries=1, progress=False)
    assert (summary.finished, summary.failed) == (2, 1)
    assert (tmp_path / "killers.died").exists()  # the first worker really died
    frame = ResultsStore(results).read().set_index("cipher")
    assert sorted(frame["cell_id"]) == sorted(c.id for c in cells) and frame.index.is_unique
    assert frame.loc[specs[0], "status"] == "ok" and frame.loc[specs[1], "status"] == "ok"
    assert frame.loc[specs[2], "status"] == "failed" and "died" in frame.loc[specs[2], "error"]
    again = sweep.sweep(cells, results, data_root=str(shared_root), retries=0, progress=False)
    assert (again.skipped, again.failed) == (2, 1)  # a failed cell is tried again, and replaces its own record
    assert len(ResultsStore(results).files()) == 3


@pytest.mark.ray
def test_an_installed_plugin_joins_the_leaderboard_by_being_swept(shared_root, tmp_path):
    site = install(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
           "MEDMNIST_ROOT": str(shared_root), "TQDM_DISABLE": "1"}
    done = subprocess.run([sys.executable, "-m", "medcrypt", "sweep", "--cipher", "tiny-xor", "--dataset",
                           "breastmnist", "--seed", "1", "--profile", "smoke", "--workers", "2", "--store",
                           str(tmp_path / "store")], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "1 finished, 0 failed" in done.stdout
    table = leaderboard.table(leaderboard.read(tmp_path / "store"))
    row = table.set_index("cipher").loc["tiny-xor"]
    assert row["result"].startswith("FAIL") and row["reproduce"].startswith("medcrypt sweep --cipher tiny-xor")
    assert not Path("tinycipher").exists()  # nothing was written into the book's tree
