"""Hostile input: a shared book, roster, buyers file or output folder made to hurt.

Each is refused with one `path:line: message` line (or `path: message`), exit status 2,
no traceback, and nothing written or replaced; none may take unbounded memory or time.
"""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from psoas_print.book import nesting
from psoas_print.book.markdown import parse, to_html
from psoas_print.figures import store
from psoas_print.limits import MAX_BUYERS, MAX_HTML_DEPTH, MAX_ROSTER_ROWS, MAX_YAML_DEPTH
from psoas_print.runner import cache
from tests.conftest import Run, run_cli, run_guarded

OLD_PDF = b"%PDF-1.7 the last good build\n"


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` with ``new`` in a book file; return the 1-based line of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def append(path: Path, text: str) -> int:
    """Add ``text`` at the end of a book file; return the 1-based line it starts on."""
    old = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


def refused(tmp_path: Path, where: str, message: str, *command: str | Path) -> None:
    """The build of ``tmp_path/book`` fails with one line starting ``where: message``, and
    the output folder keeps exactly the old PDF."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "ebook.pdf").write_bytes(OLD_PDF)
    arguments = command or ("build", "--book", "book", "--out", "out")
    result = run_guarded(*arguments, cwd=tmp_path, timeout=60)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{where}: {message}"), lines[0]
    assert sorted(p.name for p in out.iterdir()) == ["ebook.pdf"]
    assert (out / "ebook.pdf").read_bytes() == OLD_PDF


# --- YAML -------------------------------------------------------------------------


def test_billion_laughs_are_refused_at_their_line(book, tmp_path):
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    text = "title: Laughs\nexercises: [crisscross]\n" + "\n".join(rows) + "\n"
    (book / "routines" / "laughs.yaml").write_text(text, encoding="utf-8")
    assert len(text) < 1100
    refused(tmp_path, "book/routines/laughs.yaml:3", "anchor '&a': anchors and aliases")


def test_a_self_referencing_alias_in_front_matter_is_refused(book, tmp_path):
    line = edit(book / "exercises/crisscross.md", "props: [mat]", "props: &p [mat, *p]")
    refused(tmp_path, f"book/exercises/crisscross.md:{line}", "anchor '&p'")


def test_yaml_nested_too_deep_is_refused(book, tmp_path):
    depth = 5_000
    line = edit(book / "routines/fridge.yaml", "title:", f"x: {'[' * depth}{']' * depth}\ntitle:")
    refused(tmp_path, f"book/routines/fridge.yaml:{line}", f"nested more than {MAX_YAML_DEPTH}")


# --- HTML -------------------------------------------------------------------------


def test_html_nested_thousands_deep_is_refused_at_its_line(book, tmp_path):
    html = "<div>" * 3_000 + "deep" + "</div>" * 3_000
    line = append(book / "chapters/03-safety.md", f"Some words.\n\n{html}\n")
    refused(tmp_path, f"book/chapters/03-safety.md:{line + 2}", "HTML nested more than 100")


def test_the_line_of_deep_html_is_where_it_gets_too_deep():
    body = "Intro\n\n<section>\n" + "".join(f"<div>{i}\n" for i in range(200)) + "\n"
    tokens = parse(body)
    # <section> is level 1 on line 3; the div on line 3 + n is level n + 1.
    assert nesting.too_deep_line(tokens, to_html(tokens)) == 3 + MAX_HTML_DEPTH
    closed = "<div>" * 20 + "</div>" * 20
    fine = "\n\n".join([closed] * 40) + "\n\n<ul><li>a<li>b<li>c</ul><p>x<p>y"
    assert nesting.too_deep_line(parse(fine), to_html(parse(fine))) is None


# --- pictures ------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)


def pixel_bomb(path: Path) -> None:
    """A 30,000 x 30,000 PNG of a few kilobytes: 900 million pixels when decoded."""
    header = struct.pack(">IIBBBBB", 30_000, 30_000, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (30_000 // 8 + 1) * 64, 9)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def _photo(kind: str) -> bytes:
    """A sharp photo: 2,400 pixels across prints at over 300 dpi."""
    picture = Image.linear_gradient("L").resize((2_400, 1_600)).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, kind, quality=90) if kind == "JPEG" else picture.save(buffer, kind)
    return buffer.getvalue()


def corrupt_png(path: Path) -> None:
    data = bytearray(_photo("PNG"))
    start = data.index(b"IDAT") + 200
    data[start : start + 400] = bytes(400)  # the compressed pixels broken, headers intact
    path.write_bytes(bytes(data))


def truncated_jpeg(path: Path) -> None:
    data = _photo("JPEG")
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    "make", [pixel_bomb, corrupt_png, truncated_jpeg], ids=lambda f: f.__name__
)
def test_a_picture_too_large_or_broken_is_refused_at_its_line(book, tmp_path, make):
    name = "photo.jpg" if make is truncated_jpeg else "photo.png"
    make(book / "figures" / name)
    line = edit(
        book / "exercises/crisscross.md", "props: [mat]", f"props: [mat]\nimage: figures/{name}"
    )
    refused(tmp_path, f"book/exercises/crisscross.md:{line + 1}", f"'{name}'")


# --- files that are not what their names say ---------------------------------------------


def fifo(book: Path) -> tuple[str, str]:
    os.mkfifo(book / "exercises/x.md")
    return "book/exercises/x.md", "not a regular file"


def link_to_dev_zero(book: Path) -> tuple[str, str]:
    (book / "exercises/x.md").symlink_to("/dev/zero")
    return "book/exercises/x.md", "not a regular file"


def folder(book: Path) -> tuple[str, str]:
    (book / "exercises/x.md").mkdir()
    return "book/exercises/x.md", "a folder, not a file"


def only_a_byte_order_mark(book: Path) -> tuple[str, str]:
    (book / "chapters/03-safety.md").write_bytes(b"\xef\xbb\xbf")
    return "book/chapters/03-safety.md:1", "file is empty"


def too_large(book: Path) -> tuple[str, str]:
    with open(book / "chapters/03-safety.md", "r+b") as chapter:
        chapter.truncate(2_000_000_000)  # sparse: costs no disk, and is never read
    message = "too large: 2,000 MB; a text file of a book may be at most 0.5 MB"
    return "book/chapters/03-safety.md", message


def link_out_of_the_book(book: Path, tmp_path: Path) -> tuple[str, str]:
    secret = tmp_path / "private.yaml"
    secret.write_text("title: Private\nexercises: [crisscross]\n", encoding="utf-8")
    (book / "routines/private.yaml").symlink_to(secret)
    return "book/routines/private.yaml", f"a link to {secret.resolve()}, outside the book folder"


@pytest.mark.parametrize(
    "breakage",
    [fifo, link_to_dev_zero, folder, only_a_byte_order_mark, too_large, link_out_of_the_book],
    ids=lambda f: f.__name__,
)
def test_a_book_file_is_checked_before_it_is_read(book, tmp_path, breakage):
    arguments = (book, tmp_path) if breakage is link_out_of_the_book else (book,)
    where, message = breakage(*arguments)
    refused(tmp_path, where, message)


@pytest.mark.slow  # two commands, each in a guarded process
def test_a_pipe_or_a_device_elsewhere_in_the_book_is_never_opened(book, tmp_path):
    """Whether a build is up to date is judged from every file of the book: a pipe or a
    device among them counts by what it is, and is never opened."""
    os.mkfifo(book / "notes")
    (book / "figures" / "zero").symlink_to("/dev/zero")
    epub = ("epub", "--book", "book", "-o", "out/ebook.epub")
    assert run_guarded(*epub, cwd=tmp_path, timeout=60).exit_code == 0
    again = run_guarded(*epub, cwd=tmp_path, timeout=60)
    assert again.exit_code == 0 and "up to date" in again.stdout


# --- CSV files ---------------------------------------------------------------------------


def roster_command(roster: str) -> tuple[str, ...]:
    return ("handout", "--book", "book", "--routine", "fridge", "--roster", roster,
            "-o", "out/ebook.pdf")  # fmt: skip


def test_a_roster_over_the_limit_is_refused_at_once(book, tmp_path):
    rows = "".join(f"Student {i}\n" for i in range(MAX_ROSTER_ROWS + 1))
    (tmp_path / "roster.csv").write_text("name\n" + rows, encoding="utf-8")
    started = time.perf_counter()
    where = f"roster.csv:{MAX_ROSTER_ROWS + 2}"
    refused(
        tmp_path, where, f"more than {MAX_ROSTER_ROWS:,} students", *roster_command("roster.csv")
    )
    assert time.perf_counter() - started < 20  # refused before anything is laid out


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        (b"name\n" + b'"' + b"x" * 200_000 + b'"\n', "roster.csv:2", "not a readable CSV line"),
        (b"\xef\xbb\xbf", "roster.csv:1", "file is empty"),
    ],
    ids=["field over the csv limit", "only a byte-order mark"],
)
def test_a_roster_the_csv_module_refuses_is_a_located_error(
    book, tmp_path, content, where, message
):
    (tmp_path / "roster.csv").write_bytes(content)
    refused(tmp_path, where, message, *roster_command("roster.csv"))


@pytest.fixture(scope="module")
def ebook_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small finished PDF to stamp: stamping reads any PDF, not only an ebook."""
    folder = tmp_path_factory.mktemp("ebook")
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(420, 595))
        pdf.add_blank_page(page_size=(420, 595))
        pdf.save(folder / "ebook.pdf")
    return folder / "ebook.pdf"


def stamp(tmp_path: Path, ebook: Path, buyers: bytes, *extra: str) -> Run:
    (tmp_path / "buyers.csv").write_bytes(buyers)
    return run_guarded("stamp", ebook, "--buyers", "buyers.csv", "--out", "out", *extra,
                       cwd=tmp_path, timeout=60)  # fmt: skip


def test_every_bad_buyer_row_is_reported(tmp_path, ebook_pdf):
    buyers = b"name,email,order\n,bad,1\nBo,bo,2\nAl,al@example.org,3\n,x@y.org,4\nEd,ed,5\n"
    result = stamp(tmp_path, ebook_pdf, buyers)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "buyers.csv:2: blank name",
        "buyers.csv:2: 'bad' is not an email address",
        "buyers.csv:3: 'bo' is not an email address",
        "buyers.csv:5: blank name",
        "buyers.csv:6: 'ed' is not an email address",
    ]
    assert not (tmp_path / "out").exists()


def test_a_buyers_file_over_the_limit_is_refused_at_once(tmp_path, ebook_pdf):
    rows = "".join(f"B {i},b{i}@example.org,{i}\n" for i in range(MAX_BUYERS + 1))
    result = stamp(tmp_path, ebook_pdf, ("name,email,order\n" + rows).encode())
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"buyers.csv:{MAX_BUYERS + 2}: more than {MAX_BUYERS:,} buyers; "
        "stamp them in several batches"
    ]
    assert not (tmp_path / "out").exists()


# --- stamping ----------------------------------------------------------------------------

BUYER = b"name,email,order\nAna,ana@example.org,A-1\n"


@pytest.mark.slow  # several builds in a row
def test_stamp_never_silently_replaces_a_copy(tmp_path, ebook_pdf):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "ebook-A-1.pdf").write_bytes(OLD_PDF)
    result = stamp(tmp_path, ebook_pdf, BUYER)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "out/ebook-A-1.pdf: already exists; remove it, choose another --out, or add --force"
    ]
    assert (tmp_path / "out" / "ebook-A-1.pdf").read_bytes() == OLD_PDF
    assert stamp(tmp_path, ebook_pdf, BUYER, "--force").exit_code == 0
    assert (tmp_path / "out" / "ebook-A-1.pdf").read_bytes() != OLD_PDF


@pytest.mark.parametrize("user_password", ["secret", ""], ids=["to open", "to change"])
def test_an_encrypted_pdf_is_a_clear_error(tmp_path, ebook_pdf, user_password):
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(ebook_pdf) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner", user=user_password))
    result = stamp(tmp_path, locked, BUYER)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "locked.pdf: is encrypted" in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


# --- outputs that would destroy inputs -----------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "victim"),
    [
        (("cheatsheet", "--book", "book", "-o", "book/routines/fridge.yaml"),
         "book/routines/fridge.yaml"),
        (("ebook", "--book", "book", "-o", "out/e.pdf", "--html", "book/layouts/ebook.html"),
         "book/layouts/ebook.html"),
        (("build", "--book", "book", "--out", "book/routines"), "book/routines/cheatsheet.pdf"),
        (("epub", "--book", "book", "-o", "book/chapters/03-safety.md"),
         "book/chapters/03-safety.md"),
        (("handout", "--book", "book", "--routine", "fridge", "-o", "book/figures/x.pdf"),
         "book/figures/x.pdf"),
        (("handout", "--book", "book", "--routine", "fridge", "--roster", "roster.csv",
          "--split", "-o", "book/exercises"), "book/exercises"),
        (("handout", "--book", "book", "--routine", "fridge", "--roster", "roster.csv",
          "-o", "roster.csv"), "roster.csv"),
        (("figures", "--book", "book", "--out", "book/figures"), "book/figures"),
    ],
    ids=["cheatsheet over a routine", "--html over a layout", "build --out inside the book",
         "epub over a chapter", "handout in the book", "--split folder in the book",
         "handout over its roster", "figures into the book"],
)  # fmt: skip
def test_no_output_may_land_in_the_book(book, tmp_path, arguments, victim):
    (book / "layouts").mkdir()
    (book / "layouts" / "ebook.html").write_text('{% extends "default/ebook.html" %}')
    (tmp_path / "roster.csv").write_text("name\nAna\n", encoding="utf-8")
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    result = run_guarded(*arguments, cwd=tmp_path, timeout=60)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.splitlines()[0].startswith(f"{victim}: is ")
    assert len(result.stderr.splitlines()) == 1, result.stderr
    after = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    assert after == before


def test_stamp_may_not_write_into_the_tools_layouts(tmp_path, ebook_pdf):
    from psoas_print.shipped import shipped

    layouts = shipped("layouts")
    (tmp_path / "buyers.csv").write_bytes(BUYER)
    result = run_guarded("stamp", ebook_pdf, "--buyers", "buyers.csv", "--out", layouts,
                         cwd=tmp_path, timeout=60)  # fmt: skip
    assert result.exit_code == 2
    assert "which ships with psoas-print" in result.stderr
    assert not list(layouts.glob("ebook-*.pdf"))


# --- kept figures and records --------------------------------------------------------------


def epub_figures(epub: Path) -> str:
    with zipfile.ZipFile(epub) as archive:
        return "".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".svg")
        )


@pytest.mark.slow  # several builds in a row
def test_a_replaced_kept_figure_is_drawn_again_even_with_force(book, tmp_path):
    out = tmp_path / "out"
    assert run_cli("epub", "--book", book, "-o", out / "ebook.epub").exit_code == 0
    kept = sorted((out / store.KEPT).glob("*.svg"))
    original = kept[0].read_bytes()
    planted = original.replace(b"</svg>", b"<text>PLANTED</text></svg>")
    kept[0].write_bytes(planted)
    assert run_cli("epub", "--book", book, "-o", out / "ebook.epub", "--force").exit_code == 0
    assert "PLANTED" not in epub_figures(out / "ebook.epub")
    assert kept[0].read_bytes() == original  # drawn again, and kept again


GARBAGE = [b"{not json", b"[1, 2, 3]", b'{"a": {"b": 1}, "x.svg": 7}', b'"text"', b"[" * 100_000]


@pytest.mark.slow  # several builds in a row
def test_a_record_of_any_other_shape_is_ignored(book, tmp_path):
    out = tmp_path / "out"
    epub = ("epub", "--book", book, "-o", out / "ebook.epub")
    assert run_cli(*epub).exit_code == 0
    digests = (out / store.KEPT / store.DIGESTS).read_bytes()
    for garbage in GARBAGE:
        (out / store.KEPT / store.DIGESTS).write_bytes(garbage)
        assert run_cli(*epub, "--force").exit_code == 0
        assert (out / store.KEPT / store.DIGESTS).read_bytes() == digests  # kept anew
        (out / cache.RECORD).write_bytes(garbage)
        result = run_cli(*epub)
        assert result.exit_code == 0, result.stderr
        assert "up to date" not in result.stdout  # a broken record vouches for nothing


@pytest.mark.parametrize(
    "record",
    [
        {"fingerprint": 1, "inputs": {}, "size": 1, "mtime_ns": 1, "pages": 1},
        {"fingerprint": "f", "inputs": {"/etc/passwd": "d"}, "size": 1, "mtime_ns": 1, "pages": 1},
        {"fingerprint": "f", "inputs": {"../x": "d"}, "size": 1, "mtime_ns": 1, "pages": 1},
        {"fingerprint": "f", "inputs": [], "size": 1, "mtime_ns": 1, "pages": 1},
        {"fingerprint": "f", "inputs": {}, "size": "1", "mtime_ns": 1, "pages": 1},
        {"fingerprint": "f", "inputs": {}, "size": 1, "mtime_ns": 1, "pages": 1, "notes": []},
        {"fingerprint": "f", "inputs": {}, "size": 1, "mtime_ns": 1, "pages": 1,
         "notes": {"renders": "3"}},
        {"fingerprint": "f", "inputs": {}, "size": 1, "mtime_ns": 1, "pages": 1,
         "notes": {"skipped": "why"}},
    ],
    ids=["fingerprint", "absolute input", "input outside", "inputs list", "size text",
         "notes list", "notes text", "notes unknown"],
)  # fmt: skip
def test_records_of_the_wrong_types_are_left_out(tmp_path, record):
    (tmp_path / cache.STATE).mkdir()
    good = {"fingerprint": "f", "inputs": {"*": None}, "size": 1, "mtime_ns": 1, "pages": 1}
    records = {"good.pdf": good, "bad.pdf": record}
    (tmp_path / cache.RECORD).write_text(json.dumps(records))
    assert cache._records(tmp_path) == {"good.pdf": good}


def test_figure_digests_of_the_wrong_types_are_left_out(tmp_path):
    good = "crisscross.abcdef.0123456789abcdef0123.svg"
    record = {good: "d", "../../x.svg": "d", "y.svg": 1, DIGEST_NAME: "d"}
    (tmp_path / store.DIGESTS).write_text(json.dumps(record))
    assert store.read_digests(tmp_path) == {good: "d"}


DIGEST_NAME = "other.abcdef.0123456789abcdef0123.svg/.."


# --- a full disk -------------------------------------------------------------------------


@pytest.mark.slow  # lays the ebook out for the EPUB's page list
def test_a_full_disk_is_one_line_and_keeps_the_previous_file(book, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "ebook.epub").write_bytes(b"the last good EPUB")

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = run_cli("epub", "--book", book, "-o", out / "ebook.epub", "--force")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.strip().endswith(
        "ebook.epub: cannot write: No space left on device; the previous file is kept"
    )
    assert [p.name for p in out.iterdir() if p.is_file()] == ["ebook.epub"]
    assert (out / "ebook.epub").read_bytes() == b"the last good EPUB"


# --- Ctrl-C ------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    found = []
    for task in tasks.glob("*/children") if tasks.exists() else []:
        found += [int(child) for child in task.read_text().split()]
    return found


def _alive_in_group(group: int) -> list[int]:
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_ctrl_c_stops_every_process_and_writes_nothing(book, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("cheatsheet.pdf", "ebook.pdf", "ebook.epub"):
        (out / name).write_bytes(OLD_PDF)
    command = [sys.executable, "-m", "psoas_print", "build", "--book", book, "--out", out,
               "--force"]  # fmt: skip
    build = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # a group of its own, as a terminal's Ctrl-C reaches it
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not _children(build.pid) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # until the workers start laying out
    time.sleep(0.5)
    os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C does: every process of the group
    stdout, stderr = build.communicate(timeout=30)
    assert build.returncode == 130, stderr
    assert stderr == "Interrupted: nothing was written.\n"
    assert "Traceback" not in stdout
    for name in ("cheatsheet.pdf", "ebook.pdf", "ebook.epub"):
        assert (out / name).read_bytes() == OLD_PDF
    assert sorted(p.name for p in out.iterdir()) == ["cheatsheet.pdf", "ebook.epub", "ebook.pdf"]
    deadline = time.monotonic() + 10
    while _alive_in_group(build.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive_in_group(build.pid)  # the workers, the fork server: all gone
