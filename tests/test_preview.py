"""`psoas-print preview`, as an author uses it: the command started in a process of its
own on a copy of a book, its page opened in Debian's Chromium (driven by Playwright), the
book's files edited on disk, and what the page shows checked; then Ctrl-C.

The browser tests are slow (a real layout after each edit) and run with the full suite.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.conftest import SAMPLE_BOOK, SECOND_BOOK

CHROMIUM = shutil.which("chromium")
# Root needs --no-sandbox; the rest keep Chromium from reaching for the network at start.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
START_SECONDS = 120  # the first layout of every product, on a busy machine
CHANGE_SECONDS = 60  # an edit to the page showing it, with time to spare on a busy machine

pytestmark = pytest.mark.slow


@dataclass
class Preview:
    book: Path
    url: str
    process: subprocess.Popen[str]

    def get(self, path: str, host: str | None = None) -> tuple[int, bytes, dict[str, str]]:
        """A request as a browser sends it (with ``host`` as its Host header)."""
        port = int(self.url.rsplit(":", 1)[1].strip("/"))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{port}")
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body, dict(response.getheaders())

    def state(self) -> dict[str, object]:
        status, body, _ = self.get("/state.json")
        assert status == 200
        return json.loads(body)

    def stop(self) -> tuple[int, str, str]:
        """Ctrl-C, as the terminal sends it; the exit status and what was printed."""
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, out, err


def start_preview(book: Path) -> Preview:
    command = [sys.executable, "-m", "psoas_print", "preview", "--book", str(book), "--port", "0"]
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", first)
    if found is None:
        process.kill()
        errors = process.stderr.read() if process.stderr else ""
        raise AssertionError(f"no address in {first!r}: {errors}")
    return Preview(book, found.group(0), process)


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    book = tmp_path_factory.mktemp("preview") / "book"
    shutil.copytree(SECOND_BOOK, book)
    preview = start_preview(book)
    yield preview
    if preview.process.poll() is None:
        preview.process.kill()
        preview.process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def open_page(browser: object, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page.set_default_timeout(CHANGE_SECONDS * 1000)
    page.goto(url)
    return page


def wait_for_text(page, text: str, timeout: float = CHANGE_SECONDS) -> None:  # type: ignore[no-untyped-def]
    """Until the page's text layer (the words on its real pages) holds ``text``."""
    page.wait_for_function(
        "text => document.querySelector('main').innerText.includes(text)",
        arg=text, timeout=timeout * 1000,
    )  # fmt: skip


def step_line(exercise: Path) -> tuple[str, str]:
    """The first numbered step of an exercise file, and the file's text."""
    text = exercise.read_text(encoding="utf-8")
    found = re.search(r"^1\. (.+)$", text, re.MULTILINE)
    assert found is not None, exercise
    return found.group(1), text


# --- the browser -------------------------------------------------------------------------


def test_an_edit_shows_on_the_page_and_a_broken_file_shows_its_error(second, browser):
    page = open_page(browser, second.url)
    ebook = second.book / "exercises" / "bird-dog.md"
    step, original = step_line(ebook)
    wait_for_text(page, step[:18], START_SECONDS)  # the first layout, read from its pages

    ebook.write_text(original.replace(step, "Kneel down like a heron at dawn"), encoding="utf-8")
    wait_for_text(page, "like a heron at dawn")
    assert step[:18] not in page.inner_text("main")

    broken = original.replace("name: Bird Dog", "name: [Bird Dog", 1)
    ebook.write_text(broken, encoding="utf-8")
    problems = page.locator("#problems")
    problems.wait_for(state="visible")
    assert re.search(r"exercises/bird-dog\.md:\d+: ", problems.inner_text())
    assert "like a heron at dawn" in page.inner_text("main")  # the last good pages stay

    ebook.write_text(original, encoding="utf-8")
    problems.wait_for(state="hidden")
    wait_for_text(page, step[:18])
    page.close()


def test_the_figures_view_shows_a_refused_pose_with_its_nearest_angle(second, browser):
    pose = second.book / "figures" / "bird-dog.yaml"
    original = pose.read_text(encoding="utf-8")
    page = open_page(browser, second.url + "#figures")
    page.locator("#figure-bird-dog img").first.wait_for()
    knee = re.search(r"(near_knee): (-?\d+)", original)
    assert knee is not None, "the second book's bird dog bends its near knee"
    pose.write_text(original.replace(knee.group(0), "near_knee: 250", 1), encoding="utf-8")
    try:
        card = page.locator("#figure-bird-dog")
        card.locator(".fault").wait_for()
        assert re.search(r"figures/bird-dog\.yaml:\d+: near_knee at 250°", card.inner_text())
        assert "Nearest working angle: near_knee: 160°" in card.inner_text()
        last_good = card.locator("img[alt='Last drawing that worked']")
        assert last_good.evaluate("image => image.complete && image.naturalWidth > 0")
    finally:
        pose.write_text(original, encoding="utf-8")
    page.locator("#figure-bird-dog .fault").wait_for(state="detached")
    page.close()


