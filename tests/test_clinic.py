"""A clinic's branding (clinic.yaml, or options): its name, logo and accent colour on
handouts and programmes, and a colour too light to read on white refused."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from psoas_print.book.clinic import (
    accent_problem,
    accent_shades,
    contrast_with_white,
    read_clinic,
    readable_shade,
)
from psoas_print.errors import BookError, display_path
from tests.conftest import SAMPLE_BOOK, run_cli
from tests.pdfs import tagged_figures

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60" viewBox="0 0 60 60">'
    '<circle cx="30" cy="30" r="26" fill="#8b1f4f"/></svg>'
)
CLIENTS = (
    "client_id,client_name,exercise,reps\nB-1,Ann Berg,crisscross,5\nB-2,Bo Lind,side-kicks,4\n"
)
DESIGN_ACCENT = "#0e6b66"  # layouts/tokens.css


def clinic_file(folder: Path, text: str) -> Path:
    (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
    path = folder / "clinic.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def fill_colours(pdf: Path) -> set[str]:
    """Every fill colour the pages paint with, as #rrggbb."""
    found = set()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "rg":
                    found.add("#" + "".join(f"{round(float(v) * 255):02x}" for v in operands))
    return found


def test_a_clinic_file_gives_name_logo_beside_it_and_accent(tmp_path):
    path = clinic_file(tmp_path, 'name: Riverside Physio\nlogo: logo.svg\naccent: "#8B1F4F"\n')
    clinic = read_clinic(path)
    assert clinic.name == "Riverside Physio"
    assert clinic.logo == tmp_path / "logo.svg"
    assert clinic.accent == "#8b1f4f"
    assert read_clinic(clinic_file(tmp_path, 'accent: "#123"\n')).accent == "#112233"


def test_contrast_is_wcag_s_against_white():
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)  # the AA edge
    assert accent_problem("#767676") is None
    assert accent_problem("#777777") is not None
    shade = readable_shade("#ffd700")
    assert contrast_with_white(shade) >= 4.5
    assert accent_problem(shade) is None
    shades = accent_shades("#8b1f4f")
    assert contrast_with_white(shades["accent-dark"]) > contrast_with_white("#8b1f4f")
    assert contrast_with_white(shades["accent-tint"]) < 1.3  # a pale background


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("name: Studio\naccent: #1f5f8b\n", 2, "quote the colour"),
        ('name: Studio\naccent: "#ffd700"\n', 2, "too light to read on white paper"),
        ('accent: "teal"\n', 1, "accent"),
        ("name: Studio\ncolour: red\n", 2, "unknown field 'colour'"),
        ('name: ""\n', 1, "name"),
    ],
)
def test_a_bad_clinic_file_is_one_located_line_and_nothing_written(tmp_path, text, line, says):
    path = clinic_file(tmp_path, text)
    with pytest.raises(BookError) as raised:
        read_clinic(path)
    (problem,) = raised.value.problems
    assert (problem.path, problem.line) == (path, line) and says in problem.message
    clients = tmp_path / "clients.csv"
    clients.write_text(CLIENTS, encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = run_cli("programme", clients, "--book", SAMPLE_BOOK, "--clinic-file", path, "-o", out)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{display_path(path)}:{line}: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_a_too_light_accent_option_names_a_shade_that_reads(tmp_path):
    out = tmp_path / "handout.pdf"
    args = ("--book", SAMPLE_BOOK, "--routine", "fridge", "-o", out)
    result = run_cli("handout", *args, "--accent", "#ffd700")
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.startswith("--accent: accent #ffd700 is too light")
    suggested = result.stderr.split("; ")[-1].split()[0]
    assert run_cli("handout", *args, "--accent", suggested).exit_code == 0


@pytest.mark.slow
def test_programmes_and_handouts_carry_the_clinic_s_branding(tmp_path):
    brand = clinic_file(tmp_path, 'name: Riverside Physio\nlogo: logo.svg\naccent: "#8b1f4f"\n')
    clients = tmp_path / "clients.csv"
    clients.write_text(CLIENTS, encoding="utf-8")
    programmes, handout, overridden = (tmp_path / n for n in ("p.pdf", "h.pdf", "o.pdf"))
    book = ("--book", SAMPLE_BOOK, "--clinic-file", brand)
    assert run_cli("programme", clients, *book, "--week", "1", "-o", programmes).exit_code == 0
    assert run_cli("handout", *book, "--routine", "fridge", "-o", handout).exit_code == 0
    override = ("--clinic", "Other Studio", "--accent", "#1f4f8b")
    result = run_cli("handout", *book, *override, "--routine", "fridge", "-o", overridden)
    assert result.exit_code == 0, result.stderr
    for pdf in (programmes, handout):
        reader = PdfReader(pdf)
        # (the eyebrow prints in capitals)
        assert all("riverside physio" in page.extract_text().lower() for page in reader.pages)
        logos = [alt for alt, _, _ in tagged_figures(pdf) if alt == "Logo"]
        assert len(logos) == len(reader.pages)
        colours = fill_colours(pdf)
        assert "#8b1f4f" in colours and DESIGN_ACCENT not in colours
    text = PdfReader(overridden).pages[0].extract_text()
    assert "other studio" in text.lower() and "riverside" not in text.lower()
    assert "#1f4f8b" in fill_colours(overridden)


def test_the_readmes_clinic_file_reads(tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Your clinic's name, logo and colour", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "riverside.svg").write_text(LOGO, encoding="utf-8")
    path = tmp_path / "clinic.yaml"
    path.write_text(example, encoding="utf-8")
    clinic = read_clinic(path)
    assert clinic.name and clinic.accent and clinic.logo == tmp_path / "riverside.svg"
