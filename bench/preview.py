"""The preview benchmark: from saving an exercise file to its new words on the open page.

`psoas-print preview` runs on a copy of a book, as an author runs it; Debian's chromium,
driven by Playwright, has the page open at the exercise. Each edit changes the exercise's
first step and saves the file; the time counted runs from the save until the page shows
the new words in its text layer and the picture of that page, drawn from the new layout,
has loaded. Public tools only: the psoas-print command and a browser.

    pip install '.[bench]' && python bench/preview.py [--book DIR] [--edits 9]

Prints a Markdown table; copy it into bench/RESULTS.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.run import PSOAS_PRINT
from psoas_print import load_book
from psoas_print.shipped import shipped

CHROMIUM = shutil.which("chromium") or "chromium"
# Root needs --no-sandbox; the rest keep Chromium from reaching for the network at start.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
FIRST_LAYOUT_MS = 180_000

# The page holds the new words, and the picture of the page they are on is the newest
# version's and has loaded.
SHOWN = """token => {
  const main = document.querySelector("main");
  const span = [...main.querySelectorAll(".page .text span")]
    .find(span => span.textContent.includes(token));
  if (!span) return false;
  const image = span.closest(".page").querySelector("img");
  const version = main.dataset.version.split(":")[1];
  return image.complete && image.naturalWidth > 0 && image.src.includes(`v=${version}&`);
}"""


def start(book: Path) -> tuple[subprocess.Popen[str], str]:
    command = [PSOAS_PRINT, "preview", "--book", str(book), "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    found = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline())
    if found is None:
        process.kill()
        raise SystemExit("psoas-print preview printed no address")
    return process, found.group(0)


# What each view shows of an exercise, to edit: the ebook its first step, the cheat
# sheet its first cue.
EDITED = {"ebook": r"^1\. (.+)$", "cheatsheet": r"^cues:\n  - (.+)$"}


def edited_line(exercise: Path, view: str) -> str:
    text = exercise.read_text(encoding="utf-8")
    found = re.search(EDITED[view], text, re.MULTILINE)
    if found is None:
        raise SystemExit(f"{exercise} has nothing the {view} shows to edit")
    return found.group(1)


def edits(page: Page, view: str, exercise: Path, count: int) -> list[float]:
    """Seconds from each save to the page showing it, with the page at the exercise."""
    page.goto(f"{page.url.split('#')[0]}#{view}")
    step = edited_line(exercise, view)
    page.wait_for_selector(f"main[data-version^='{view}:']", timeout=FIRST_LAYOUT_MS)
    index = page_holding(page.url.split("#")[0], view, step[:16])
    page.evaluate("index => document.querySelectorAll('.page')[index].scrollIntoView()", index)
    page.wait_for_function(SHOWN, arg=step[:16])  # its picture and text, now in view
    seconds = []
    for number in range(count):
        token = f"Edit{number}"
        text = exercise.read_text(encoding="utf-8")
        started = time.perf_counter()
        exercise.write_text(text.replace(step, f"{token} {step}", 1), encoding="utf-8")
        page.wait_for_function(SHOWN, arg=token, timeout=60_000, polling=10)
        seconds.append(time.perf_counter() - started)
        step = f"{token} {step}"
        time.sleep(1.0)  # the other products laid out again, as an author pauses
    return seconds


def page_holding(url: str, view: str, words: str) -> int:
    """The index of the page of ``view`` whose text holds ``words``, as the preview's own
    text layer gives it (a long book's pages carry text only near the view)."""
    with urllib.request.urlopen(f"{url}state.json?view={view}") as response:
        product = json.load(response)["products"][view]
    for index in range(len(product["pages"])):
        address = f"{url}text/{view}/{index}.json?v={product['version']}"
        with urllib.request.urlopen(address) as response:
            if any(words in run[4] for run in json.load(response)):
                return index
    raise SystemExit(f"no page of the {view} shows {words!r}")


def cheat_sheet_exercise(book: Path) -> str:
    """The first exercise of the routine the cheat sheet shows."""
    routine = load_book(book).cheatsheet_routine()
    if routine is None:
        raise SystemExit(f"{book} has no routine for a cheat sheet")
    return routine.items[0].exercise.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=shipped("book"))
    parser.add_argument(
        "--exercise", default=None, help="the exercise edited in the ebook (default: the first)"
    )
    parser.add_argument("--edits", type=int, default=9)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        book = Path(work) / "book"
        shutil.copytree(arguments.book, book)
        edited = {
            "ebook": arguments.exercise or sorted((book / "exercises").glob("*.md"))[0].stem,
            "cheatsheet": cheat_sheet_exercise(book),
        }
        process, url = start(book)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)  # fmt: skip
                page = browser.new_page(viewport={"width": 1300, "height": 900})
                page.goto(url)
                rows = [
                    (view, edits(page, view, book / "exercises" / f"{name}.md", arguments.edits))
                    for view, name in edited.items()
                ]
                browser.close()
        finally:
            process.terminate()
            process.wait()
    print("| view | edit to page, median s | fastest | slowest | edits |")
    print("|---|---|---|---|---|")
    for view, seconds in rows:
        median = statistics.median(seconds)
        print(
            f"| {view} | {median:.2f} | {min(seconds):.2f} | {max(seconds):.2f} | {len(seconds)} |"
        )


if __name__ == "__main__":
    main()
