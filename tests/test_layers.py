"""The package's layers, as the architecture page declares them: science, tools, book.

An import goes only downwards (book -> tools -> science); every module has a row on the
page, and every row names a module that exists.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PAGE = ROOT / "book" / "architecture.md"
ORDER = {"science": 0, "tools": 1, "book": 2}
ROW = re.compile(r"^\|\s*`(medcrypt[\w.]*)`\s*\|\s*(\w+)\s*\|")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "medcrypt").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def declared_layers(page: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for line in page.splitlines() if (m := ROW.match(line))}


def imports_of(name: str, path: Path) -> set[str]:
    """The medcrypt modules ``name`` imports, anywhere in its file (function-level imports count too)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("medcrypt"):
                out.add(target)
                out.update(f"{target}.{alias.name}" for alias in node.names)  # `from . import prose`
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("medcrypt"))
    return out


def layer_of(name: str, layers: dict[str, str]) -> str | None:
    while name:
        if name in layers:
            return layers[name]
        name = name.rpartition(".")[0]
    return None


def violations(layers: dict[str, str], found: dict[str, Path]) -> list[str]:
    out = []
    for name, path in found.items():
        mine = layers.get(name)
        for target in sorted(imports_of(name, path)):
            theirs = layer_of(target, layers) if (target in found or target.rpartition(".")[0] in found) else None
            if mine and theirs and ORDER[theirs] > ORDER[mine]:
                out.append(f"{name} ({mine}) imports {target} ({theirs})")
    return out


def test_every_module_has_a_row_with_a_known_layer():
    layers, found = declared_layers(PAGE.read_text()), modules()
    missing = sorted(set(found) - set(layers))
    assert not missing, f"book/architecture.md has no row for: {', '.join(missing)}"
    stale = sorted(set(layers) - set(found))
    assert not stale, f"book/architecture.md names modules that do not exist: {', '.join(stale)}"
    unknown = {m: layer for m, layer in layers.items() if layer not in ORDER}
    assert not unknown, f"layers must be one of {sorted(ORDER)}: {unknown}"


def test_imports_go_only_downwards():
    problems = violations(declared_layers(PAGE.read_text()), modules())
    assert not problems, "an import goes up a layer: " + "; ".join(problems)


def test_the_book_tooling_is_one_subpackage():
    layers = declared_layers(PAGE.read_text())
    book = sorted(m for m, layer in layers.items() if layer == "book")
    assert book and all(m == "medcrypt.book" or m.startswith("medcrypt.book.") for m in book)


def test_the_check_sees_an_upward_import(tmp_path):
    fake = tmp_path / "medcrypt" / "metrics.py"
    fake.parent.mkdir()
    fake.write_text("from .book import prose\n\ndef f():\n    from .evaluate import run\n")
    problems = violations({"medcrypt.metrics": "science", "medcrypt.book": "book", "medcrypt.evaluate": "tools"},
                          {"medcrypt.metrics": fake, "medcrypt.book": fake, "medcrypt.evaluate": fake})
    assert any("medcrypt.book" in p for p in problems) and any("medcrypt.evaluate" in p for p in problems)


@pytest.mark.parametrize("module", ["medcrypt.metrics", "medcrypt.attacks.suite", "medcrypt.evaluate"])
def test_importing_the_library_loads_no_book_tooling(module):
    import subprocess
    import sys

    code = (f"import sys, {module}; loaded = sorted(m for m in sys.modules if m.startswith('medcrypt.book')); "
            "print(loaded); sys.exit(1 if loaded else 0)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, f"{module} loads {run.stdout.strip()} {run.stderr[-300:]}"
