"""`psoas-print preview`: the server, the rebuilding and the watching, started together
and stopped together on Ctrl-C."""

from __future__ import annotations

import errno
import signal
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from psoas_print.errors import BookError
from psoas_print.preview.rebuilding import PreviewState, Rebuilder, working_folder
from psoas_print.preview.server import PreviewServer
from psoas_print.preview.watching import watch_book

Say = Callable[[str], None]


def run_preview(book_dir: Path, port: int, open_page: bool, say: Say) -> None:
    """Serve the preview of ``book_dir`` on 127.0.0.1 until Ctrl-C (or SIGTERM)."""
    if not book_dir.is_dir():
        raise BookError.at(
            book_dir, None, "no book folder here (make one with `psoas-print new book`)"
        )
    folder = working_folder(book_dir)
    if folder.resolve().is_relative_to(book_dir.resolve()):
        raise BookError.at(folder, None, "the preview's working folder would be inside the book")
    state = PreviewState()
    server = _server(port, state, book_dir)
    rebuilder = Rebuilder(book_dir, state, folder, say)
    threads = [
        threading.Thread(target=rebuilder.run, name="rebuild", daemon=True),
        threading.Thread(
            target=watch_book, args=(book_dir, rebuilder.book_changed.set, rebuilder.stopping),
            name="watch", daemon=True,
        ),
        threading.Thread(target=server.serve_forever, name="serve", daemon=True),
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    say(f"Preview of {book_dir} at {server.url} (Ctrl-C stops it)")
    if open_page:
        webbrowser.open(server.url)
    _wait_for_stop()
    say("Stopping")
    server.stopping.set()
    rebuilder.stop()
    server.shutdown()
    server.server_close()
    threads[0].join()


def _server(port: int, state: PreviewState, book_dir: Path) -> PreviewServer:
    try:
        return PreviewServer(port, state, book_dir)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise BookError.at(
                book_dir, None, f"port {port} is in use: choose another with --port"
            ) from None
        raise BookError.at(
            book_dir, None, f"cannot serve on port {port}: {error.strerror}"
        ) from None


def _wait_for_stop() -> None:
    """Until Ctrl-C or SIGTERM, both of which stop the preview cleanly."""
    stop = threading.Event()

    def stopped(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, stopped) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
