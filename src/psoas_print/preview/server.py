"""The preview's web server, on 127.0.0.1 only.

It serves the preview's own page and what that page asks for: the state of every view as
JSON, a stream of server-sent events saying when it changed, each page of each product as
a picture, each page's text, and the figures' drawings. The book's own files are served
only as the build reads them, through the book's resolver (book/resolver.py), so a link
in a book reaches nothing outside it. A request that names another host is refused, so
no other web page can reach the preview through a name made to point at this machine.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import mimetypes
import re
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from psoas_print.book.resolver import Refused, Resolver
from psoas_print.errors import Problem, display_path
from psoas_print.preview.figures_view import Drawn, FigureEntry
from psoas_print.preview.pages import LaidOutPdf, nearest_width
from psoas_print.preview.rebuilding import PRODUCTS, VIEWS, PreviewState

HEARTBEAT_SECONDS = 10  # an event stream says it is alive this often
STATIC = {"/": "index.html", "/preview.js": "preview.js", "/preview.css": "preview.css"}
TEXT_TYPES = {".md", ".yaml", ".yml", ".csv", ".txt", ".html", ".css", ".po", ".json"}
PAGE = re.compile(r"/pages/(?P<product>[a-z]+)/(?P<index>\d{1,6})\.png")
TEXT = re.compile(r"/text/(?P<product>[a-z]+)/(?P<index>\d{1,6})\.json")
FIGURE = re.compile(r"/figures/(?P<name>[0-9a-f]{20}\.svg)")
# The preview's page loads only its own script, style and pictures; a book's file (an SVG
# could carry a script) is shown with nothing allowed to run.
PAGE_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'"
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


Handler = Callable[[re.Match[str], dict[str, str]], None]


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server, with what its requests read."""

    daemon_threads = True  # an open event stream never holds the command at Ctrl-C

    def __init__(self, port: int, state: PreviewState, book_dir: Path) -> None:
        self.state = state
        self.book_dir = book_dir.resolve()
        self.resolver = Resolver.of([self.book_dir], self.book_dir)
        self.stopping = threading.Event()
        super().__init__(("127.0.0.1", port), PreviewRequest)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def hosts(self) -> set[str]:
        port = self.server_address[1]
        return {f"127.0.0.1:{port}", f"localhost:{port}"}


class PreviewRequest(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # the name http.server calls
        if self.headers.get("Host", "") not in self.server.hosts():
            self._send(HTTPStatus.FORBIDDEN, b"wrong host", "text/plain")
            return
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        route = self._route(parts.path)
        if route is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
            return
        route(query)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: the terminal shows what was laid out."""

    # --- routes ------------------------------------------------------------------------

    def _route(self, path: str) -> Callable[[dict[str, str]], None] | None:
        if path in STATIC:
            return lambda _: self._static(STATIC[path])
        if path == "/state.json":
            return self._state
        if path == "/events":
            return self._events
        if path.startswith("/book/"):
            return lambda _: self._book_file(unquote(path.removeprefix("/book/")))
        handlers: list[tuple[re.Pattern[str], Handler]] = [
            (PAGE, self._page), (TEXT, self._text), (FIGURE, self._figure),
        ]  # fmt: skip
        for pattern, handler in handlers:
            if (found := pattern.fullmatch(path)) is not None:
                return functools.partial(handler, found)
        return None

    def _static(self, name: str) -> None:
        data = resources.files("psoas_print.preview").joinpath("static", name).read_bytes()
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self._send(HTTPStatus.OK, data, f"{kind}; charset=utf-8", policy=PAGE_POLICY)

    def _state(self, query: dict[str, str]) -> None:
        if query.get("view") in VIEWS:
            self.server.state.first_view = query["view"]
        self._json(state_json(self.server.state, self.server.book_dir))

    def _events(self, query: dict[str, str]) -> None:
        """Server-sent events: the generation of the state, each time it changes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        state, shown = self.server.state, -1
        try:
            while not self.server.stopping.is_set():
                generation = state.wait_newer(shown, HEARTBEAT_SECONDS)
                message = f"data: {generation}\n\n" if generation != shown else ": alive\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                shown = generation
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed

    def _page(self, found: re.Match[str], query: dict[str, str]) -> None:
        pdf = self._pdf(found)
        if pdf is None:
            self._send(HTTPStatus.NOT_FOUND, b"no such page", "text/plain")
            return
        width = nearest_width(int(query.get("w", "800")) if query.get("w", "").isdigit() else 800)
        self._send(HTTPStatus.OK, pdf.picture(int(found["index"]), width), "image/png", cache=True)

    def _pdf(self, found: re.Match[str]) -> LaidOutPdf | None:
        """The PDF a page's address names, when it has that page."""
        shown = self.server.state.shown.get(found["product"])
        pdf = shown.pdf if shown is not None else None
        return pdf if pdf is not None and int(found["index"]) < len(pdf) else None

    def _text(self, found: re.Match[str], query: dict[str, str]) -> None:
        """A page's text runs: [left, top, width, height, text], the box in fractions of
        the page from its top left."""
        pdf = self._pdf(found)
        if pdf is None:
            self._send(HTTPStatus.NOT_FOUND, b"no such page", "text/plain")
            return
        runs = [dataclasses.astuple(run) for run in pdf.text(int(found["index"]))]
        self._json(runs, cache=True)

    def _figure(self, found: re.Match[str], query: dict[str, str]) -> None:
        svg = self.server.state.figure_svg(found["name"])
        if svg is None:
            self._send(HTTPStatus.NOT_FOUND, b"no such drawing", "text/plain")
            return
        self._send(HTTPStatus.OK, svg.encode(), "image/svg+xml", cache=True, policy=FILE_POLICY)

    def _book_file(self, url: str) -> None:
        """A file of the book, as the build may read it, shown and never run."""
        try:
            path = self.server.resolver.book_file(url)
            data = self.server.resolver.read_bytes(path)
        except Refused as refused:
            self._send(HTTPStatus.NOT_FOUND, str(refused).encode(), "text/plain; charset=utf-8")
            return
        if path.suffix.lower() in TEXT_TYPES:
            page = numbered_lines(url, data.decode("utf-8", errors="replace"))
            self._send(HTTPStatus.OK, page.encode(), "text/html; charset=utf-8", policy=FILE_POLICY)
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self._send(HTTPStatus.OK, data, kind, policy=FILE_POLICY)

    # --- responses ---------------------------------------------------------------------

    def _json(self, value: object, cache: bool = False) -> None:
        data = json.dumps(value, ensure_ascii=False).encode()
        self._send(HTTPStatus.OK, data, "application/json", cache=cache)

    def _send(
        self, status: HTTPStatus, data: bytes, kind: str, cache: bool = False,
        policy: str | None = None,
    ) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        # Versioned URLs (a page of version N) never change; everything else is asked again.
        self.send_header("Cache-Control", "max-age=31536000, immutable" if cache else "no-store")
        if policy is not None:
            self.send_header("Content-Security-Policy", policy)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def numbered_lines(name: str, text: str) -> str:
    """A text file of the book as a page of numbered lines, each a target (``#L12``), so
    that a problem's link lands on its line."""
    lines = "".join(
        f'<span id="L{number}"><i>{number}</i>{html.escape(line)}\n</span>'
        for number, line in enumerate(text.splitlines(), start=1)
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(name)}</title>"
        f"<style>{LINES_STYLE}</style></head><body><h1>{html.escape(name)}</h1>"
        f"<pre>{lines}</pre></body></html>"
    )


