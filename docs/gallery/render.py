"""Draw the gallery of positions and lay it out as one picture, docs/gallery.png.

    python docs/gallery/render.py

Runs ``psoas-print figures`` on the gallery book (docs/gallery/book), then sets the
figures in a grid with their names, each at the size a cheat sheet prints a thumbnail and
at the size an ebook prints a figure, through WeasyPrint and poppler's pdftoppm.
"""

from __future__ import annotations

import html
import subprocess
import sys
import tempfile
from pathlib import Path

from weasyprint import HTML

HERE = Path(__file__).resolve().parent
BOOK = HERE / "book"
PICTURE = HERE.parent / "gallery.png"
COLUMNS = 4


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "figures"
        command = [sys.executable, "-m", "psoas_print", "figures", "--book", str(BOOK)]
        subprocess.run([*command, "--out", str(figures)], check=True, capture_output=True)
        pdf = Path(folder) / "gallery.pdf"
        HTML(string=_page(sorted(figures.glob("*.svg")))).write_pdf(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "110",
                "-singlefile",
                str(pdf),
                str(PICTURE.with_suffix("")),
            ],
            check=True,
        )
    print(f"wrote {PICTURE}")


def _page(figures: list[Path]) -> str:
    cells = "".join(
        f'<figure><img class="big" src="{svg.as_uri()}"><img class="small" src="{svg.as_uri()}">'
        f"<figcaption>{html.escape(svg.stem.split('-', 1)[1].replace('-', ' '))}</figcaption>"
        "</figure>"
        for svg in figures
    )
    rows = -(-len(figures) // COLUMNS)
    return f"""<style>
@page {{ size: {COLUMNS * 62 + 8}mm {rows * 52 + 8}mm; margin: 4mm; }}
body {{ margin: 0; display: grid; grid-template-columns: repeat({COLUMNS}, 60mm); gap: 2mm;
        font: 8pt sans-serif; color: #1d2427; }}
figure {{ margin: 0; height: 50mm; position: relative; border-top: 0.5pt solid #c5d3d1; }}
.big {{ width: 60mm; height: 40mm; object-fit: contain; }}
.small {{ position: absolute; right: 0; bottom: 0; width: 23mm; height: 12mm;
          object-fit: contain; background: white; }}
figcaption {{ position: absolute; left: 0; bottom: 1mm; text-transform: capitalize; }}
</style>{cells}"""


if __name__ == "__main__":
    main()
