"""The machine-checkable PDF/UA-1 rules that matter most, read off a finished PDF with
pikepdf: what a screen reader needs and what veraPDF would check first.

``ua_problems`` lists every breach in words; an empty list is a pass. ``structure_text``
reads a tagged PDF the way a screen reader does, element by element in reading order, each
with the text its marked content shows on its page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pikepdf

from tests.pdfs import structure_elements

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
PAINTING = TEXT_SHOWING | {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "Do", "BI"}
_GLYPH_TEXT = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def ua_problems(pdf: pikepdf.Pdf, variant: str | None = None) -> list[str]:
    """Every breach of the rules below, one line each."""
    problems = _document_problems(pdf, variant)
    if problems:
        return problems  # untagged: nothing more to check
    problems += _content_problems(pdf)
    problems += _element_problems(pdf)
    problems += _heading_problems(pdf)
    problems += _link_problems(pdf)
    problems += _font_problems(pdf)
    return problems


def second_opinion(path: Path) -> list[str]:
    """What ``pdfua`` finds wrong (errors; its warning that no PDF/UA conformance is
    declared is true of every file but the PDF/UA variant)."""
    from pdfua import Severity, validate

    report = validate(str(path))
    return [
        f"{finding.rule_id}: {finding.message}"
        for finding in report.findings
        if finding.severity == Severity.ERROR
    ]


def _document_problems(pdf: pikepdf.Pdf, variant: str | None) -> list[str]:
    """Tagged, with a language, a title shown as the title, and XMP metadata."""
    problems = []
    if "/StructTreeRoot" not in pdf.Root:
        return ["no structure tree: the PDF is not tagged"]
    if not bool(pdf.Root.get("/MarkInfo", {}).get("/Marked", False)):
        problems.append("/MarkInfo /Marked is not true")
    if not str(pdf.Root.get("/Lang", "")).strip():
        problems.append("no /Lang in the catalogue")
    if not bool(pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        problems.append("DisplayDocTitle is not true")
    for key in ("/Title", "/CreationDate", "/ModDate"):
        if not str(pdf.docinfo.get(key, "")).strip():
            problems.append(f"no {key} in the document information")
    with pdf.open_metadata() as xmp:
        for key in ("dc:title", "dc:language", "xmp:CreateDate", "xmp:ModifyDate"):
            if not str(xmp.get(key, "")).strip():
                problems.append(f"no {key} in the XMP metadata")
        if variant == "pdf/ua-1" and str(xmp.get("pdfuaid:part", "")) != "1":
            problems.append("a PDF/UA-1 file without pdfuaid:part 1 in its XMP metadata")
    return problems


def _content_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Every content item on every page is real content (marked, in the structure) or an
    artifact; every marked item's element names that page and that item."""
    problems = []
    entries = parent_entries(pdf)
    for number, page in enumerate(pdf.pages, 1):
        owners = entries.get(int(page.obj.get("/StructParents", -1)), pikepdf.Array())
        for operator, marked_by in _painting(page):
            if not marked_by:
                problems.append(f"page {number}: {operator} neither tagged nor an artifact")
                break
        for mcid in marked_content(page):
            owner = owners[mcid] if mcid < len(owners) else None
            if not isinstance(owner, pikepdf.Dictionary) or mcid not in _mcids(owner, page):
                problems.append(f"page {number}: marked content {mcid} has no element")
    return problems


def _painting(page: pikepdf.Page) -> Iterator[tuple[str, str]]:
    """(operator, what marks it: "MCID", "Artifact" or "") for each painting operator."""
    stack: list[str] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BMC", "BDC"):
            properties = operands[1] if len(operands) > 1 else None
            if str(operands[0]) == "/Artifact":
                stack.append("Artifact")
            elif isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                stack.append("MCID")
            else:
                stack.append("")
        elif name == "EMC" and stack:
            stack.pop()
        elif name in PAINTING:
            yield name, next((mark for mark in reversed(stack) if mark), "")


