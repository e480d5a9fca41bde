"""The full illustrated ebook."""

from __future__ import annotations

from psoas_print.figures import Style, figures_for, qr_code
from psoas_print.model import Book, Paper
from psoas_print.products import Rendered, common_context, layout_path
from psoas_print.render import Renderer, make_environment, render_template

TEMPLATE = "ebook.html"


def build_ebook(book: Book, renderer: Renderer, paper: Paper) -> Rendered:
    environment = make_environment(renderer.sources)
    figures = figures_for(list(book.exercises.values()), Style())
    videos = {e.id: qr_code(e.video) for e in book.exercises.values() if e.video}
    html = render_template(
        environment,
        TEMPLATE,
        **common_context(book, paper),
        chapters=book.chapters,
        figures=figures,
        videos=videos,
    )
    document = renderer.render(html, layout_path(TEMPLATE))
    return Rendered(document, html)
