"""The ``psoas-print`` command, also run as ``python -m psoas_print``."""

from __future__ import annotations

import gc
import signal
import sys
from typing import NoReturn

INTERRUPTED = 130  # the shell's status for a command stopped by Ctrl-C (128 + SIGINT)


def main() -> None:
    """Run the command line.

    For a command that lays a book out, WeasyPrint is made ready in a second process first,
    before even the command line library is imported, so that its slow import overlaps
    everything this process does before the first page is laid out.

    Ctrl-C stops the command with one line saying what was written; worker processes leave
    it to this one (see workers.py), and every output is written whole or not at all.
    """
    try:
        _run()
    except KeyboardInterrupt:  # before the command line took over, while importing
        _interrupted()
    except SystemExit as end:
        # The command line turns Ctrl-C into this status, silently.
        if end.code == INTERRUPTED:
            _interrupted()
        raise
    finally:
        # The process is ending: exempt every object from the last garbage collection,
        # which would take tens of milliseconds to free memory the system reclaims anyway.
        gc.freeze()


def _run() -> None:
    if _lays_out_a_book(sys.argv[1:]):
        from psoas_print import typesetter

        typesetter.start()
    from psoas_print.cli import app

    app(prog_name="psoas-print")


def _interrupted() -> NoReturn:
    """Say what Ctrl-C left behind: each output is either written whole or as it was."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C changes nothing now
    typesetter = sys.modules.get("psoas_print.typesetter")
    if typesetter is not None:
        typesetter.dismiss()
    sys.stderr.write(_what_was_written() + "\n")
    sys.stderr.flush()
    raise SystemExit(INTERRUPTED)


def _what_was_written() -> str:
    from psoas_print.cache import STATE
    from psoas_print.errors import display_path
    from psoas_print.output import written

    products = [display_path(path) for path in written if STATE not in path.parts]
    if not products:
        return "Interrupted: nothing was written."
    if len(products) > 3:  # licensed copies, say: the count and the last one written
        products = [f"{len(products)} files (the last {products[-1]})"]
    return f"Interrupted after writing {', '.join(products)}; every other output is as it was."


def _lays_out_a_book(arguments: list[str]) -> bool:
    return arguments[:1] == ["ebook"] and "--help" not in arguments


if __name__ == "__main__":
    main()
