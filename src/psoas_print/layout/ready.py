"""A typesetting process made ready before the command line is even parsed.

Importing WeasyPrint costs about 0.4 s (most of it finding Pango's libraries), as much as
laying out half the sample book. The ``ebook`` command therefore forks a process that
imports WeasyPrint first thing; while it does, the command parses its options, reads the
book, draws the figures and fills the layouts, then sends the HTML over and gets the PDF
back. When nothing needs laying out, the process is stopped unused. The process travels
in the build's context (products/context.py), never in a global.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import traceback
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Literal

from psoas_print.book.sources import Sources
from psoas_print.errors import BookError
from psoas_print.layout import fontconf
from psoas_print.layout.typesetter import Request, Typeset, typeset_here

# What the process sends back: the laid-out document, the problem with the book, or the
# traceback of a bug.
Answer = (
    tuple[Literal["pdf"], Typeset]
    | tuple[Literal["problem"], BookError]
    | tuple[Literal["crash"], str]
)


class ReadyTypesetter:
    """A forked process with WeasyPrint imported, waiting for one piece of HTML."""

    def __init__(self) -> None:
        # Fork, not spawn: the child starts at once with what is already imported; nothing
        # has started a thread this early, so forking is safe.
        context = multiprocessing.get_context("fork")
        self.connection, theirs = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(theirs, self.connection), daemon=True, name="typesetter"
        )
        self.process.start()
        theirs.close()

    def typeset(self, request: Request) -> Typeset:
        return self.receive(request) if self.send(request) else typeset_here(request)

    def send(self, request: Request) -> bool:
        """Hand ``request`` over; False when the process has died (killed, out of memory)."""
        try:
            self.connection.send(request)
        except (EOFError, OSError):
            self.stop()
            return False
        return True

    def receive(self, request: Request) -> Typeset:
        """The typeset ``request``, once the process has laid it out (or here, if it died)."""
        try:
            answer: Answer = self.connection.recv()
        except (EOFError, OSError):
            self.stop()
            return typeset_here(request)
        self.stop()
        if answer[0] == "problem":
            raise answer[1]
        if answer[0] == "crash":
            raise RuntimeError(f"the typesetting process failed:\n{answer[1]}")
        return answer[1]

    def stop(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _serve(connection: Connection, parents_end: Connection) -> None:
    """In the forked process: import WeasyPrint, lay out one request, send the PDF back."""
    parents_end.close()  # so that this end sees EOF when the parent goes away
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to report
    # The import only allocates: no garbage to look for while it runs (about 5% faster).
    gc.disable()
    # WeasyPrint's import loads a fontconfig configuration: the tool's own, never the
    # system's (see fontconf.py).
    fontconf.confine(Sources(book=None).font_dirs)
    import weasyprint  # noqa: F401  - the slow import this process exists for

    gc.enable()

    try:
        request = connection.recv()
    except EOFError:  # nothing to lay out after all
        return
    connection.send(_answer(request))


def _answer(request: Request) -> Answer:
    try:
        return "pdf", typeset_here(request)
    except BookError as error:
        return "problem", error
    except Exception:  # a bug: the parent shows the traceback
        return "crash", traceback.format_exc()


def start() -> ReadyTypesetter | None:
    """Fork the process that makes WeasyPrint ready; call before anything slow.

    Where processes cannot be forked (Windows), None: the book is laid out in this process.
    """
    if "fork" in multiprocessing.get_all_start_methods():
        return ReadyTypesetter()
    return None
