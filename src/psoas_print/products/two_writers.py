"""The pages of a render written as PDFs on both cores.

A render is one process's work, but writing its pages (drawing each page, subsetting the
fonts) is a third of a caseload's programmes. So once the pages are laid out, this
process forks: the copy writes every other piece while this process writes the rest, and
a file made of several pieces has them joined (pdf/joining.py keeps their structure,
bookmarks and links, and each font once). Forking hands the copy the laid-out pages
without sending them anywhere; it is taken only in a process that runs no other thread
(a pool's worker), since a fork taken while another thread holds a lock deadlocks.
Anywhere else, the pieces are written here one after the other.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from multiprocessing.connection import Connection

from psoas_print.layout.typesetter import PORTION_SCHEME, LaidOutDocument, LaidOutPage, tagged_pdf

# Pages to write as one PDF: the document whose metadata it takes, and the pages.
Piece = tuple[LaidOutDocument, list[LaidOutPage]]


def write_pieces(pieces: list[Piece]) -> list[bytes]:
    """Each piece as a tagged PDF of its own, on both cores where this process may fork."""
    if len(pieces) < 2 or not _may_fork():
        return [_pdf(piece) for piece in pieces]
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe(duplex=False)
    copy = context.Process(target=_write_in_copy, args=(pieces[1::2], theirs), daemon=True)
    copy.start()
    theirs.close()
    try:
        mine = [_pdf(piece) for piece in pieces[0::2]]
        try:
            kind, answer = ours.recv()
        except EOFError:  # the copy was killed (out of memory, say): its share written here
            kind, answer = "pdfs", [_pdf(piece) for piece in pieces[1::2]]
    finally:
        copy.join()
    if kind == "crash":
        raise RuntimeError(f"the process writing half the pages failed:\n{answer}")
    written: list[bytes] = [b""] * len(pieces)
    written[0::2], written[1::2] = mine, answer
    return written


def joined(pdfs: list[bytes], pages: list[int], dated: str | None) -> bytes:
    """PDFs of ``pages`` pages each as one, ``dated`` (see pdf/dates.py) as they are."""
    if len(pdfs) == 1:
        return pdfs[0]
    from psoas_print.pdf.joining import join

    starts = [1 + sum(pages[:index]) for index in range(1, len(pdfs))]
    return join(pdfs[0], pdfs[1:], starts, PORTION_SCHEME, dated=dated)


def cut_in_two(sizes: list[int]) -> int:
    """Where to cut runs of pages of these ``sizes`` (a client's each) so that the two
    halves have about as many pages, each at least one run: the index of the second
    half's first run (a single run stays whole)."""
    total = sum(sizes)
    cuts = range(1, max(len(sizes), 2))
    return min(cuts, key=lambda cut: abs(2 * sum(sizes[:cut]) - total))


def _may_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _write_in_copy(pieces: list[Piece], connection: Connection) -> None:
    """In the forked copy: write its pieces and send them back (or the traceback of a bug)."""
    try:
        connection.send(("pdfs", [_pdf(piece) for piece in pieces]))
    except Exception:
        connection.send(("crash", traceback.format_exc()))


def _pdf(piece: Piece) -> bytes:
    document, pages = piece
    return tagged_pdf(document.with_pages(pages), None)
