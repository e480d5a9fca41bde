"""The Jinja2 environment and the one way into WeasyPrint.

Every render is confined: the fetcher serves only files from the book, the layouts and
the fonts (and data: URLs), and anything WeasyPrint warns about fails the build.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2

from psoas_print.errors import BookError, Problem
from psoas_print.resources import Sources, shipped

if TYPE_CHECKING:
    from weasyprint import Document


def make_environment(sources: Sources) -> jinja2.Environment:
    """Templates from the book's own ``layouts/`` first, then the defaults.

    ``default/NAME`` always names the shipped template, so an override can extend it.
    """
    user_and_default = jinja2.FileSystemLoader([str(d) for d in sources.layout_dirs])
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(shipped("layouts")))}),
            user_and_default,
        ]
    )
    environment = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xml", "xhtml", "opf"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["font_url"] = lambda name: sources.font(name).as_uri()
    return environment


def render_template(environment: jinja2.Environment, name: str, **context: Any) -> str:
    try:
        return environment.get_template(name).render(**context)
    except jinja2.TemplateNotFound as error:
        raise BookError.at(Path(name), None, f"layout template not found: {error.name}") from None
    except jinja2.TemplateSyntaxError as error:
        where = Path(error.filename or name)
        raise BookError.at(where, error.lineno, f"template syntax: {error.message}") from None
    except jinja2.UndefinedError as error:
        raise BookError.at(Path(name), None, f"template uses an undefined value: {error}") from None


# --- WeasyPrint ----------------------------------------------------------------


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):
        """Serves data: URLs and files under the allowed roots; refuses everything else."""

        def __init__(self, roots: list[Path]) -> None:
            super().__init__(fail_on_errors=True)
            self.roots = roots

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise PermissionError(f"refused to fetch {url}: nothing is loaded from the network")
            path = Path(url2pathname(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise PermissionError(
                    f"refused to read {path}: only the book, the layouts and the fonts may be read"
                )
            if not path.is_file():
                raise FileNotFoundError(f"file not found: {path}")
            return URLFetcherResponse(url, path.read_bytes())

    return ConfinedFetcher


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().splitlines()[0])


@contextmanager
def _warnings_as_errors(origin: Path) -> Iterator[None]:
    """WeasyPrint only logs failed images, fonts and bad CSS; make them fail the build."""
    logger = logging.getLogger("weasyprint")
    collector = _WarningCollector()
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
    if collector.messages:
        raise BookError(
            [Problem(origin, None, message) for message in dict.fromkeys(collector.messages)]
        )


class Renderer:
    """One font configuration and one confined fetcher for all renders of a build."""

    def __init__(self, sources: Sources) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.sources = sources
        self.font_config = FontConfiguration()
        self.fetcher = _fetcher_class()(sources.readable_roots)

    def render(self, html: str, origin: Path) -> Document:
        """Lay out ``html``; ``origin`` names the layout in any error message."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        try:
            with _warnings_as_errors(origin):
                document = HTML(
                    string=html,
                    base_url=self.sources.base_url,
                    url_fetcher=self.fetcher,
                ).render(font_config=self.font_config)
        except FatalURLFetchingError as error:
            reason = error.__cause__ or error
            raise BookError.at(origin, None, str(reason)) from None
        return document
