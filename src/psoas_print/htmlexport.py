"""Writing the HTML of a product so that it stands on its own: the plain ``weasyprint``
command renders it to the same pages, its fonts and pictures found beside it.

Every file the HTML loads (fonts, photos, chapter images, SVG pictures) is copied into a
``NAME_files`` folder next to it and its reference becomes a relative URL. References are
rewritten in one pass, so a rewritten one is never read back as a path in the book.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from urllib.request import url2pathname

from psoas_print.errors import BookError
from psoas_print.output import write_text
from psoas_print.resources import Sources

_BASE = re.compile(r"""<base href="[^"]*">\s*""")
# What makes a renderer load a file: an element's src, or a url() in CSS.
_LOADED = re.compile(
    r"""(?P<attribute>\ssrc=")(?P<src>[^"]*)"|(?P<css>url\(\s*(?P<quote>["']?))(?P<url>[^"')\s]+)"""
)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def export_html(html: str, target: Path, sources: Sources) -> None:
    folder = target.with_name(f"{target.stem}_files")
    copied: dict[Path, str] = {}

    def relative(path: Path) -> str:
        if path not in copied:
            name = f"{len(copied):03d}-{path.name}"
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, folder / name)
            copied[path] = quote(f"{folder.name}/{name}")
        return copied[path]

    def rewrite(match: re.Match[str]) -> str:
        url = match["src"] if match["attribute"] else match["url"]
        path = _local_file(url, sources)
        if path is None:
            return match[0]
        if match["attribute"]:
            return f'{match["attribute"]}{relative(path)}"'
        return f"{match['css']}{relative(path)}"

    html = _BASE.sub("", html)  # the book folder's address would tie the file to this machine
    write_text(target, _LOADED.sub(rewrite, html))


def _local_file(url: str, sources: Sources) -> Path | None:
    """The file a loaded URL names (file: or relative to the book), or None for a data: URL
    or an anchor. Only files the render itself may read are copied."""
    if not url or url.startswith(("data:", "#")):
        return None
    if url.startswith("file:"):
        path = Path(url2pathname(urlsplit(url).path))
    elif _SCHEME.match(url) or sources.book is None:
        return None
    else:
        path = sources.book / unquote(url.split("#")[0].split("?")[0])
    path = path.resolve()
    if not path.is_file() or not any(path.is_relative_to(r) for r in sources.readable_roots):
        raise BookError.at(path, None, "the exported HTML cannot use this file: not in the book")
    return path