def _mcids(element: pikepdf.Object, page: pikepdf.Page) -> set[int]:
    """The marked-content ids on ``page`` an element holds directly."""
    found = set()
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            if _page_of(element).objgen == page.obj.objgen:
                found.add(kid)
        elif (
            isinstance(kid, pikepdf.Dictionary)
            and kid.get("/Type") == "/MCR"
            and kid.get("/Pg", _page_of(element)).objgen == page.obj.objgen
        ):
            found.add(int(kid.MCID))
    return found


def _page_of(element: pikepdf.Object) -> pikepdf.Object:
    """An element's page: its own /Pg or its nearest ancestor's."""
    while element is not None and "/Pg" not in element:
        element = element.get("/P")
    return element.Pg if element is not None else pikepdf.Dictionary()


def _element_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Figures with alternative text, header cells with their scope."""
    problems = []
    for element in structure_elements(pdf):
        role = str(element.get("/S"))
        if role == "/Figure" and not str(element.get("/Alt", element.get("/ActualText", ""))):
            problems.append("a Figure without /Alt")
        if role == "/TH" and not _scope(element):
            problems.append("a TH without /Scope")
    return problems


def _scope(element: pikepdf.Object) -> str:
    attributes = element.get("/A")
    for item in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
        if isinstance(item, pikepdf.Dictionary) and "/Scope" in item:
            return str(item.Scope)
    return ""


def _heading_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Headings start at H1 and never skip a level on the way down."""
    levels = [
        int(str(element.S)[2:])
        for element in structure_elements(pdf)
        if re.fullmatch(r"/H[1-6]", str(element.get("/S")))
    ]
    problems = []
    previous = 0
    for level in levels:
        if level > previous + 1:
            problems.append(f"H{level} follows H{previous or '-'}: a heading level skipped")
        previous = level
    return problems


def _link_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Each link annotation belongs to a Link element and says in words where it leads."""
    problems = []
    entries = parent_entries(pdf)
    for number, page in enumerate(pdf.pages, 1):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            owner = entries.get(int(annotation.get("/StructParent", -1)))
            if not isinstance(owner, pikepdf.Dictionary) or owner.get("/S") != "/Link":
                problems.append(f"page {number}: a link annotation outside any Link element")
            if not str(annotation.get("/Contents", "")).strip():
                problems.append(f"page {number}: a link annotation without /Contents")
    return problems


def _font_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Fonts embedded, with a Unicode map, and each subset under a name of its own."""
    problems = []
    programs: dict[str, set[bytes]] = {}
    for font in fonts(pdf):
        name = str(font.get("/BaseFont"))
        descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = descendant.get("/FontDescriptor", {})
        key = next((k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor), "")
        if not key:
            problems.append(f"{name} is not embedded")
            continue
        if font.get("/Subtype") == "/Type0" and "/ToUnicode" not in font:
            problems.append(f"{name} has no ToUnicode map")
        digest = hashlib.sha256(descriptor[key].read_bytes()).digest()
        programs.setdefault(name, set()).add(digest)
    problems += [f"{n}: {len(d)} different subsets" for n, d in programs.items() if len(d) > 1]
    return problems


def fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every font the pages and their forms draw with, once."""
    found: dict[tuple[int, int], pikepdf.Object] = {}
    seen: set[tuple[int, int]] = set()
    waiting = [page.obj.get("/Resources") for page in pdf.pages]
    while waiting:
        resources = waiting.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        for font in resources.get("/Font", {}).values():
            found.setdefault(font.objgen, font)
        for item in resources.get("/XObject", {}).values():
            if item.objgen not in seen:
                seen.add(item.objgen)
                waiting.append(item.get("/Resources"))
    return list(found.values())


def parent_entries(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    """The structure's parent tree, flattened: key to element (or array of elements)."""
    entries: dict[int, pikepdf.Object] = {}
    waiting = [pdf.Root.StructTreeRoot.get("/ParentTree")]
    while waiting:
        node = waiting.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        numbers = node.get("/Nums", [])
        entries.update({int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)})
        waiting += list(node.get("/Kids", []))
    return entries