def test_pages_keep_their_place_when_they_change(second, browser):
    """An edit updates the pages in place: the reader's scroll position is kept."""
    page = open_page(browser, second.url)
    page.wait_for_selector("main[data-text^='ebook:']", timeout=START_SECONDS * 1000)
    page.evaluate("window.scrollTo(0, 3000)")
    before = page.evaluate("window.scrollY")
    version = page.get_attribute("main", "data-version")
    exercise = second.book / "exercises" / "cat-cow.md"
    step, original = step_line(exercise)
    edited = original.replace(step, "Arch the back like a cat at noon")
    exercise.write_text(edited, encoding="utf-8")
    try:
        wait_for_text(page, "like a cat at noon")
        assert page.get_attribute("main", "data-version") != version
        assert page.evaluate("window.scrollY") == before
    finally:
        exercise.write_text(original, encoding="utf-8")
    page.close()


def test_a_new_book_opens_in_the_preview(browser, tmp_path):
    """The README's way in: `new book`, then `preview` of it, its exercises on the pages."""
    book = tmp_path / "my-book"
    made = subprocess.run(
        [sys.executable, "-m", "psoas_print", "new", "book", str(book)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    names = [
        re.search(r"^name: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE).group(1)  # type: ignore[union-attr]
        for path in sorted((book / "exercises").glob("*.md"))
    ]
    assert len(names) == 2
    preview = start_preview(book)
    try:
        page = open_page(browser, preview.url)
        for name in names:
            wait_for_text(page, name, START_SECONDS)
        page.goto(preview.url + "#figures")
        page.locator(".figure").nth(1).wait_for()
        assert page.locator(".figure").count() == 2
        assert page.locator("#problems").is_hidden()
        page.close()
    finally:
        status, _, err = preview.stop()
    assert status == 0, err


# --- what the server serves ---------------------------------------------------------------


def test_pages_are_the_real_pages_with_their_text(second):
    state = wait_until_laid_out(second)
    ebook = state["products"]["ebook"]
    assert ebook["pages"], "the ebook has pages"
    for width, height, _ in ebook["pages"]:  # the second book is on Letter paper
        assert (round(width), round(height)) == (612, 792)
    # Each page is named as the PDF names it (the cover, then the printed folios).
    laid_out = PdfReader(working_folder_of(second) / "ebook.pdf")
    assert [label for _, _, label in ebook["pages"]] == laid_out.page_labels
    status, body, headers = second.get(f"/pages/ebook/0.png?v={ebook['version']}&w=700")
    assert status == 200 and headers["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(body))
    assert picture.width >= 700
    assert abs(picture.height / picture.width - 792 / 612) < 0.01
    pages = []
    for index in range(len(ebook["pages"])):
        status, body, _ = second.get(f"/text/ebook/{index}.json?v={ebook['version']}")
        assert status == 200
        pages.append(json.loads(body))
    status, _, _ = second.get(f"/text/ebook/{len(pages)}.json")
    assert status == 404
    title = SECOND_BOOK.joinpath("book.yaml").read_text(encoding="utf-8").split("title: ")[1]
    assert any(title.split("\n")[0] in run[4] for page in pages for run in page)


def test_only_the_books_own_files_are_served(second, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not the book's", encoding="utf-8")
    (second.book / "link.txt").symlink_to(secret)
    try:
        status, body, headers = second.get("/book/routines/a-desk-break.yaml")
        assert status == 200 and b"exercises:" in body
        assert headers["Content-Security-Policy"].endswith("sandbox")  # shown, never run
        assert b'<span id="L1">' in body  # a problem's link lands on its line
        outside = ["/book/link.txt", "/book/../book.yaml", "/book/%2e%2e/book.yaml"]
        for path in [*outside, f"/book/{secret}"]:
            status, body, _ = second.get(path)
            assert status == 404 and b"not the book's" not in body, path
        status, _, _ = second.get("/pages/../../etc/passwd")
        assert status == 404
    finally:
        (second.book / "link.txt").unlink()


def test_a_request_for_another_host_is_refused(second):
    """A web page elsewhere cannot reach the preview through a name that points here."""
    status, _, _ = second.get("/state.json", host="attacker.example:80")
    assert status == 403
    local_name = second.url.split("/")[2].replace("127.0.0.1", "localhost")
    status, _, _ = second.get("/state.json", host=local_name)
    assert status == 200


def test_ctrl_c_stops_it_cleanly_leaving_the_book_untouched(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(SAMPLE_BOOK, book)
    before = sorted(path.relative_to(book) for path in book.rglob("*"))
    preview = start_preview(book)
    wait_until_laid_out(preview)
    status, out, err = preview.stop()
    assert status == 0, err
    assert "Stopping" in out
    assert "Traceback" not in err and err.strip() == ""
    assert sorted(path.relative_to(book) for path in book.rglob("*")) == before
    folder = working_folder_of(preview)
    assert len(PdfReader(folder / "cheatsheet.pdf").pages) == 1


def test_a_port_in_use_is_a_one_line_error(second):
    port = second.url.rsplit(":", 1)[1].strip("/")
    book = str(second.book)
    command = [sys.executable, "-m", "psoas_print", "preview", "--book", book, "--port", port]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().endswith(f"port {port} is in use: choose another with --port")
    assert len(result.stderr.strip().splitlines()) == 1


def wait_until_laid_out(preview: Preview) -> dict[str, object]:
    """The state, once every product has pages."""
    import time

    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        state = preview.state()
        products = state["products"]
        assert isinstance(products, dict)
        if all(product["pages"] for product in products.values()) and not state["building"]:
            return state
        time.sleep(0.2)
    raise AssertionError(f"not laid out within {START_SECONDS} s")


def working_folder_of(preview: Preview) -> Path:
    from psoas_print.preview.rebuilding import working_folder

    return working_folder(preview.book)
