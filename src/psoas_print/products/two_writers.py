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


def write_files(files: list[list[Piece]], dated: str | None) -> list[bytes]:
    """Each file's PDF, its pieces joined in order; a joined one ``dated`` (see
    pdf/dates.py) as its pieces are."""
    pieces = [piece for file in files for piece in file]
    written = iter(_write_pieces(pieces))
    return [_joined([next(written) for _ in file], file, dated) for file in files]


def halves(document: LaidOutDocument, runs: list[list[LaidOutPage]]) -> list[Piece]:
    """Runs of pages (a client's each) as two pieces of about as many pages, cut between
    runs; a single run is one piece."""
    total = sum(len(run) for run in runs)
    written, cut = 0, len(runs)
    for index, run in enumerate(runs[:-1]):
        written += len(run)
        if written * 2 >= total:
            cut = index + 1
            break
    parts = [runs[:cut], runs[cut:]]
    return [(document, [page for run in part for page in run]) for part in parts if part]


def _write_pieces(pieces: list[Piece]) -> list[bytes]:
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


def _joined(written: list[bytes], file: list[Piece], dated: str | None) -> bytes:
    if len(written) == 1:
        return written[0]
    from psoas_print.pdf.joining import join

    starts, page = [], len(file[0][1]) + 1
    for _, pages in file[1:]:
        starts.append(page)
        page += len(pages)
    return join(written[0], written[1:], starts, PORTION_SCHEME, dated=dated)
