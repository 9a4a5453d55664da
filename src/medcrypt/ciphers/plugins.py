"""Ciphers from outside this package: a ``module:Class`` path, or an installed package's entry point.

A package joins the registry by declaring an entry point in the group ``medcrypt.ciphers``,
for example in its ``pyproject.toml``::

    [project.entry-points."medcrypt.ciphers"]
    arnold-xor = "mypackage.ciphers:ArnoldXOR"

:func:`load_entry_points` imports and registers every such class (the registry calls it
once, the first time the list of ciphers is asked for), so a plugin cipher appears in
chapters 8 and 9 with no edit to the book. :func:`load_class` reads ``module:Class`` or
``path/to/file.py:Class``, as ``medcrypt evaluate --cipher`` takes it, and :func:`build` makes
an instance of it the way the book does.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from importlib import metadata
from pathlib import Path

GROUP = "medcrypt.ciphers"
#: Files loaded by path get a unique module name with this prefix (two files may share a stem).
FILE_MODULE_PREFIX = "medcrypt_plugin_"


class PluginError(ValueError):
    """A cipher named from outside the package could not be loaded; the message says why in one line."""


def load_class(spec: str) -> type:
    """The class named by ``spec``: ``package.module:Class`` or ``path/to/file.py:Class``."""
    module_name, sep, attribute = spec.rpartition(":")
    if not sep or not module_name or not attribute:
        raise PluginError(f"--cipher must look like package.module:Class or path/to/file.py:Class; got {spec!r}")
    if module_name.endswith(".py"):
        path = Path(module_name)
        if not path.is_file():
            raise PluginError(f"no such file: {module_name}")
        unique = f"{FILE_MODULE_PREFIX}{path.stem}_{abs(hash(path.resolve()))}"
        loader = importlib.util.spec_from_file_location(unique, path)
        module = importlib.util.module_from_spec(loader)
        sys.modules[unique] = module  # dataclasses and pickling look the module up by name
        try:
            loader.loader.exec_module(module)
        except Exception as exc:  # the plugin's own error, reported in one line
            del sys.modules[unique]
            raise PluginError(f"importing {module_name} failed: {type(exc).__name__}: {exc}") from exc
    else:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise PluginError(f"cannot import module {module_name!r}: {exc}") from exc
    try:
        found = getattr(module, attribute)
    except AttributeError:
        raise PluginError(f"module {module_name!r} has no attribute {attribute!r}") from None
    if not isinstance(found, type):
        raise PluginError(f"{spec} is a {type(found).__name__}, not a class")
    return found


def describe(cls: type) -> str:
    """``cls`` named as a user names it: ``file.py:Class`` for a class loaded from a file (not the unique
    module name it was imported under), ``package.module:Class`` otherwise."""
    module = sys.modules.get(cls.__module__)
    where = getattr(module, "__file__", None)
    if cls.__module__.startswith(FILE_MODULE_PREFIX) and where:
        return f"{Path(where).name}:{cls.__qualname__}"
    return f"{cls.__module__}:{cls.__qualname__}"


def build(cls: type, image_shape: tuple[int, ...], seed: int = 0):
    """An instance of ``cls``, passing ``image_shape``/``seed`` where its constructor takes them.

    One way to build an outside class for ``medcrypt evaluate``, ``medcrypt check`` and the
    conformance checks. ``seed`` fixes weights only: nonces are never seeded, so two
    instances built alike draw theirs from the operating system. A constructor that fails
    raises :class:`PluginError` in one line.
    """
    try:
        accepted = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        accepted = {}
    offered = {"image_shape": tuple(image_shape), "seed": seed}
    try:
        return cls(**{k: v for k, v in offered.items() if k in accepted})
    except Exception as exc:
        raise PluginError(f"{cls.__name__}() failed: {type(exc).__name__}: {exc}") from exc


def entry_points(group: str = GROUP) -> list[metadata.EntryPoint]:
    return sorted(metadata.entry_points(group=group), key=lambda e: e.name)


def load_entry_points(group: str = GROUP) -> list[str]:
    """Import and register every cipher that an installed package declares in ``group``; returns their names.

    A plugin that fails to load is reported with a warning naming it and skipped, so one
    broken package cannot stop the book.
    """
    import warnings

    from .base import register

    names = []
    for point in entry_points(group):
        try:
            cls = point.load()
            register(cls)
        except Exception as exc:  # a broken third-party package must not stop the book
            warnings.warn(f"cipher plugin {point.name!r} ({point.value}) was skipped: {type(exc).__name__}: {exc}",
                          stacklevel=2)
            continue
        names.append(cls.name)
    return names
