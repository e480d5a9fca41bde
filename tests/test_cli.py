"""The command line itself: verbs, defaults, atomic output."""

from __future__ import annotations

import contextlib
import subprocess
import sys

import pytest
from pypdf import PdfReader

from psoas_print import __version__
from psoas_print.shipped import shipped
from tests.conftest import run_cli


def test_version():
    assert run_cli("--version").stdout.strip() == f"psoas-print {__version__}"


def test_python_dash_m_works_the_same():
    result = subprocess.run(
        [sys.executable, "-m", "psoas_print", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == f"psoas-print {__version__}"


def test_the_console_script_runs_the_same_entry_as_python_dash_m():
    from importlib.metadata import entry_points

    from psoas_print.__main__ import main

    [script] = entry_points(group="console_scripts", name="psoas-print")
    assert script.load() is main


def test_list_shows_exercises_and_routines():
    result = run_cli("list")
    assert result.exit_code == 0
    for word in ("crisscross", "Squat with Arm", "fridge", "quick-standing"):
        assert word in result.stdout


def test_without_a_book_folder_the_sample_book_is_used(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("check")
    assert result.exit_code == 0
    assert (shipped("book") / "book.yaml").is_file()
    assert "5 chapters, 5 exercises" in result.stdout


def test_a_book_folder_in_the_working_folder_wins(book, monkeypatch):
    (book / "routines/quick-standing.yaml").unlink()
    monkeypatch.chdir(book.parent)
    result = run_cli("check")
    assert "1 routines" in result.stdout


def test_an_interrupted_write_keeps_the_last_good_file(tmp_path, monkeypatch):
    import psoas_print.output

    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"%PDF last good")

    def interrupted(descriptor):  # the new PDF is half on disk when the build is stopped
        raise KeyboardInterrupt

    monkeypatch.setattr(psoas_print.output.os, "fsync", interrupted)
    with contextlib.suppress(KeyboardInterrupt):
        run_cli("cheatsheet", "-o", target)
    assert target.read_bytes() == b"%PDF last good"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]


def test_outputs_get_ordinary_file_permissions(tmp_path):
    import os

    target = tmp_path / "sheet.pdf"
    assert run_cli("cheatsheet", "-o", target).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_rebuild_with_nothing_changed_renders_nothing(book, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--book", book, "--out", out).exit_code == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("ebook.*")}
    again = run_cli("build", "--book", book, "--out", out)
    assert again.exit_code == 0
    assert again.stdout.count("up to date") == 3
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("ebook.*")} == stamps

    forced = run_cli("build", "--book", book, "--out", out, "--force")
    assert "up to date" not in forced.stdout
    assert all(out.joinpath(name).stat().st_mtime_ns != stamp for name, stamp in stamps.items())

    path = book / "exercises/crisscross.md"
    path.write_text(path.read_text(encoding="utf-8").replace("4-6", "5-7"), encoding="utf-8")
    changed = run_cli("build", "--book", book, "--out", out)
    assert "up to date" not in changed.stdout
    assert "5\u20137 reps each side" in " ".join(
        PdfReader(out / "cheatsheet.pdf").pages[0].extract_text().split()
    )


def test_an_output_touched_by_hand_is_made_again(book, tmp_path):
    target = tmp_path / "sheet.pdf"
    assert run_cli("cheatsheet", "--book", book, "-o", target).exit_code == 0
    target.write_bytes(b"not a pdf any more")
    result = run_cli("cheatsheet", "--book", book, "-o", target)
    assert "up to date" not in result.stdout
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("command", [["--help"], ["check"], ["list"]])
def test_commands_that_render_nothing_never_load_weasyprint(command):
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "psoas_print", *command],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "psoas_print.cli" in imported
    assert not {name for name in imported if name.split(".")[0] in ("weasyprint", "reportlab")}
