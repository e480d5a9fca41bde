"""Page references remembered between builds: used while nothing that makes them changed,
never when something did, and never when what is kept has another shape."""

from __future__ import annotations

import uuid

import pytest

from psoas_print.layout.remembered import kept_file, remembered_pages
from tests.conftest import SAMPLE_BOOK, run_cli


def counting(pages: dict[str, int]) -> tuple[list[int], object]:
    calls: list[int] = []

    def lay_out() -> dict[str, int]:
        calls.append(1)
        return pages

    return calls, lay_out


def test_the_same_html_with_the_same_layouts_is_laid_out_once():
    html = f"<p id='x'>{uuid.uuid4()}</p>"  # a document no other run has laid out
    calls, lay_out = counting({"exercise-x": 7})
    assert remembered_pages(html, "layouts-1", lay_out) == {"exercise-x": 7}
    assert remembered_pages(html, "layouts-1", lay_out) == {"exercise-x": 7}
    assert len(calls) == 1
    remembered_pages(html, "layouts-2", lay_out)  # a layout or a font changed
    remembered_pages(html + " ", "layouts-1", lay_out)  # the book changed
    assert len(calls) == 3


def test_without_a_digest_nothing_is_remembered():
    calls, lay_out = counting({"a": 1})
    remembered_pages("<p/>", "", lay_out)
    remembered_pages("<p/>", "", lay_out)
    assert len(calls) == 2


def test_what_is_kept_in_another_shape_counts_for_nothing():
    html = f"<p>{uuid.uuid4()}</p>"
    calls, lay_out = counting({"exercise-a": 3})
    remembered_pages(html, "layouts", lay_out)
    kept = kept_file(html, "layouts")
    assert kept.is_file()
    for garbage in ('{"exercise-a": "3"}', '{"exercise-a": -1}', "[3]", "not json", '{"a": true}'):
        kept.write_text(garbage)
        assert remembered_pages(html, "layouts", lay_out) == {"exercise-a": 3}
    assert len(calls) == 6


@pytest.mark.slow  # several builds in a row
def test_a_handout_made_again_skips_the_ebook_and_prints_the_same_pages(tmp_path, monkeypatch):
    import psoas_print.layout.typesetter as typesetter

    # Two builds give the same bytes at the same date (every PDF carries its dates).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = run_cli(
        "handout", "--book", SAMPLE_BOOK, "--routine", "fridge", "-o", tmp_path / "a.pdf"
    )
    assert first.exit_code == 0, first.stderr
    rendered: list[str] = []
    render = typesetter.Renderer.render

    def spy(self, html, origin):  # type: ignore[no-untyped-def]
        rendered.append(str(origin))
        return render(self, html, origin)

    monkeypatch.setattr(typesetter.Renderer, "render", spy)
    again = run_cli(
        "handout", "--book", SAMPLE_BOOK, "--routine", "fridge", "-o", tmp_path / "b.pdf"
    )
    assert again.exit_code == 0, again.stderr
    assert not any("ebook" in origin for origin in rendered)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
