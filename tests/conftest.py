"""Shared fixtures: the sample book's outputs are built once per test run and shared.

Test files run side by side in several worker processes (pytest-xdist), each with a session
of its own. The outputs every worker reads (the sample's ebook, cheat sheet and EPUB on
both papers, its print edition and a handout) are made by whichever worker asks first,
while the others wait for them: one build for the whole run, not one per worker. They are
made by the command itself, each in a process of its own, under SOURCE_DATE_EPOCH, so that
tests/test_reproducible.py can check them against the same products made again.
"""

from __future__ import annotations

import fcntl
import json
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from psoas_print.book.model import Dose
from psoas_print.cli import app
from psoas_print.language.catalogues import words_for
from psoas_print.language.phrases import dose_summary
from psoas_print.shipped import shipped

SAMPLE_BOOK = shipped("book")
SECOND_BOOK = Path(__file__).parent / "books" / "second"  # written for the tests
ENGLISH = words_for(None, "en")  # the labels of a book in English


def summary(dose: Dose) -> str:
    """A dose as an English card says it, "6-10 reps each side, hold 10 s", its no-break
    spaces as plain ones (as the tests' page texts have them)."""
    return " ".join(dose_summary(dose, ENGLISH).split())


EPOCH = "1767225600"  # 2026-01-01 00:00:00 UTC, the date of every shared output
EPOCH_PDF_DATE = "D:20260101000000Z"


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


def _command(args: Sequence[str | Path]) -> list[str]:
    return [sys.executable, "-m", "psoas_print", *(str(arg) for arg in args)]


