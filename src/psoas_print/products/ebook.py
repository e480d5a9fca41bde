"""The full illustrated ebook."""

from __future__ import annotations

from psoas_print.model import Book, Paper
from psoas_print.products import Rendered, common_context, layout_path
from psoas_print.render import Renderer, make_environment, render_template

TEMPLATE = "ebook.html"


def build_ebook(book: Book, renderer: Renderer, paper: Paper) -> Rendered:
    environment = make_environment(renderer.sources)
    html = render_template(
        environment, TEMPLATE, **common_context(book, paper), chapters=book.chapters
    )
    document = renderer.render(html, layout_path(TEMPLATE))
    return Rendered(document, html)
