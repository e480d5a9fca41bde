"""The ``ebook`` command lays its HTML out in a process made ready while the book is read.

These tests run the real command (``python -m psoas_print``, as the console script does)
and compare it with the same build made in this process, without the ready process.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from psoas_print.layout import typesetter
from psoas_print.book.sources import Sources
from psoas_print.shipped import shipped
from tests.conftest import SAMPLE_BOOK, run_cli

EPOCH = "1767225600"


def command(*args: str | Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run(
        [sys.executable, "-m", "psoas_print", *map(str, args)],
        capture_output=True, text=True, env=environment, timeout=120,
    )  # fmt: skip


@pytest.mark.slow
def test_the_command_makes_the_same_ebook_as_a_build_in_one_process(tmp_path, monkeypatch):
    made = command("ebook", "--book", SAMPLE_BOOK, "-o", tmp_path / "command.pdf")
    assert made.returncode == 0, made.stderr
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    alone = run_cli("ebook", "--book", SAMPLE_BOOK, "-o", tmp_path / "alone.pdf")
    assert alone.exit_code == 0, alone.stderr
    assert (tmp_path / "command.pdf").read_bytes() == (tmp_path / "alone.pdf").read_bytes()
    assert len(PdfReader(tmp_path / "command.pdf").pages) > 20


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
    assert "ebook.html: Ignored `colour: red`" in line
    assert not target.exists()


def test_the_ready_process_ends_with_the_command_when_nothing_is_laid_out(tmp_path):
    target = tmp_path / "unused-typesetter.pdf"
    assert command("ebook", "--book", SAMPLE_BOOK, "-o", target).returncode == 0
    again = command("ebook", "--book", SAMPLE_BOOK, "-o", target)
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


def test_typeset_uses_the_ready_process_once_then_lays_out_here(tmp_path):
    html = "<html lang='en'><body><h1 id='top'>Ready</h1><p>Laid out elsewhere.</p></body></html>"
    sources = Sources(SAMPLE_BOOK)
    typesetter.start()
    ready = typesetter._ready
    assert ready is not None and ready.process.is_alive()
    there = typesetter.typeset(html, sources, Path("test.html"), None)
    assert typesetter._ready is None and not ready.process.is_alive()
    here = typesetter.typeset(html, sources, Path("test.html"), None)
    assert there.pages == here.pages == 1
    assert there.anchors == here.anchors == {"top": 1}
    for data in (there.data, here.data):
        (tmp_path / "out.pdf").write_bytes(data)
        assert "Laid out elsewhere." in PdfReader(tmp_path / "out.pdf").pages[0].extract_text()


def test_if_the_ready_process_died_the_book_is_laid_out_here(tmp_path):
    typesetter.start()
    ready = typesetter._ready
    assert ready is not None
    ready.process.kill()
    ready.process.join()
    html = "<html lang='en'><body><p>Still made.</p></body></html>"
    laid = typesetter.typeset(html, Sources(SAMPLE_BOOK), Path("test.html"), None)
    (tmp_path / "out.pdf").write_bytes(laid.data)
    assert laid.pages == 1
    assert "Still made." in PdfReader(tmp_path / "out.pdf").pages[0].extract_text()


def test_a_dismissed_ready_process_is_stopped():
    typesetter.start()
    ready = typesetter._ready
    assert ready is not None
    typesetter.dismiss()
    assert typesetter._ready is None
    assert not ready.process.is_alive()


@pytest.mark.parametrize("arguments", [["--help"], ["ebook", "--help"], ["check"], ["build"]])
def test_only_the_ebook_command_makes_a_process_ready(arguments):
    from psoas_print.__main__ import _lays_out_a_book

    assert not _lays_out_a_book(arguments)
    assert _lays_out_a_book(["ebook", "--book", "x"])
