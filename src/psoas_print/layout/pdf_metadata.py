"""What every PDF the tool lays out says about itself: its dates and XMP metadata.

WeasyPrint writes the document's title, authors, language and, when the layout gives them
(``SOURCE_DATE_EPOCH``), its dates into the Info dictionary, but XMP only for the PDF/A and
PDF/UA variants. Here a laid-out document takes the time it was laid out when it has no
date of its own, and its PDF an XMP packet (title, authors, description, keywords,
language, dates, the tool that made it) and ``DisplayDocTitle`` when WeasyPrint wrote none.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import SubElement, fromstring, tostring

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PACKET_START = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
PACKET_END = b'\n<?xpacket end="r"?>'


def date_it(metadata: Any) -> None:
    """Give a laid-out document's metadata the present moment as its dates, where the
    layout gave none (a build without SOURCE_DATE_EPOCH)."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    metadata.created = metadata.created or now
    metadata.modified = metadata.modified or metadata.created


def add_xmp(document: Any, pdf: Any) -> None:
    """WeasyPrint's finisher: DisplayDocTitle, and the XMP packet; a PDF variant's own
    packet (the same and its conformance) is given the language it lacks."""
    import pydyf

    preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
    preferences["DisplayDocTitle"] = "true"
    pdf.catalog["ViewerPreferences"] = preferences
    metadata = document.metadata
    written = _written_packet(pdf)
    if written is not None:
        stream, packet = written
        start = packet.index(b"<x:xmpmeta")
        end = packet.rindex(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")
        rdf = fromstring(packet[start:end]).find(f"{{{RDF}}}RDF")
        if rdf is None:  # not a packet WeasyPrint wrote: left as it is
            return
        _add_language(rdf, metadata.lang)
        meta = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + tostring(rdf) + b"</x:xmpmeta>"
        stream.stream = [packet[:start] + meta + packet[end:]]
        return
    rdf = fromstring(metadata.generate_rdf_metadata(None, None, None))
    _add_language(rdf, metadata.lang)
    packet = b"".join(
        (PACKET_START, b'<x:xmpmeta xmlns:x="adobe:ns:meta/">', tostring(rdf), b"</x:xmpmeta>",
         PACKET_END)
    )  # fmt: skip
    # Uncompressed, as PDF/A asks of metadata, so that any tool can read it.
    stream = pydyf.Stream([packet], {"Type": "/Metadata", "Subtype": "/XML"}, compress=False)
    pdf.add_object(stream)
    pdf.catalog["Metadata"] = stream.reference


def _written_packet(pdf: Any) -> tuple[Any, bytes] | None:
    """The metadata stream a PDF variant wrote, and its packet."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return None
    number = int(bytes(reference).split()[0]) if isinstance(reference, bytes) else None
    stream = next((obj for obj in pdf.objects if getattr(obj, "number", None) == number), None)
    if stream is None:
        return None
    return stream, b"".join(bytes(part) for part in stream.stream)


def _add_language(rdf: Any, language: str | None) -> None:
    """dc:language, as a bag of one, unless the packet has it."""
    if rdf is None or not language or next(rdf.iter(f"{{{DC}}}language"), None) is not None:
        return
    description = SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})
    languages = SubElement(SubElement(description, f"{{{DC}}}language"), f"{{{RDF}}}Bag")
    SubElement(languages, f"{{{RDF}}}li").text = language
