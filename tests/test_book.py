import shutil
from pathlib import Path

import nbformat
import pytest

from medcrypt import book

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
    assert names[0] == "01_metrics"
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

    monkeypatch.setenv("TQDM_MININTERVAL", "30")
    injected = {}
    monkeypatch.setattr(papermill, "execute_notebook",
                        lambda source, output, parameters, **kwargs: injected.update({parameters["profile"]: parameters}))
    for profile in ("ci", "full"):
        book.execute(profile, only=["07_attacks"], build_dir=tmp_path)
    for profile in ("ci", "full"):
        assert injected[profile]["results_dir"] == str((tmp_path / profile / "results").resolve())
        assert injected[profile]["weights_dir"] == str((tmp_path / profile / "weights").resolve())
    assert book.profile_dirs("ci", tmp_path) == {"results_dir": (tmp_path / "ci" / "results").resolve(),
                                                "weights_dir": (tmp_path / "ci" / "weights").resolve()}
