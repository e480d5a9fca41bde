"""The typography of a language in running text: its quotation marks, and the spaces
French sets before high punctuation.

Applied to the author's Markdown as it is read (markdown.py) and to every label the tool
prints (language/words.py), so that both follow the same rules.
"""

from __future__ import annotations

import re

# Primary and secondary quotation marks (opening, closing), as CLDR gives them; French
# sets a narrow no-break space inside its guillemets. A language not listed gets English's.
_QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "de": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "fr": ("\u00ab\u202f", "\u202f\u00bb", "\u201c", "\u201d"),
    "es": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "it": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "nl": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "pl": ("\u201e", "\u201d", "\u00ab", "\u00bb"),
    "pt": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "pt-pt": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
}

NARROW_NBSP = "\u202f"  # before ; ! ? and inside guillemets
NBSP = "\u00a0"  # before a colon

_SPACED = re.compile(r"[ \u00a0\u202f]+([;!?])")
_SPACED_COLON = re.compile(r"[ \u00a0\u202f]+:")
# No space typed at all: only where the mark ends a word and is followed by a space or
# the end, so that a link (https://), a time (10:30) or "?!" inside a word is left alone.
_UNSPACED = re.compile(r"(?<=[\w\u00bb)\]])([;!?]+)(?=\s|$)")
_UNSPACED_COLON = re.compile(r"(?<=[\w\u00bb)\]]):(?=\s|$)")
_AFTER_OPENING = re.compile(r"\u00ab[ \u00a0\u202f]*")
_BEFORE_CLOSING = re.compile(r"[ \u00a0\u202f]*\u00bb")


def quotes(language: str) -> tuple[str, str, str, str]:
    """The quotation marks of ``language`` (a BCP 47 tag): outer open and close, inner."""
    tag = language.lower()
    return _QUOTES.get(tag) or _QUOTES.get(tag.split("-")[0]) or _QUOTES["en"]


def is_french(language: str) -> bool:
    return language.lower().split("-")[0] == "fr"


def french_spacing(text: str) -> str:
    """``text`` with the no-break spaces French sets before ``: ; ! ?`` and inside « »."""
    text = _SPACED.sub(NARROW_NBSP + r"\1", text)
    text = _SPACED_COLON.sub(NBSP + ":", text)
    text = _UNSPACED.sub(NARROW_NBSP + r"\1", text)
    text = _UNSPACED_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPENING.sub("\u00ab" + NARROW_NBSP, text)
    return _BEFORE_CLOSING.sub(NARROW_NBSP + "\u00bb", text)


def punctuate(text: str, language: str) -> str:
    """``text`` spaced as ``language`` sets it (only French differs from plain spacing)."""
    return french_spacing(text) if is_french(language) else text
