"""Writing the HTML of a product so that it stands on its own: the plain ``weasyprint``
command renders it to the same pages, its fonts and pictures found beside it.

Fonts and pictures are copied into a ``NAME_files`` folder next to the HTML and every
reference to them becomes a relative URL.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from psoas_print.output import write_text

_FILE_URL = re.compile(r"""file://[^"')\s]+""")
_BASE = re.compile(r"""<base href="[^"]*">\s*""")
_RELATIVE_SOURCE = re.compile(r"""(\ssrc=")(?![a-z][a-z0-9+.-]*:|/|#)([^"]+)(")""")


def export_html(html: str, target: Path, book_root: Path) -> None:
    folder = target.with_name(f"{target.stem}_files")
    copied: dict[Path, str] = {}

    def relative(path: Path) -> str:
        if path not in copied:
            name = f"{len(copied):03d}-{path.name}"
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, folder / name)
            copied[path] = f"{folder.name}/{name}"
        return copied[path]

    html = _BASE.sub("", html)  # the book folder's address would tie the file to this machine
    html = _FILE_URL.sub(lambda m: relative(Path(url2pathname(urlsplit(m[0]).path))), html)
    html = _RELATIVE_SOURCE.sub(
        lambda m: m[1] + relative((book_root / unquote(m[2])).resolve()) + m[3], html
    )
    write_text(target, html)
