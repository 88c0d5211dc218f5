"""What an uploaded file really is, judged by opening its content (never by its name), and the bytes
kept of it: photos re-encoded without EXIF (location, camera) with a thumbnail, HEIC converted to JPEG,
PDFs read through and refused when they carry scripts."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from services.errors import Invalid
from workflow.text import say

pillow_heif.register_heif_opener()

MB = 1024 * 1024
THUMBNAIL_PX = 240
ORIENTATION = 0x0112  # EXIF tag
JPEG_QUALITY = 85
# A PDF whose object graph is larger than this is not walked (nor kept): scans of a few pages have
# hundreds of objects.
MAX_PDF_OBJECTS = 200_000
# Actions a PDF viewer would run: scripts, launching programs.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript"})
_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch"})


@dataclass(frozen=True)
class Limits:
    """Upload limits (from the app's config: ATTACHMENT_*)."""

    max_bytes: int = 20 * MB
    max_pixels: int = 100_000_000
    min_free_bytes: int = 200 * MB


@dataclass(frozen=True)
class Content:
    """What is kept of an upload: the bytes, their type, and a thumbnail for images."""

    data: bytes
    content_type: str
    extension: str
    thumbnail: bytes | None = None
    pages: int | None = None


def inspect(data: bytes, limits: Limits) -> Content:
    """The content to keep, or Invalid saying what is wrong with the file."""
    if not data:
        raise Invalid(say("文件是空的（0 字节），未保存。"))
    if len(data) > limits.max_bytes:
        raise Invalid(
            say(
                "文件大小 %(size)s MB，超过上限 %(most)s MB，未保存。",
                size=f"{len(data) / MB:.1f}",
                most=limits.max_bytes // MB,
            )
        )
    if data.startswith(b"%PDF-"):
        return _pdf(data)
    return _image(data, limits)


# --- images ---------------------------------------------------------------------------------------
def _image(data: bytes, limits: Limits) -> Content:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a decompression-bomb warning: the pixel limit below decides
            opened = Image.open(io.BytesIO(data), formats=("JPEG", "PNG", "HEIF"))
    except Image.DecompressionBombError:
        raise Invalid(
            say("图片尺寸过大（上限 %(most)s 百万像素）。", most=limits.max_pixels // 1_000_000)
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise Invalid(say("无法识别的文件类型，只能上传 JPEG、PNG、HEIC 照片或 PDF 文件。")) from None
    width, height = opened.size
    if width * height > limits.max_pixels:
        raise Invalid(
            say(
                "图片尺寸 %(width)s×%(height)s 过大（上限 %(most)s 百万像素）。",
                width=width,
                height=height,
                most=limits.max_pixels // 1_000_000,
            )
        )
    source = opened.format
    try:
        opened.load()
    except (OSError, ValueError, SyntaxError, RuntimeError, Image.DecompressionBombError):
        raise Invalid(say("图片文件不完整或已损坏，未保存。请重新拍照或导出后再上传。")) from None
    img: Image.Image = opened
    # Turn the picture as the camera meant it, then drop every piece of metadata (EXIF: location,
    # camera, time; comments; XMP) by keeping pixels only.
    if img.getexif().get(ORIENTATION, 1) != 1:
        img = ImageOps.exif_transpose(img) or img
    img.info.clear()
    keep_png = source == "PNG"
    if keep_png:
        if img.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
            img = img.convert("RGBA")
        out = _encode(img, "PNG", optimize=False, compress_level=6)
    else:
        if img.mode not in ("L", "RGB"):
            img = img.convert("RGB")
        out = _encode(img, "JPEG", quality=JPEG_QUALITY)
    return Content(
        out,
        "image/png" if keep_png else "image/jpeg",
        ".png" if keep_png else ".jpg",
        thumbnail=_thumbnail(img),
    )


def _encode(img: Image.Image, fmt: str, **options: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **options)
    return buf.getvalue()


def _thumbnail(img: Image.Image) -> bytes:
    # Box-reduce by a whole factor first (cheap), then resample the last step properly.
    factor = max(1, min(img.size) // (THUMBNAIL_PX * 2))
    small = img.reduce(factor) if factor > 1 else img.copy()
    if small.mode not in ("L", "RGB"):
        small = small.convert("RGB")
    small.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    return _encode(small, "JPEG", quality=75)


# --- PDFs -----------------------------------------------------------------------------------------
def _pdf(data: bytes) -> Content:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise Invalid(say("PDF 文件已加密，无法存档；请上传未加密的文件。"))
            pages = len(reader.pages)
            active = _has_active_content(reader.trailer)
    except Invalid:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise Invalid(say("PDF 文件不完整或已损坏，未保存。")) from None
    if pages < 1:
        raise Invalid(say("PDF 文件没有页面，未保存。"))
    if active:
        raise Invalid(
            say(
                "PDF 文件含有脚本（JavaScript）或启动程序的动作，出于安全不予保存；"
                "请打印后扫描，或另存为普通 PDF。"
            )
        )
    return Content(data, "application/pdf", ".pdf", pages=pages)


def _has_active_content(root: object) -> bool:
    """Whether anything reachable from the trailer is a script or a launch action."""
    stack: list[object] = [root]
    seen: set[tuple[int, int]] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                raise Invalid(say("PDF 文件结构过于复杂，未保存。"))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for key, value in dict.items(obj):
                if key in _ACTIVE_KEYS or (key == "/S" and value in _ACTIVE_ACTIONS):
                    return True
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))
    return False
