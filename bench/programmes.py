"""The programme benchmark: a caseload's handouts in one command.

Writes a CSV of N clients (each with three stages of three to five of the sample book's
exercises, their own doses and a start date), then times `psoas-print programme` as a
clinician runs it, the whole command with its files written: all clients in one PDF, and
one file per client with --split.

    pip install '.[bench]' && python bench/programmes.py [--clients 100] [--repeat 3]
    python bench/programmes.py --memory 100,250   # the peak memory of one PDF, once each

"peak MB" sums the resident memory of the command and its processes, counting twice what
a worker shares with its forked copy; --memory samples their proportional share (PSS).

Prints a Markdown table; copy it into bench/RESULTS.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.run import PSOAS_PRINT, run
from psoas_print import load_book
from psoas_print.shipped import shipped

STAGES = ("1-2", "3-4", "5-")


def caseload(path: Path, clients: int, book: Path) -> None:
    """``clients`` clients' programmes as one CSV file, varied but the same each run."""
    exercises = sorted(load_book(book).exercises)
    start = datetime.date(2026, 11, 2)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["client_id", "client_name", "start", "weeks", "exercise", "reps", "sets"])  # fmt: skip
        for number in range(clients):
            count = 3 + number % 3
            chosen = [exercises[(number + k) % len(exercises)] for k in range(count)]
            for stage, weeks in enumerate(STAGES):
                for index, exercise in enumerate(chosen):
                    first = index == 0 and stage == 0
                    writer.writerow([
                        f"C-{number:04d}", f"Client {number} Example" if first else "",
                        (start - datetime.timedelta(days=number % 40)).isoformat() if first else "",
                        weeks, exercise, 6 + 2 * stage, 1 + stage,
                    ])  # fmt: skip


def peak_pss(command: list[str]) -> tuple[float, int]:
    """Wall seconds and the peak of the summed proportional memory (PSS) of the command
    and all its processes, sampled every 0.1 s."""
    started, peak = time.perf_counter(), 0
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while process.poll() is None:
        family = [process, *process.children(recursive=True)]
        total = 0
        for member in family:
            with contextlib.suppress(psutil.Error):  # a process that has just ended
                total += member.memory_full_info().pss
        peak = max(peak, total)
        time.sleep(0.1)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return time.perf_counter() - started, peak


def memory(sizes: list[int], book: Path) -> None:
    print("| clients | pages | seconds | peak PSS MB |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for size in sizes:
            clients, output = Path(work) / f"c{size}.csv", Path(work) / f"c{size}.pdf"
            caseload(clients, size, book)
            command = [PSOAS_PRINT, "programme", str(clients), "--book", str(book), "--on", "2026-11-26", "-o", str(output), "--force"]  # fmt: skip
            seconds, peak = peak_pss(command)
            pages = len(PdfReader(output).pages)
            print(f"| {size} | {pages} | {seconds:.1f} | {peak / 2**20:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory", help="client counts, such as 100,250: peak memory only")
    arguments = parser.parse_args()
    book = shipped("book")
    if arguments.memory:
        memory([int(size) for size in arguments.memory.split(",")], book)
        return
    rows = []
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        clients = folder / "clients.csv"
        caseload(clients, arguments.clients, book)
        on = ("--on", "2026-11-26")
        for label, output, extra in (
            ("one PDF", folder / "all.pdf", ()),
            ("one file per client (--split)", folder / "each", ("--split",)),
        ):
            command = [PSOAS_PRINT, "programme", str(clients), "--book", str(book), *on, "-o", str(output), "--force", *extra]  # fmt: skip
            runs = [run(command) for _ in range(arguments.repeat)]
            seconds = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs) / 2**20
            pages = (
                len(PdfReader(output).pages)
                if output.suffix == ".pdf"
                else sum(len(PdfReader(p).pages) for p in output.glob("*.pdf"))
            )
            rows.append((label, pages, seconds, peak))
    print(f"| {arguments.clients} clients | pages | median s | clients/s | peak MB |")
    print("|---|---|---|---|---|")
    for label, pages, seconds, peak in rows:
        rate = arguments.clients / seconds
        print(f"| {label} | {pages} | {seconds:.2f} | {rate:.1f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
