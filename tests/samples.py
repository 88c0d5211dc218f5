"""Files to upload in tests, made here: photos with a location in their EXIF, HEIC, PNG, PDFs (plain,
with JavaScript), and the bad ones (a renamed executable, HTML, truncated JPEG)."""

from __future__ import annotations

import io
import random

import pillow_heif
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(width: int = 800, height: int = 600, *, seed: int = 1, orientation: int | None = None) -> bytes:
    """A JPEG with GPS coordinates (and optionally an orientation) in its EXIF, like a phone's."""
    img = _picture(width, height, seed)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (39.0, 54.0, 27.0)
    gps[3], gps[4] = "E", (116.0, 23.0, 50.0)
    if orientation:
        exif[ORIENTATION] = orientation
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, exif=exif)
    return buf.getvalue()


def big_photo(*, seed: int = 7) -> bytes:
    """A 12-megapixel JPEG of about 5 MB with EXIF, like a phone's photo (quality 90 over coarse noise)."""
    width, height = 4000, 3000
    rng = random.Random(seed)
    coarse = Image.frombytes("RGB", (width // 4, height // 4), rng.randbytes(width // 4 * height // 4 * 3))
    img = coarse.resize((width, height), Image.Resampling.BILINEAR)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, exif=exif)
    return buf.getvalue()


def png(width: int = 300, height: int = 200) -> bytes:
    img = Image.new("RGBA", (width, height), (20, 120, 200, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def heic(width: int = 320, height: int = 240) -> bytes:
    img = _picture(width, height, 3)
    heif = pillow_heif.from_pillow(img)
    buf = io.BytesIO()
    heif.save(buf, quality=80)
    return buf.getvalue()


def pdf(pages: int = 1, *, javascript: bool = False) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if javascript:  # a document-level script, in the catalog's /Names tree
        script = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Action"),
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert('hi');"),
                }
            )
        )
        tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("js0"), script])})
        names = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
        writer._root_object[NameObject("/Names")] = writer._add_object(names)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_with_open_action_script() -> bytes:
    """A PDF whose catalog runs a script when opened (no /Names tree: only the action says so)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    action = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def truncated_jpeg() -> bytes:
    whole = photo(640, 480, seed=5)
    return whole[: len(whole) // 2]


def _picture(width: int, height: int, seed: int) -> Image.Image:
    rng = random.Random(seed)
    img = Image.new("RGB", (width, height), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    img.paste((200, 30, 30), (0, 0, width // 2, height // 3))  # a red block top-left: shows a rotation
    return img
