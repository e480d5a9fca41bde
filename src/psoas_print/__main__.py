"""The ``psoas-print`` command, also run as ``python -m psoas_print``."""

from __future__ import annotations

import gc
import sys


def main() -> None:
    """Run the command line.

    For a command that lays a book out, WeasyPrint is made ready in a second process first,
    before even the command line library is imported, so that its slow import overlaps
    everything this process does before the first page is laid out.
    """
    if _lays_out_a_book(sys.argv[1:]):
        from psoas_print import typesetter

        typesetter.start()
    from psoas_print.cli import app

    try:
        app(prog_name="psoas-print")
    finally:
        # The process is ending: exempt every object from the last garbage collection,
        # which would take tens of milliseconds to free memory the system reclaims anyway.
        gc.freeze()


def _lays_out_a_book(arguments: list[str]) -> bool:
    return arguments[:1] == ["ebook"] and "--help" not in arguments


if __name__ == "__main__":
    main()
