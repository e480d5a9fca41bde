"""The ``psoas-print`` command, also run as ``python -m psoas_print``."""

from __future__ import annotations

import gc
import signal
import sys
from typing import TYPE_CHECKING, NoReturn

import typer

from psoas_print.errors import display_path
from psoas_print.output import STATE, written

if TYPE_CHECKING:
    from psoas_print.layout.ready import ReadyTypesetter

INTERRUPTED = 130  # the shell's status for a command stopped by Ctrl-C (128 + SIGINT)


def main() -> None:
    """Run the command line.

    For a command that lays a book out, WeasyPrint is made ready in a second process first,
    before even the command line is parsed, so that its slow import overlaps everything
    this process does before the first page is laid out. The process is handed to the
    command as its context's object.

    Ctrl-C stops the command with one line saying what was written; worker processes leave
    it to this one (see workers.py), and every output is written whole or not at all.
    """
    typesetter: ReadyTypesetter | None = None
    try:
        typesetter = _ready_typesetter(sys.argv[1:])
        _run(typesetter)
    except KeyboardInterrupt:  # before the command line took over, while importing
        _interrupted(typesetter)
    except SystemExit as end:
        # The command line turns Ctrl-C into this status, silently.
        if end.code == INTERRUPTED:
            _interrupted(typesetter)
        raise
    finally:
        # The process is ending: exempt every object from the last garbage collection,
        # which would take tens of milliseconds to free memory the system reclaims anyway.
        gc.freeze()


def _run(typesetter: ReadyTypesetter | None) -> NoReturn:
    from psoas_print.cli import app  # after the fork: the ready process needs none of it

    arguments = sys.argv[1:] or ["--help"]  # no command: what the commands are
    try:
        outcome = app(arguments, "psoas-print", obj=typesetter, standalone_mode=False)
    except typer.TyperException as error:  # a bad option: one line, like every problem
        sys.stderr.write(one_line(error) + "\n")
        raise SystemExit(2) from None
    except typer.Abort:  # Ctrl-C while the command line read its options
        raise SystemExit(INTERRUPTED) from None
    raise SystemExit(outcome if isinstance(outcome, int) else 0)


def one_line(error: typer.TyperException) -> str:
    """``--option: what is wrong``, as the tool names every problem."""
    message = str(getattr(error, "message", "") or "").removeprefix("Value error, ")
    param = getattr(error, "param", None)
    if isinstance(error, typer.BadParameter) and param is not None and message:
        return f"{param.opts[0] if param.opts else param.name}: {message}"
    format_message = getattr(error, "format_message", None)
    return f"psoas-print: {format_message() if format_message else error}"


def _interrupted(typesetter: ReadyTypesetter | None) -> NoReturn:
    """Say what Ctrl-C left behind: each output is either written whole or as it was."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C changes nothing now
    if typesetter is not None:
        typesetter.stop()
    sys.stderr.write(_what_was_written() + "\n")
    sys.stderr.flush()
    raise SystemExit(INTERRUPTED)


def _what_was_written() -> str:
    products = [display_path(path) for path in written if STATE not in path.parts]
    if not products:
        return "Interrupted: nothing was written."
    if len(products) > 3:  # licensed copies, say: the count and the last one written
        products = [f"{len(products)} files (the last {products[-1]})"]
    return f"Interrupted after writing {', '.join(products)}; every other output is as it was."


def _ready_typesetter(arguments: list[str]) -> ReadyTypesetter | None:
    """For the ``ebook`` and ``epub`` commands (the EPUB's cover picture is laid out),
    WeasyPrint made ready in a process of its own. Imported here and only then: the
    typesetter's modules cost other commands (``check``) 30 ms."""
    if arguments[:1] not in (["ebook"], ["epub"]) or "--help" in arguments:
        return None
    from psoas_print.layout import ready

    return ready.start()


if __name__ == "__main__":
    main()
