"""The full illustrated ebook."""

from __future__ import annotations

from psoas_print.errors import BookError
from psoas_print.figures import Style, figures_for, qr_code
from psoas_print.model import Book, Paper
from psoas_print.products import Rendered, common_context, layout_path
from psoas_print.render import Renderer, make_environment, render_template

TEMPLATE = "ebook.html"


def build_ebook(book: Book, renderer: Renderer, paper: Paper, sample: bool = False) -> Rendered:
    """The whole book, or with ``sample`` the free edition of the parts marked as sample."""
    store_qr = None
    if sample:
        if book.info.store_url is None:
            raise BookError.at(
                book.root / "book.yaml", None,
                "a sample edition needs store_url in book.yaml, to say where the full book is sold",
            )  # fmt: skip
        store_qr = qr_code(book.info.store_url)
        full_book, book = book, book.sample_edition()
        if not book.chapters:
            raise BookError.at(
                full_book.root / "chapters", None,
                "no chapter is marked 'sample: true', so the sample edition would be empty",
            )  # fmt: skip
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
        sample=sample,
        store_qr=store_qr,
    )
    document = renderer.render(html, layout_path(TEMPLATE))
    return Rendered(document, html)
