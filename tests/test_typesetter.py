"""The ``ebook`` command lays its HTML out in a process made ready while the book is read.

These tests run the real command (``python -m psoas_print``, as the console script does);
tests/test_reproducible.py (in the full run) shows that the ebook it makes is the one a build
in a single process makes, to the byte.
"""

from __future__ import annotations

import contextlib
import gc
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from psoas_print.book.sources import Sources
from psoas_print.layout import ready
from psoas_print.products.context import BuildContext
from psoas_print.shipped import shipped
from tests.conftest import SAMPLE_BOOK, copy_outputs


def command(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "psoas_print", *map(str, args)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_a_layout_problem_found_while_laying_out_is_one_line(book, tmp_path):
    tokens = (shipped("layouts") / "tokens.css").read_text(encoding="utf-8")
    (book / "layouts").mkdir()
    (book / "layouts" / "tokens.css").write_text(f"{tokens}\nh1 {{ colour: red; }}\n")
    target = tmp_path / "ebook.pdf"
    result = command("ebook", "--book", book, "-o", target)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.endswith("unknown property."), line
    # The interior or the cover page, whichever is laid out first with the shared tokens.
    assert re.search(r"ebook(-cover)?\.html: Ignored `colour: red`", line), line
    assert not target.exists()


def test_the_ready_process_ends_with_the_command_when_nothing_is_laid_out(outputs, tmp_path):
    # The session's US Letter ebook, made by this command: copied, it is up to date.
    out = copy_outputs(outputs["letter"], tmp_path / "letter")
    target = out / "ebook.pdf"
    again = command(
        "ebook", "--book", SAMPLE_BOOK, "--paper", "letter", "-o", target,
        "--html", out / "ebook.html",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stdout
    time.sleep(0.2)
    assert not [line for line in command_lines() if str(target) in line]


def command_lines() -> list[str]:
    """The command line of every running process."""
    lines = []
    for process in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):  # a process that ended meanwhile
            lines.append((process / "cmdline").read_bytes().replace(b"\0", b" ").decode())
    return lines


def laid_out_text(typeset, tmp_path: Path) -> str:
    (tmp_path / "out.pdf").write_bytes(typeset.data)
    return PdfReader(tmp_path / "out.pdf").pages[0].extract_text()


def test_typeset_uses_the_ready_process_once_then_lays_out_here(tmp_path):
    html = "<html lang='en'><body><h1 id='top'>Ready</h1><p>Laid out elsewhere.</p></body></html>"
    context = BuildContext(Sources(SAMPLE_BOOK), ready=ready.start())
    process = context.ready
    assert process is not None and process.process.is_alive()
    there = context.typeset(html, Path("test.html"), None)
    assert context.ready is None and not process.process.is_alive()
    here = context.typeset(html, Path("test.html"), None)
    assert there.pages == here.pages == 1
    assert there.anchors == here.anchors == {"top": 1}
    for typeset in (there, here):
        assert "Laid out elsewhere." in laid_out_text(typeset, tmp_path)


def test_if_the_ready_process_died_the_book_is_laid_out_here(tmp_path):
    context = BuildContext(Sources(SAMPLE_BOOK), ready=ready.start())
    assert context.ready is not None
    context.ready.process.kill()
    context.ready.process.join()
    laid = context.typeset(
        "<html lang='en'><body><p>Still made.</p></body></html>", Path("test.html"), None
    )
    assert laid.pages == 1
    assert "Still made." in laid_out_text(laid, tmp_path)
    assert context.ready is None


def test_a_dismissed_ready_process_is_stopped():
    context = BuildContext(Sources(SAMPLE_BOOK), ready=ready.start())
    process = context.ready
    assert process is not None
    context.dismiss_ready()
    assert context.ready is None
    assert not process.process.is_alive()


@pytest.mark.parametrize(
    ("arguments", "made_ready"),
    [
        (["--help"], False),
        (["ebook", "--help"], False),
        (["check", "--book", "no-such-book"], False),
        (["build", "--book", "no-such-book"], False),
        (["ebook", "--book", "no-such-book"], True),
    ],
)
def test_only_the_ebook_command_makes_a_process_ready(monkeypatch, arguments, made_ready):
    """The command line forks the ready process for ``ebook`` only: ``check``, ``build``
    and any ``--help`` never pay for it."""
    from psoas_print.__main__ import main

    started: list[bool] = []
    monkeypatch.setattr(ready, "start", lambda: started.append(True))
    monkeypatch.setattr(sys, "argv", ["psoas-print", *arguments])
    try:
        with pytest.raises(SystemExit):
            main()
    finally:
        gc.unfreeze()  # main() freezes what it leaves for a process that is about to end
    assert started == ([True] if made_ready else [])
