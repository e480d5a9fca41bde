"""The build benchmark: wall time, pages, memory and overhead, on the sample book and on
generated books of 50, 200 and 500 exercises; rebuilds after an edit, in the sample book
and in a long one. Public tools only: the psoas-print and
weasyprint commands, timed from outside, with psutil adding up the memory of every process.

    pip install '.[bench]' && python bench/run.py [--sizes 50,200,500] [--repeat 3] [--edits 500]

Use a regular install, as users get it: an editable one may compile the tool's modules
afresh at every start (with PYTHONDONTWRITEBYTECODE set), which start-up times would show.

Prints a Markdown table; copy it into bench/RESULTS.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

import psutil
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.generate import generate
from psoas_print import load_book
from psoas_print.book.model import Book
from psoas_print.shipped import shipped


def script(name: str) -> str:
    """A command installed with this Python, run directly: a shim on PATH (pyenv's, say)
    would add its own start-up, about 50 ms here, to every command measured."""
    installed = Path(sysconfig.get_path("scripts")) / name
    return str(installed) if installed.is_file() else name


PSOAS_PRINT, WEASYPRINT = script("psoas-print"), script("weasyprint")
# Paged.js, the peer that paginates HTML in a browser: `PUPPETEER_SKIP_DOWNLOAD=1 npm install
# --prefix bench/.pagedjs pagedjs-cli` (Puppeteer's own browser cannot be downloaded here),
# run with Debian's chromium. Timed when both are installed.
PAGEDJS = shutil.which("pagedjs-cli") or shutil.which(
    "pagedjs-cli", path=str(Path(__file__).resolve().parent / ".pagedjs" / "node_modules" / ".bin")
)
CHROMIUM = shutil.which("chromium")


def run(command: list[str]) -> tuple[float, int]:
    """Wall seconds and the peak of the summed RSS of the command and all its children."""
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                family = [process, *process.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in family if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    _, errors = process.communicate()
    done.set()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors.decode()}")
    return time.perf_counter() - started, peak


def median_run(command: list[str], repeat: int) -> tuple[float, int]:
    runs = [run(command) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def contents_right(pdf: Path, book: Book) -> str:
    """How many of the contents' entries give the page (as the viewer numbers it) that
    their chapter or exercise starts on, as "right of all"."""
    reader = PdfReader(pdf)
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    labels = reader.page_labels
    start = next(i for i, text in enumerate(texts) if text.startswith("Contents"))
    end = start + 1  # the contents run on while their pages hold entries' leaders
    while end < len(texts) and "..." in texts[end]:
        end += 1
    contents = " ".join(texts[start:end])
    titles = []
    for chapter in book.chapters:
        titles += [chapter.title, *(e.name for e in book.chapter_exercises(chapter))]
    right = 0
    for title in titles:
        named = re.escape(title) + r"(?!\d)"  # "Set 1", not "Set 10"
        given = re.search(named + r"[\s.·…]*?(\d+)", contents)
        page = next((i for i in range(end, len(texts)) if re.search(named, texts[i])), None)
        right += bool(given and page is not None and labels[page] == given[1])
    return f"{right} of {len(titles)}"


def pagedjs_columns(html: Path, work: Path, repeat: int, book: Book, ours: float) -> dict[str, str]:
    """Paged.js (in Chromium) on the very HTML our build wrote, when it is installed."""
    if PAGEDJS is None or CHROMIUM is None:
        return {}
    os.environ["PUPPETEER_EXECUTABLE_PATH"] = CHROMIUM  # for the commands started from here
    target = work / f"{html.stem}-pagedjs.pdf"
    command = [PAGEDJS, str(html), "-o", str(target), "--browserArgs", "--no-sandbox"]
    seconds, peak = median_run(command, repeat)
    return {
        "Paged.js s": f"{seconds:.2f}", "Paged.js peak MB": f"{peak / 2**20:.0f}",
        "ours / Paged.js": f"{ours / seconds:.3f}",
        "Paged.js contents right": contents_right(target, book),
    }  # fmt: skip


def book_row(name: str, book: Path, work: Path, repeat: int) -> dict[str, str]:
    pdf, html = work / f"{name}.pdf", work / f"{name}.html"
    ours_command = [
        PSOAS_PRINT, "ebook", "--book", str(book), "-o", str(pdf), "--html", str(html), "--force",
    ]  # fmt: skip
    # WeasyPrint alone on the HTML we wrote, tagged as every PDF of ours is.
    plain_command = [WEASYPRINT, "--pdf-tags", str(html), str(work / f"{name}-plain.pdf")]
    ours, plain = [], []
    for _ in range(repeat):  # in turns, so a busy moment of the shared machine hits both
        ours.append(run(ours_command))
        plain.append(run(plain_command))
    seconds, peak = statistics.median(r[0] for r in ours), max(r[1] for r in ours)
    plain_s, plain_peak = statistics.median(r[0] for r in plain), max(r[1] for r in plain)
    pages = len(PdfReader(pdf).pages)
    loaded = load_book(book)
    return {
        "book": name, "pages": str(pages), "seconds": f"{seconds:.2f}",
        "pages/s": f"{pages / seconds:.1f}", "peak MB": f"{peak / 2**20:.0f}",
        "KB/page": f"{pdf.stat().st_size / pages / 1024:.1f}",
        "contents right": contents_right(pdf, loaded),
        "WeasyPrint alone s": f"{plain_s:.2f}", "its peak MB": f"{plain_peak / 2**20:.0f}",
        "ratio": f"{seconds / plain_s:.3f}",
        **pagedjs_columns(html, work, repeat, loaded, seconds),
    }  # fmt: skip


def table(rows: list[dict[str, str]]) -> str:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(row.get(c, "") for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def timings(work: Path, repeat: int) -> list[dict[str, str]]:
    """Start-up, the cheat sheet's fit, and rebuilds on the sample book."""
    book = work / "sample"
    shutil.copytree(shipped("book"), book)
    out = work / "dist"
    rows = []
    help_s, _ = median_run([PSOAS_PRINT, "--help"], max(repeat, 15))
    rows.append({"what": "`psoas-print --help`", "median s": f"{help_s:.3f}"})
    check_s, _ = median_run([PSOAS_PRINT, "check", "--book", str(book)], max(repeat, 15))
    rows.append({"what": "`psoas-print check` (sample book)", "median s": f"{check_s:.3f}"})
    # An author adjusting one pose: read the book, draw that figure, write its SVG.
    one = [PSOAS_PRINT, "figures", "--book", str(book), "--only", "bridge-leg-lift"]
    one_s, _ = median_run([*one, "--out", str(work / "figures")], max(repeat, 15))
    rows.append({"what": "`figures --only bridge-leg-lift`", "median s": f"{one_s:.3f}"})
    sheet = subprocess.run(
        [PSOAS_PRINT, "cheatsheet", "--book", str(book), "-o", str(out / "c.pdf"), "--force"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    renders = next(w for w in sheet.stdout.split("fitted in ")[1:2]).split()[0]
    sheet_s, _ = median_run(
        [PSOAS_PRINT, "cheatsheet", "--book", str(book), "-o", str(out / "c.pdf"), "--force"],
        repeat,
    )
    rows.append({"what": f"cheat sheet, fitted in {renders} renders", "median s": f"{sheet_s:.2f}"})
    build = [PSOAS_PRINT, "build", "--book", str(book), "--out", str(out)]
    full_s, _ = median_run([*build, "--force"], repeat)
    rows.append(
        {
            "what": "`build` of cheat sheet, ebook and EPUB, side by side",
            "median s": f"{full_s:.2f}",
        }
    )
    for product in ("cheatsheet", "ebook", "epub"):
        target = out / f"one.{'epub' if product == 'epub' else 'pdf'}"
        one_s, _ = median_run(
            [PSOAS_PRINT, product, "--book", str(book), "-o", str(target), "--force"], repeat
        )
        rows.append({"what": f"`{product}` alone", "median s": f"{one_s:.2f}"})
    rows.append(stamping(work, out / "ebook.pdf", repeat))
    unchanged_s, _ = median_run(build, max(repeat, 5))
    rows.append({"what": "`build` again, nothing changed", "median s": f"{unchanged_s:.3f}"})
    exercise = book / "exercises" / "crisscross.md"
    changed = []
    for round_ in range(repeat):
        exercise.write_text(
            exercise.read_text(encoding="utf-8") + f"\n<!-- edit {round_} -->\n", encoding="utf-8"
        )
        changed.append(run(build)[0])
    rows.append(
        {
            "what": "`build` after one exercise changed",
            "median s": f"{statistics.median(changed):.2f}",
        }
    )
    return rows


def long_book_edits(work: Path, size: int, repeat: int) -> list[dict[str, str]]:
    """`build` of a long generated book from nothing, then after one exercise's text
    changed, in ``repeat`` rounds: what the author of a long book waits for at each edit."""
    book = generate(size, work / f"edits-{size}")
    out = work / f"edits-{size}-dist"
    build = [PSOAS_PRINT, "build", "--book", str(book), "--out", str(out)]
    full_s, _ = run(build)
    pages = len(PdfReader(out / "ebook.pdf").pages)
    exercise = sorted((book / "exercises").glob("*.md"))[size // 2]
    changed = []
    for round_ in range(repeat):
        text = exercise.read_text(encoding="utf-8")
        edited = re.sub(r"^1\. ", f"1. Round {round_}: ", text, count=1, flags=re.MULTILINE)
        exercise.write_text(edited, encoding="utf-8")
        changed.append(run(build)[0])
    # What the last build did, as its record beside the outputs says.
    records = json.loads((out / ".psoas-print" / "records.json").read_text(encoding="utf-8"))
    relaid = records["ebook.pdf"].get("notes", {}).get("relaid", 0)
    what = f"{size} exercises, {pages} pages"
    return [
        {"what": f"`build` of {what}, from nothing", "median s": f"{full_s:.2f}"},
        {
            "what": f"`build` of {what}, after one exercise's text changed "
            f"({relaid} spread laid out again)",
            "median s": f"{statistics.median(changed):.2f}",
        },
    ]


STAMP_BUYERS = 400


def stamping(work: Path, ebook: Path, repeat: int) -> dict[str, str]:
    """The whole `stamp` command for 400 buyers of the sample ebook, files written."""
    buyers = work / "buyers.csv"
    rows = [f"Buyer Nº{n} Ørsted,b{n}@example.org,A-{n}" for n in range(STAMP_BUYERS)]
    buyers.write_text("name,email,order\n" + "\n".join(rows) + "\n", encoding="utf-8")
    command = [PSOAS_PRINT, "stamp", str(ebook), "--buyers", str(buyers), "--force",
               "--out", str(work / "licensed")]  # fmt: skip
    seconds, _ = median_run(command, repeat)
    return {
        "what": f"`stamp` for {STAMP_BUYERS} buyers, files written "
        f"({STAMP_BUYERS / seconds:.0f} copies a second)",
        "median s": f"{seconds:.2f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edits", type=int, default=500, help="exercises of the edited book")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # The sample book is quick: at least 9 rounds, for a ratio that noise does not decide.
        sample_repeat = max(arguments.repeat, 9)
        rows = [book_row("sample", shipped("book"), work, sample_repeat)]
        for size in (int(s) for s in arguments.sizes.split(",") if s):
            book = generate(size, work / f"book-{size}")
            repeat = 1 if size >= 200 else arguments.repeat
            rows.append(book_row(f"{size} exercises", book, work, repeat))
        print("## Ebook builds\n")
        print(table(rows))
        print("\n## Start-up, fitting and rebuilds (sample book)\n")
        print(table(timings(work, arguments.repeat)))
        if arguments.edits:
            print("\n## Edits in a long book\n")
            print(table(long_book_edits(work, arguments.edits, max(arguments.repeat, 5))))


if __name__ == "__main__":
    main()
