"""Shared fixtures: the sample outputs are built once per test session."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from psoas_print.cli import app
from psoas_print.shipped import shipped

SAMPLE_BOOK = shipped("book")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path) -> Run:
    result = CliRunner().invoke(app, [str(arg) for arg in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


# A runaway command (unbounded memory or time) fails its test instead of taking the machine
# or hanging the suite: the limits are generous for Pango and the worker processes.
GUARD_MEMORY_BYTES = 3 * 1024**3
GUARD_SECONDS = 120


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_DATA, (GUARD_MEMORY_BYTES, GUARD_MEMORY_BYTES))


def run_guarded(*args: str | Path, cwd: Path | None = None, timeout: float = GUARD_SECONDS) -> Run:
    """The command in a process of its own, under a memory limit and a wall-clock timeout."""
    command = [sys.executable, "-m", "psoas_print", *(str(arg) for arg in args)]
    environment = {**os.environ, "COLUMNS": "200"}
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=cwd, timeout=timeout,
        preexec_fn=_limit_memory, env=environment, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    return Run(result.returncode, result.stdout, result.stderr)


@pytest.fixture(scope="session")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every sample output, on both papers, built through the command line."""
    out = tmp_path_factory.mktemp("outputs")
    built = run_cli("build", "--book", SAMPLE_BOOK, "--out", out / "a4", "--paper", "a4")
    assert built.exit_code == 0, built.stderr
    letter = out / "letter"
    for product in ("cheatsheet", "ebook"):
        made = run_cli(
            product,
            "--book",
            SAMPLE_BOOK,
            "--paper",
            "letter",
            "-o",
            letter / f"{product}.pdf",
            "--html",
            letter / f"{product}.html",
        )
        assert made.exit_code == 0, made.stderr
    return {
        "cheatsheet-a4": out / "a4" / "cheatsheet.pdf",
        "ebook-a4": out / "a4" / "ebook.pdf",
        "cheatsheet-letter": letter / "cheatsheet.pdf",
        "ebook-letter": letter / "ebook.pdf",
        "ebook-letter-html": letter / "ebook.html",
        "build-summary": built.stdout,  # type: ignore[dict-item]
    }


@pytest.fixture(scope="session")
def ebook(outputs: dict[str, Path]) -> PdfReader:
    return PdfReader(outputs["ebook-a4"])


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A private copy of the sample book to break in a test."""
    return Path(shutil.copytree(SAMPLE_BOOK, tmp_path / "book"))
