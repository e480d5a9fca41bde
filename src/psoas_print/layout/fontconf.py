"""A fontconfig configuration of the build's own: the fonts Pango may use are the bundled
ones and the book's ``fonts/``, never a font that happens to be installed on the machine.

With the system's configuration, a character that no bundled font has falls back to
whatever system font has it (DejaVu, Noto CJK), and that font ends up embedded in the
PDF: a book would print differently on every machine, and with fonts it has no licence
for. The configuration written here lists only the build's font folders, includes none
of the system's files and keeps its cache in a folder of its own.

Fontconfig reads ``FONTCONFIG_FILE`` each time a configuration is loaded, and WeasyPrint
loads one when it is imported (to check that fonts exist) and one for every
``FontConfiguration``: so the variable is set before WeasyPrint is imported, and again,
for the book at hand, before each ``FontConfiguration`` is made. One process can lay out
books with different font folders one after the other.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from psoas_print.book import glyphs
from psoas_print.files import state_folder, write_state

if TYPE_CHECKING:
    from weasyprint import Document
    from weasyprint.text.fonts import FontConfiguration

VARIABLE = "FONTCONFIG_FILE"


def confine(font_dirs: list[Path]) -> Path:
    """Make fontconfig, from its next load on, see only the fonts in ``font_dirs``."""
    path = config_file(font_dirs)
    # Set only when it changes: Pango may read the environment from a thread of its own.
    if os.environ.get(VARIABLE) != str(path):
        os.environ[VARIABLE] = str(path)
    return path


def config_file(font_dirs: list[Path]) -> Path:
    """The configuration for ``font_dirs``, written once: its name is its content's hash."""
    home = state_folder()
    text = config_text([folder.resolve() for folder in font_dirs], home / "cache")
    name = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    path = home / f"fonts-{name}.conf"
    if not path.is_file():
        write_state(path, text)
    return path


def config_text(font_dirs: list[Path], cache_dir: Path) -> str:
    """Fontconfig XML naming only ``font_dirs``: no <include>, so nothing of the system's."""
    folders = "".join(f"  <dir>{escape(str(folder), False)}</dir>\n" for folder in font_dirs)
    return (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"{folders}"
        f"  <cachedir>{escape(str(cache_dir), False)}</cachedir>\n"
        "</fontconfig>\n"
    )


def font_configuration(font_dirs: list[Path]) -> FontConfiguration:
    """A WeasyPrint font configuration that knows only the fonts in ``font_dirs`` (and
    those the layouts' @font-face rules add)."""
    confine(font_dirs)
    from weasyprint.text.fonts import FontConfiguration  # after confine: see above

    return FontConfiguration()


def unprintable(document: Document, font_config: FontConfiguration) -> list[str]:
    """The characters of a laid-out document that no font of ``font_config`` has: Pango
    would draw them as empty boxes, the .notdef glyph."""
    from weasyprint.formatting_structure.boxes import TextBox

    text = "".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, TextBox)
    )
    system, application = _config_fonts(font_config)
    missing = glyphs.missing(text, glyphs.covered(tuple(system)))
    if missing and application:
        # The copies WeasyPrint makes of the @font-face fonts live in a temporary folder
        # of their own: read afresh, and only when the font folders' fonts fall short.
        codes = set().union(*(glyphs.read_characters(font) for font in application))
        missing = glyphs.missing("".join(missing), frozenset(codes))
    return missing


def _config_fonts(font_config: FontConfiguration) -> tuple[list[Path], list[Path]]:
    """The font files of the folders fontconfig scanned, and those added to it since."""
    from weasyprint.text.ffi import fontconfig

    # WeasyPrint keeps the configuration it made (``_fontconfig_config`` in older
    # versions); Pango holds a reference to it for as long as the font map lives.
    config = getattr(font_config, "_config", None) or font_config._fontconfig_config
    system = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
    application = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetApplication)
    return _files(system), _files(application)


class _FontSet(Protocol):
    """A fontconfig ``FcFontSet *``, as WeasyPrint's cffi bindings show it."""

    nfont: int
    fonts: Sequence[object]  # ``FcPattern *`` each


def _files(fonts: _FontSet) -> list[Path]:
    """The file of each font of a fontconfig font set (a NULL set has none)."""
    from weasyprint.text.ffi import ffi, fontconfig

    if fonts == ffi.NULL:
        return []
    string = ffi.new("FcChar8 **")
    files = []
    for index in range(fonts.nfont):
        if fontconfig.FcPatternGetString(fonts.fonts[index], b"file", 0, string) == 0:
            files.append(Path(os.fsdecode(ffi.string(string[0]))))
    return files
