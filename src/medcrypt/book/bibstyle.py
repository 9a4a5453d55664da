"""The References page's style: pybtex's ``plain`` (numbered, sorted by author) with year suffixes.

Chapters cite author-year (``bibtex_reference_style: author_year``), so two works that
the citation would name alike ("Kiya et al., 2023" twice) must differ: each such group
gets 2023a, 2023b, ... in the order the References page lists them, in the citation and
in the entry alike. Loaded as a Sphinx extension (``sphinx.extra_extensions`` in
``_config.yml``); the page asks for it with ``:style: medcrypt``.
"""

from __future__ import annotations

import functools
import string
from collections import defaultdict
from typing import Iterable

import pybtex.plugin
from pybtex.database import Entry
from pybtex.style.formatting.plain import Style as PlainStyle
from sphinxcontrib.bibtex.plugin import find_plugin

NAME = "medcrypt"
#: The citation style of the chapters (``bibtex_reference_style`` in ``_config.yml``).
REFERENCE_STYLE = "author_year"


@functools.cache
def _plain_text():
    """pybtex's plain-text backend (``render_as`` would look it up again for every entry, slowly)."""
    return pybtex.plugin.find_plugin("pybtex.backends", "text")()


def reference_style():
    """The chapters' citation style (building one takes a while: build it once and pass it on)."""
    return find_plugin("sphinxcontrib.bibtex.style.referencing", REFERENCE_STYLE)()


def cited_as(entry: Entry, style=None) -> str:
    """The author part of the entry's citation, as the chapters' reference style writes it."""
    style = style or reference_style()
    template = style.person.author_or_editor_or_title(full=False)
    return template.format_data({"entry": entry, "style": style}).render(_plain_text())


def with_year(entry: Entry, year: str) -> Entry:
    """A copy of ``entry`` with another year (the parsed bibliography, shared by the build, stays as read)."""
    copy = Entry(entry.original_type, fields=entry.fields, persons=entry.persons)
    copy.fields["year"] = year
    copy.key = entry.key
    return copy


def with_year_suffixes(entries: Iterable[Entry]) -> list[Entry]:
    """``entries`` in the same order, those cited alike (same author text and year) with a, b, ... after the year."""
    entries = list(entries)
    style = reference_style()
    alike = defaultdict(list)
    for entry in entries:
        year = entry.fields.get("year")
        if year:
            alike[(cited_as(entry, style), year)].append(entry.key)
    suffix = {}
    for keys in alike.values():
        if len(keys) > 1:
            if len(keys) > len(string.ascii_lowercase):
                raise ValueError(f"more than 26 works cited alike: {keys}")
            suffix.update(zip(keys, string.ascii_lowercase))
    return [with_year(e, e.fields["year"] + suffix[e.key]) if e.key in suffix else e for e in entries]


class Style(PlainStyle):
    """``plain``, whose sorting also gives works cited alike their year suffixes."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        plain_sort = self.sort
        self.sort = lambda entries: with_year_suffixes(plain_sort(entries))


def _full_urls(app, config) -> None:
    """Show a GitHub address in full: the theme would shorten it to "owner/repo", which reads as no address."""
    config.html_theme_options.setdefault("shorten_urls", False)


def setup(app):
    pybtex.plugin.register_plugin("pybtex.style.formatting", NAME, Style)
    app.connect("config-inited", _full_urls)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