def marked_content(page: pikepdf.Page) -> dict[int, str]:
    """The text each marked-content id shows on a page (decoded with its font's Unicode
    map), forms drawn inside marked content included."""
    texts: dict[int, list[str]] = {}
    _read_marked(page, page.obj.get("/Resources", {}), None, texts)
    return {mcid: "".join(parts) for mcid, parts in texts.items()}


def _read_marked(
    drawing: pikepdf.Object, resources: pikepdf.Object, owner: int | None,
    texts: dict[int, list[str]],
) -> None:  # fmt: skip
    maps: dict[str, dict[bytes, str]] = {}
    fonts_here = resources.get("/Font", {})
    stack: list[int | None] = []
    font = ""
    for operands, operator in pikepdf.parse_content_stream(drawing):
        name = str(operator)
        current = next((m for m in reversed(stack) if m is not None), owner)
        if name in ("BMC", "BDC"):
            properties = operands[1] if len(operands) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            stack.append(int(mcid) if mcid is not None else None)
            if mcid is not None:
                texts.setdefault(int(mcid), [])
        elif name == "EMC" and stack:
            stack.pop()
        elif name == "Tf":
            font = str(operands[0])
        elif name == "Do" and current is not None:
            form = resources.get("/XObject", {}).get(str(operands[0]))
            if form is not None and form.get("/Subtype") == "/Form":
                _read_marked(form, form.get("/Resources", resources), current, texts)
        elif name in TEXT_SHOWING and current is not None:
            if font not in maps:
                maps[font] = _unicode_map(fonts_here.get(font))
            if name == "TJ":
                strings = [s for s in operands[0] if isinstance(s, pikepdf.String)]
            else:
                strings = [operands[-1]]
            texts.setdefault(current, []).extend(_decode(bytes(s), maps[font]) for s in strings)


def _unicode_map(font: pikepdf.Object | None) -> dict[bytes, str]:
    if font is None or "/ToUnicode" not in font:
        return {}
    data = font.ToUnicode.read_bytes()
    return {
        bytes.fromhex(code.decode()): bytes.fromhex(text.decode()).decode("utf-16-be")
        for code, text in _GLYPH_TEXT.findall(data)
    }


def _decode(data: bytes, unicode_map: dict[bytes, str]) -> str:
    return "".join(unicode_map.get(data[i : i + 2], "") for i in range(0, len(data), 2))


def structure_text(pdf: pikepdf.Pdf) -> list[tuple[str, int, str]]:
    """(role, page number, text) of every element holding marked content, in reading order:
    what a screen reader reads, and where it finds it."""
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
    shown = {number: marked_content(page) for number, page in enumerate(pdf.pages, 1)}
    read = []
    for element in structure_elements(pdf):
        number = pages.get(_page_of(element).objgen, 0)
        kids = element.get("/K")
        ids = [
            kid
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
            if isinstance(kid, int)
        ]
        if ids:
            text = "".join(shown.get(number, {}).get(mcid, "") for mcid in ids)
            read.append((str(element.S), number, text))
    return read


def element_text(pdf: pikepdf.Pdf, element: pikepdf.Object) -> str:
    """The text of an element and of everything under it, in reading order."""
    pages = {page.obj.objgen: page for page in pdf.pages}
    shown: dict[tuple[int, int], dict[int, str]] = {}

    def text_of(node: pikepdf.Object) -> str:
        kids = node.get("/K")
        parts = []
        for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                page = _page_of(node).objgen
                if page not in shown and page in pages:
                    shown[page] = marked_content(pages[page])
                parts.append(shown.get(page, {}).get(kid, ""))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                parts.append(text_of(kid))
        return "".join(parts)

    return text_of(element)
