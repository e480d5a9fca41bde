"""Opening a raster picture of a book: decoded in full once, when the book is read.

A picture that cannot be decoded (a corrupt PNG, a truncated JPEG) would otherwise be
found only by the typesetter, or not at all; a picture with more pixels than the
documented limit would take gigabytes to decode. Both are refused at the line that names
the picture, before anything is laid out.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

from psoas_print.files import Unreadable, read_limited
from psoas_print.limits import MAX_IMAGE_PIXELS

FORMATS = ("JPEG", "PNG")


class ImageProblem(Exception):
    """Why a picture cannot be used, in the words of the book's author."""


def open_image(path: Path) -> tuple[int, int]:
    """The width and height in pixels of a JPEG or PNG that decodes in full."""
    # Pillow costs every command 15 ms at start-up; only a book with photos needs it.
    from PIL import Image, ImageFile, UnidentifiedImageError

    # A truncated file is an error, never a picture with its missing part left grey.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        data = read_limited(path, what="a picture")
    except Unreadable as error:
        raise ImageProblem(f"'{path.name}': {error}") from None
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; this module decides instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Only the two formats a book may use: no other decoder ever sees a book's file.
            with Image.open(io.BytesIO(data), formats=FORMATS) as picture:
                width, height = picture.size
                _check_pixels(path, width, height)
                if picture.format == "PNG":
                    # Every chunk's checksum: a PNG can decode although its bytes changed.
                    picture.verify()
            with Image.open(io.BytesIO(data), formats=FORMATS) as picture:
                # A JPEG is read to its end at an eighth of its size: half the time, a
                # fraction of the memory, and a truncated one fails all the same.
                picture.draft("RGB", (width // 8, height // 8))
                picture.load()  # every pixel: a truncated or broken stream fails here
    except ImageProblem:
        raise
    except Image.DecompressionBombError as error:  # too large even to be opened
        raise ImageProblem(_too_many(path, _pixels_in(str(error)))) from None
    except UnidentifiedImageError:
        raise ImageProblem(f"'{path.name}' is not a JPEG or PNG image") from None
    except Exception as error:  # Pillow raises many kinds for a broken file
        message = f"'{path.name}' is not a readable JPEG or PNG image: {_why(error)}"
        raise ImageProblem(message) from None
    return width, height


def _check_pixels(path: Path, width: int, height: int) -> None:
    if not width or not height:
        raise ImageProblem(f"'{path.name}' is an empty image ({width} x {height} pixels)")
    if width * height > MAX_IMAGE_PIXELS:
        raise ImageProblem(_too_many(path, (width, height)))


def _too_many(path: Path, size: tuple[int, int] | int | None) -> str:
    limit = f"a picture may have at most {MAX_IMAGE_PIXELS / 1e6:.0f} megapixels"
    if isinstance(size, tuple):
        width, height = size
        return f"'{path.name}' is {width:,} x {height:,} pixels; {limit}"
    if size is None:
        return f"'{path.name}' has too many pixels; {limit}"
    return f"'{path.name}' has {size / 1e6:,.0f} megapixels; {limit}"


def _pixels_in(message: str) -> int | None:
    """The pixel count in Pillow's message: "Image size (900000000 pixels) exceeds …"."""
    found = re.search(r"\((\d+) pixels\)", message)
    return int(found[1]) if found else None


def _why(error: Exception) -> str:
    """Pillow's reason, on one line and without its internals."""
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return reason.rstrip(".")