def run_guarded(*args: str | Path, cwd: Path | None = None, timeout: float = GUARD_SECONDS) -> Run:
    """The command in a process of its own, under a memory limit and a wall-clock timeout."""
    environment = {**os.environ, "COLUMNS": "200"}
    result = subprocess.run(
        _command(args), capture_output=True, text=True, cwd=cwd, timeout=timeout,
        preexec_fn=_limit_memory, env=environment, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    return Run(result.returncode, result.stdout, result.stderr)


# --- outputs built once per test run -------------------------------------------------------


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Held by one worker process of the test run at a time."""
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole test run, which every worker's folder is in."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


def shared_build(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    commands: Mapping[str, Sequence[str]],
    prepare: Callable[[Path], object] | None = None,
) -> tuple[Path, dict[str, Run]]:
    """Run ``commands`` (name: arguments) once per test run, in a folder of their own, side
    by side, each as the real command under SOURCE_DATE_EPOCH; every worker gets the folder
    and what each command said. Arguments name paths relative to the folder, which
    ``prepare`` may first put a book of its own in."""
    root = _run_root(tmp_path_factory)
    folder, said = root / f"shared-{name}", root / f"shared-{name}.json"
    with _locked(root / f"shared-{name}.lock"):
        if not said.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            if prepare is not None:
                prepare(folder)
            runs = _run_side_by_side(folder, commands)
            said.write_text(json.dumps({key: asdict(run) for key, run in runs.items()}))
        runs = {key: Run(**run) for key, run in json.loads(said.read_text()).items()}
    for key, run in runs.items():
        assert run.exit_code == 0, (key, run.stderr)
    return folder, runs


def _start(args: Sequence[str], folder: Path) -> subprocess.Popen[str]:
    environment = {**os.environ, "COLUMNS": "200", "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.Popen(
        _command(args), cwd=folder, env=environment, text=True, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_limit_memory,
    )  # fmt: skip


def _run_side_by_side(folder: Path, commands: Mapping[str, Sequence[str]]) -> dict[str, Run]:
    processes = {key: _start(args, folder) for key, args in commands.items()}
    runs = {}
    try:
        for key, process in processes.items():
            stdout, stderr = process.communicate(timeout=4 * GUARD_SECONDS)
            runs[key] = Run(process.returncode, stdout, stderr)
    finally:  # a command that ran away is not left running
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    return runs


SAMPLE = str(SAMPLE_BOOK)
# The commands of each shared output, as tests/test_reproducible.py makes them again.
OUTPUT_COMMANDS = {
    "build": ["build", "--book", SAMPLE, "--out", "a4", "--paper", "a4"],
    "cheatsheet-letter": ["cheatsheet", "--book", SAMPLE, "--paper", "letter",
                          "-o", "letter/cheatsheet.pdf", "--html", "letter/cheatsheet.html"],
    # Laid out by the process the ebook command makes ready at its start.
    "ebook-letter": ["ebook", "--book", SAMPLE, "--paper", "letter",
                     "-o", "letter/ebook.pdf", "--html", "letter/ebook.html"],
    "sample-edition": ["ebook", "--book", SAMPLE, "--sample", "-o", "sample/sample.pdf"],
}  # fmt: skip
PRINT_COMMAND = ["ebook", "--book", SAMPLE, "--print", "--trim", "6x9in", "--bleed", "3mm",
                 "--marks", "-o", "print.pdf"]  # fmt: skip
HANDOUT_COMMAND = ["handout", "--book", SAMPLE, "--routine", "fridge", "--paper", "a4",
                   "--date", "2026-12-01", "-o", "handout.pdf"]  # fmt: skip


@pytest.fixture(scope="session")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample's cheat sheet, ebook and EPUB made by ``build`` on A4, its cheat sheet
    and ebook (with their HTML) made by their own commands on US Letter, and its free
    sample edition."""
    out, runs = shared_build(tmp_path_factory, "outputs", OUTPUT_COMMANDS)
    letter = out / "letter"
    return {
        "a4": out / "a4",
        "letter": letter,
        "cheatsheet-a4": out / "a4" / "cheatsheet.pdf",
        "ebook-a4": out / "a4" / "ebook.pdf",
        "epub-a4": out / "a4" / "ebook.epub",
        "cheatsheet-letter": letter / "cheatsheet.pdf",
        "cheatsheet-letter-html": letter / "cheatsheet.html",
        "ebook-letter": letter / "ebook.pdf",
        "ebook-letter-html": letter / "ebook.html",
        "sample-edition": out / "sample" / "sample.pdf",
        "build-summary": runs["build"].stdout,  # type: ignore[dict-item]
    }


@pytest.fixture(scope="session")
def ebook(outputs: dict[str, Path]) -> PdfReader:
    return PdfReader(outputs["ebook-a4"])


@dataclass(frozen=True)
class Made:
    path: Path
    stderr: str


@pytest.fixture(scope="session")
def print_edition(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """The sample's print edition at 6 x 9 in, with bleed and crop marks."""
    folder, runs = shared_build(tmp_path_factory, "print", {"print": PRINT_COMMAND})
    return Made(folder / "print.pdf", runs["print"].stderr)


@pytest.fixture(scope="session")
def sample_handout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One A4 handout of the 'fridge' routine, one copy to the sheet, dated."""
    folder, _ = shared_build(tmp_path_factory, "handout", {"handout": HANDOUT_COMMAND})
    return folder / "handout.pdf"


# Every product the tool lays out, by name: the PDFs the shared builds above made of it.
PDF_PRODUCTS = ("cheat sheet", "ebook", "sample edition", "print edition", "handout")


@pytest.fixture(scope="session")
def pdf_products(
    outputs: dict[str, Path], print_edition: Made, sample_handout: Path
) -> dict[str, Path]:
    paths = (outputs["cheatsheet-a4"], outputs["ebook-a4"], outputs["sample-edition"],
             print_edition.path, sample_handout)  # fmt: skip
    return dict(zip(PDF_PRODUCTS, paths, strict=True))


@pytest.fixture(scope="session")
def without_routines(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    """A copy of the sample book with every routine taken out, made with ``build``: the
    folder of its outputs, and what the command said."""

    def prepare(folder: Path) -> None:
        book = Path(shutil.copytree(SAMPLE_BOOK, folder / "book"))
        for routine in (book / "routines").glob("*.yaml"):
            routine.unlink()

    command = {"build": ["build", "--book", "book", "--out", "out"]}
    folder, runs = shared_build(tmp_path_factory, "without-routines", command, prepare)
    return folder / "out", runs["build"]


def copy_outputs(folder: Path, target: Path) -> Path:
    """A copy of shared outputs (with the tool's records and kept figures) to build into
    again; the copies keep their times, so the records still vouch for them."""
    return Path(shutil.copytree(folder, target, symlinks=True))


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A private copy of the sample book to break in a test."""
    return Path(shutil.copytree(SAMPLE_BOOK, tmp_path / "book"))


# --- the order test files run in ------------------------------------------------------
# Files are handed to the workers in collection order. The files that took longest last
# time go first, so that the workers end together instead of one idling while the other
# runs a long file at the end (on two cores, some 20 seconds of a quick run). A run with no
# record (a clean checkout, as CI has) keeps the usual order.

DURATIONS_KEY = "psoas-print/file-seconds"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    cache = getattr(config, "cache", None)  # none with -p no:cacheprovider
    seconds: dict[str, float] = cache.get(DURATIONS_KEY, {}) if cache else {}
    if seconds:
        items.sort(key=lambda item: -seconds.get(item.nodeid.split("::")[0], 0.0))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _seconds_by_file[report.nodeid.split("::")[0]] = (
        _seconds_by_file.get(report.nodeid.split("::")[0], 0.0) + report.duration
    )


_seconds_by_file: dict[str, float] = {}


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Keep this run's time per file (the controlling process sees every worker's reports)."""
    cache = getattr(session.config, "cache", None)
    if cache is None or not _seconds_by_file or _is_worker(session.config):
        return
    kept = cache.get(DURATIONS_KEY, {})
    cache.set(DURATIONS_KEY, {**kept, **_seconds_by_file})


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")
