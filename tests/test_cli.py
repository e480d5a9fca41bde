"""The command line itself: verbs, defaults, atomic output."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from psoas_print import __version__
from psoas_print.shipped import shipped
from tests.conftest import SAMPLE_BOOK, copy_outputs, run_cli


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


def test_outputs_get_ordinary_file_permissions(outputs):
    umask = os.umask(0)
    os.umask(umask)
    for name in ("cheatsheet-a4", "ebook-a4", "epub-a4", "ebook-letter-html"):
        assert outputs[name].stat().st_mode & 0o777 == 0o666 & ~umask, name


@pytest.mark.slow  # several builds in a row
def test_a_rebuild_with_nothing_changed_renders_nothing(outputs, book, tmp_path):
    # The session's build of the sample book, which the copy in ``book`` is.
    out = copy_outputs(outputs["a4"], tmp_path / "out")
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("ebook.*")}
    again = run_cli("build", "--book", book, "--out", out, "--paper", "a4")
    assert again.exit_code == 0
    assert again.stdout.count("up to date") == 3
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("ebook.*")} == stamps

    forced = run_cli("build", "--book", book, "--out", out, "--paper", "a4", "--force")
    assert "up to date" not in forced.stdout
    assert all(out.joinpath(name).stat().st_mtime_ns != stamp for name, stamp in stamps.items())

    path = book / "exercises/crisscross.md"
    path.write_text(path.read_text(encoding="utf-8").replace("4-6", "5-7"), encoding="utf-8")
    changed = run_cli("build", "--book", book, "--out", out, "--paper", "a4")
    assert "up to date" not in changed.stdout
    assert "5\u20137 reps each side" in " ".join(
        PdfReader(out / "cheatsheet.pdf").pages[0].extract_text().split()
    )


def test_an_output_touched_by_hand_is_made_again(outputs, tmp_path):
    out = copy_outputs(outputs["a4"], tmp_path / "out")
    (out / "cheatsheet.pdf").write_bytes(b"not a pdf any more")
    result = run_cli("build", "--book", SAMPLE_BOOK, "--out", out, "--paper", "a4")
    assert result.exit_code == 0, result.stderr
    rows = {row.split()[0].rsplit("/", 1)[-1]: row for row in result.stdout.splitlines()[1:-1]}
    assert "up to date" not in rows["cheatsheet.pdf"]
    assert "up to date" in rows["ebook.pdf"] and "up to date" in rows["ebook.epub"]
    assert (out / "cheatsheet.pdf").read_bytes().startswith(b"%PDF")


def imported_by(*command: str | Path) -> tuple[set[str], str]:
    """The modules the command imported, and what it printed."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "psoas_print", *map(str, command)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "psoas_print.cli" in imported  # the list is read right
    return imported, result.stdout


def slow_to_import(imported: set[str]) -> set[str]:
    return {name for name in imported if name.split(".")[0] in ("weasyprint", "reportlab")}


@pytest.mark.parametrize("command", [["--help"], ["check"], ["list"]])
def test_commands_that_render_nothing_never_load_weasyprint(command):
    imported, _ = imported_by(*command)
    assert not slow_to_import(imported)


def test_an_up_to_date_build_never_loads_weasyprint(outputs, tmp_path):
    out = copy_outputs(outputs["a4"], tmp_path / "out")
    imported, said = imported_by("build", "--book", SAMPLE_BOOK, "--out", out, "--paper", "a4")
    assert said.count("up to date") == 3
    assert not slow_to_import(imported)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("psoas-print ch", {"cheatsheet", "check"}),
        ("psoas-print ebook --pa", {"--paper", "--parts"}),
    ],
)
def test_the_shell_completes_commands_and_options(words, expected):
    """What `psoas-print --install-completion` wires into bash asks the command itself."""
    environment = {
        **os.environ, "_PSOAS_PRINT_COMPLETE": "complete_bash",
        "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1),
    }  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "psoas_print"], capture_output=True, text=True, env=environment,
        timeout=60, check=False,
    )  # fmt: skip
    assert set(result.stdout.split()) == expected
