import json
import shutil
from pathlib import Path

import json
import nbformat
import pytest

from medcrypt.book import runner as book

REPO = book.REPO_ROOT


def copy_book(tmp_path: Path) -> Path:
    for name in ("_config.yml", "_toc.yml", "README.md", "CITATION.cff"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "book", tmp_path / "book")
    shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    return tmp_path


def test_every_paired_notebook_is_in_sync_and_clean():
    assert book.check_notebooks() == []


def test_chapters_follow_the_toc_and_profiles_name_real_chapters():
    names = book.chapters()
    assert names[:2] == ["00_survey", "01_metrics"]
    for profile, chapters in book.PROFILES.items():
        assert set(chapters) <= set(names), profile


def test_colab_url_is_derived_from_the_configured_repository():
    url = book.colab_url("01_metrics")
    assert url.startswith("https://colab.research.google.com/github/")
    assert url.endswith("/blob/main/notebooks/01_metrics.ipynb")
    assert book.repository_url().removeprefix("https://github.com/") in url


def test_check_catches_outputs_and_drift(tmp_path):
    root = copy_book(tmp_path)
    ipynb = root / "notebooks" / "01_metrics.ipynb"
    nb = nbformat.read(ipynb, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", text="leftover")]
    code.source += "\nprint('edited only in the ipynb')"
    nbformat.write(nb, ipynb)
    problems = book.check_notebooks(root)
    assert any("carries outputs" in p for p in problems)
    assert any("out of sync" in p for p in problems)


def test_check_catches_a_missing_kernelspec_and_a_stale_badge(tmp_path):
    root = copy_book(tmp_path)
    ipynb = root / "notebooks" / "01_metrics.ipynb"
    nb = nbformat.read(ipynb, as_version=4)
    del nb.metadata["kernelspec"]
    nbformat.write(nb, ipynb)
    config = (root / "_config.yml").read_text().replace(book.repository_url(), "https://github.com/someone/else")
    (root / "_config.yml").write_text(config)
    problems = book.check_notebooks(root)
    assert any("kernelspec" in p for p in problems)
    assert any("Colab badge" in p for p in problems)
    assert any("links https://github.com/medcrypt-book" in p for p in problems)


def test_unknown_profile_and_chapter_fail_with_a_clear_message():
    with pytest.raises(book.BookError, match="unknown profile"):
        book.execute("fast")
    with pytest.raises(book.BookError, match="not in _toc.yml"):
        book.execute("ci", only=["99_nothing"])


def test_each_profile_executes_with_its_own_results_and_weights(tmp_path, monkeypatch):
    """A ci run after a full one (or the reverse) must not see the other profile's models or numbers."""
    import papermill

    monkeypatch.setenv("TQDM_DISABLE", "0")  # execute switches bars off; monkeypatch restores the variable after
    injected = {}
    monkeypatch.setattr(papermill, "execute_notebook",
                        lambda source, output, parameters, **kwargs: injected.update({parameters["profile"]: parameters}))
    for profile in ("ci", "full"):
        book.execute(profile, only=["08_attacks"], build_dir=tmp_path)
    for profile in ("ci", "full"):
        assert injected[profile]["results_dir"] == str((tmp_path / profile / "results").resolve())
        assert injected[profile]["weights_dir"] == str((tmp_path / profile / "weights").resolve())
    assert book.profile_dirs("ci", tmp_path) == {"results_dir": (tmp_path / "ci" / "results").resolve(),
                                                "weights_dir": (tmp_path / "ci" / "weights").resolve()}


def test_finish_page_hides_the_injected_parameters_and_names_the_run(tmp_path):
    """The published page must not show the build machine's paths, and must say which run it shows."""
    import json

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 3. GAN-based methods"),
                nbformat.v4.new_code_cell('results_dir = "/home/runner/_build/ci/results"',
                                          metadata={"tags": ["injected-parameters"]}),
                nbformat.v4.new_code_cell("x = 1")]
    bar = "gan-translation:  12%|▏         | 60/488 [01:34<15:03, 2.1s/it]\rgan:   0%|          | 0/6 [00:00<?, ?it/s]\n"
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stderr", text=bar),
                           nbformat.v4.new_output("stream", name="stderr", text="UserWarning: a real warning\n"),
                           nbformat.v4.new_output("stream", name="stdout", text="x is 1\n")]
    path = tmp_path / "03_gan.ipynb"
    nbformat.write(nb, path)
    results = tmp_path / "03_gan.json"
    results.write_text(json.dumps({"metadata": {"device_training": "cpu", "versions": {"torch": "2.14.1"}}}))
    for _ in range(2):  # a second pass (a rebuild) must not stack a second note
        book.finish_page(path, "ci", 12.0, results)
    cells = nbformat.read(path, as_version=4).cells
    assert [c.cell_type for c in cells] == ["markdown", "markdown", "code", "code"]
    assert "`ci` profile" in cells[1].source and "training on the CPU" in cells[1].source
    assert "PyTorch 2.14.1" in cells[1].source
    assert "remove-cell" in cells[2].metadata["tags"] and "remove-cell" not in cells[3].metadata.get("tags", [])
    assert [o["text"] for o in cells[3].outputs] == ["UserWarning: a real warning\n", "x is 1\n"]  # the bar is gone
    book.finish_page(path, "full", 5.0, tmp_path / "missing.json")
    assert "`full` profile" in nbformat.read(path, as_version=4).cells[1].source


def test_check_flags_a_long_visible_code_cell(tmp_path):
    root = copy_book(tmp_path)
    py = root / "notebooks" / "01_metrics.py"
    long_cells = lambda: [p for p in book.check_notebooks(root) if "lines of code" in p and "01_metrics" in p]  # noqa: E731
    before = len(long_cells())
    py.write_text(py.read_text() + "\n# %%\n" + "\n".join(f"x{i} = {i}" for i in range(16)) + "\n")
    import jupytext

    jupytext.write(jupytext.read(py), root / "notebooks" / "01_metrics.ipynb")
    assert len(long_cells()) == before + 1 and any("16 lines of code (at most 15)" in p for p in long_cells())
    py.write_text(py.read_text().replace("\n# %%\nx0 = 0", '\n# %% tags=["hide-input"]\nx0 = 0'))
    jupytext.write(jupytext.read(py), root / "notebooks" / "01_metrics.ipynb")
    assert len(long_cells()) == before


def test_the_reproducibility_page_gets_its_chapter_times_from_the_run(tmp_path):
    log = {"ci": {"01_metrics": 9.8, "02_baselines": 11.4}, "full": {"01_metrics": 70.2},
           book.RUN_KEY: {"ci": {"date": "2026-12-02", "device": "some CPU"}}}
    table = book.chapter_times_markdown(log, ["01_metrics", "02_baselines"])
    assert "| 01_metrics | 10 | 70 |" in table and "| 02_baselines | 11 | – |" in table
    assert "**0.4 min**" in table and "**1.2 min**" in table and "`ci`: executed 2026-12-02 on some CPU" in table
    assert book.chapter_times_markdown({}, ["01_metrics"]).startswith("No chapter has been executed")
    (tmp_path / "execution_times.json").write_text(json.dumps(log))
    source = book.stage(tmp_path)
    page = (source / "book" / "reproducibility.md").read_text()
    assert book.TIMES_MARKER not in page and "| 01_metrics | 10 | 70 |" in page
    assert book.TIMES_MARKER in (book.REPO_ROOT / "book" / "reproducibility.md").read_text()  # the source stays clean