LINES_STYLE = (
    "body{font:14px ui-monospace,monospace;margin:1rem 2rem}h1{font-size:1rem}"
    "i{display:inline-block;width:3.5em;color:#888;font-style:normal;user-select:none}"
    "span:target{background:#fdecea;outline:1px solid #8a1c1c}"
)


def state_json(state: PreviewState, book_dir: Path) -> dict[str, object]:
    """What the page shows, as the page's script reads it."""
    return {
        "generation": state.generation,
        "building": state.building,
        "problems": [problem_json(problem, book_dir) for problem in state.problems],
        "warnings": [problem_json(warning, book_dir) for warning in state.warnings],
        "products": {
            name: {
                "version": shown.version,
                "note": shown.note,
                "pages": [[size.width, size.height, size.label] for size in shown.pdf.sizes]
                if shown.pdf
                else [],
            }
            for name in PRODUCTS
            for shown in [state.shown[name]]
        },
        "figures": [figure_json(entry, book_dir) for entry in state.figures],
    }


def problem_json(problem: Problem, book_dir: Path) -> dict[str, object]:
    """A problem as the terminal prints it, and a link to its file when in the book."""
    return {"text": str(problem), "href": book_href(problem.path, book_dir, problem.line)}


def book_href(path: Path, book_dir: Path, line: int | None = None) -> str | None:
    resolved = path.resolve()
    if not resolved.is_relative_to(book_dir) or not resolved.is_file():
        return None
    relative = resolved.relative_to(book_dir).as_posix()
    return f"/book/{relative}" + (f"#L{line}" if line is not None else "")


def figure_json(entry: FigureEntry, book_dir: Path) -> dict[str, object]:
    def drawn(drawing: Drawn | None) -> dict[str, str] | None:
        return (
            None
            if drawing is None
            else {"src": f"/figures/{drawing.name}", "caption": drawing.caption}
        )

    return {
        "exercise": entry.exercise,
        "source": display_path(entry.source.path),
        "href": book_href(entry.source.path, book_dir, entry.source.line),
        "whole": drawn(entry.whole),
        "keyframes": [drawn(keyframe) for keyframe in entry.keyframes],
        "fault": str(entry.source) if entry.fault is not None else None,
        "fix": dataclasses.asdict(entry.fix) if entry.fix is not None else None,
        "fixed": drawn(entry.fixed),
        "last_good": drawn(entry.last_good),
    }
