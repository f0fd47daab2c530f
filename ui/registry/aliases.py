"""Other addresses a student or a teacher may type for a page, each the page it opens.

A link written from the menu (/sweeps, where the path is /sweep) or guessed (/lr_finder,
/parameter, /stability-map) ran the Fit page with its query parameters dropped. The aliases
are made from each page's own path, menu title and short heading, spelt with hyphens,
underscores or neither, in the singular and the plural, so a new page gets its own; an
alias two pages could claim, or a page's real path, is left out.
"""

from __future__ import annotations

import re
from pathlib import Path

from ui.registry.interface import PAGES

_SHORT_HEADING = 2  # words: "Stability map" is a name for the page, a sentence is not


def _number_forms(word: str) -> set[str]:
    """`word` and its other grammatical number, in English's regular patterns."""
    if word.endswith("ies"):
        return {word, word[:-3] + "y"}
    if word.endswith("ss"):
        return {word, word + "es"}
    if word.endswith("s"):
        return {word, word[:-1]}
    if word.endswith("y"):
        return {word, word[:-1] + "ies"}
    return {word, word + "s"}


def spellings(name: str) -> set[str]:
    """URL paths a person might write for `name`: "LR finder" gives lr-finder, lr_finder,
    lrfinder and each with the last word in the plural."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    if not words:
        return set()
    forms = set()
    for last in _number_forms(words[-1]):
        for joint in ("-", "_", ""):
            forms.add(joint.join([*words[:-1], last]))
    return forms


def _names(file: str, title: str, heading: str, url_path: str) -> set[str]:
    names = {title, url_path or Path(file).stem}  # the default page's path is "/"
    if len(heading.split()) <= _SHORT_HEADING and re.fullmatch(r"[A-Za-z ]+", heading):
        names.add(heading)
    return names


def page_aliases() -> dict[str, str]:
    """Alias URL path → the URL path of the page it opens ("" for the default page). By path,
    not file: benchmarks/shell_app.py swaps the files of PAGES for its own process."""
    own = {page.url_path for page in PAGES}
    claims: dict[str, set[str]] = {}
    for page in PAGES:
        for name in _names(page.file, page.title, page.heading, page.url_path):
            for alias in spellings(name):
                claims.setdefault(alias, set()).add(page.url_path)
    return {
        alias: next(iter(paths))
        for alias, paths in sorted(claims.items())
        if len(paths) == 1 and alias not in own
    }


ALIASES = page_aliases()
