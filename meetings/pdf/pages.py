"""Page images and text layers: cached on disk, immutable per (file, page, width bucket, format).

The cache is keyed by the file's SHA-256, not the document's id: a file uploaded twice, or kept
across versions, is rendered once."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from meetings.pdf.pool import RenderFailed, RenderPool
from meetings.pdf.store import FileStore

log = logging.getLogger(__name__)

#: widths in device pixels. A phone is 360-430 CSS px at 2-3x (about 800-1200 device px); a 10-inch
#: tablet 800-1280 CSS px at 1.5-2x (1200-2400); thumbnails 200. A request is rounded up to a bucket,
#: so a handful of images per page serve every screen and the cache stays small.
BUCKETS = (200, 400, 800, 1200, 1600, 2400)
THUMBNAIL = 200
FORMATS = {"webp": "image/webp", "jpeg": "image/jpeg"}
#: rendered ahead of time when a dossier is published: thumbnails, phones, tablets
PRERENDER = ((THUMBNAIL, "webp"), (1200, "webp"), (1600, "webp"))


def bucket_for(width: int) -> int:
    """The smallest bucket at least width wide (the largest for anything wider)."""
    return next((b for b in BUCKETS if b >= width), BUCKETS[-1])


@dataclass(frozen=True)
class PageImage:
    """A page image to send: its bytes' file (or the bytes), and whether it is a stand-in."""

    path: Path | None
    data: bytes | None
    placeholder: bool = False

    def read(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()  # type: ignore[union-attr]


class PageRenderer:
    """Page images and text layers of stored files, cached on disk, made by the worker pool.

    A page that blew its time or pixel budget once is remembered (a marker beside where its image
    would be) and answered with the placeholder until the file changes, instead of holding a worker
    again on every request; a page that took long once is sent to the pool's slow lane after."""

    #: a render that took longer than this marks its page as slow (its other widths go to the slow lane)
    SLOW_AFTER_S = 2.0

    def __init__(self, store: FileStore, cache_root: Path, pool: RenderPool, max_pixels: int) -> None:
        self.store = store
        self.cache_root = cache_root
        self.pool = pool
        self.max_pixels = max_pixels
        self._slow: set[tuple[str, int]] = set()

    def _dir(self, sha256: str) -> Path:
        return self.cache_root / sha256[:2] / sha256

    def image_path(self, sha256: str, page: int, width: int, fmt: str) -> Path:
        return self._dir(sha256) / f"p{page}-w{width}.{fmt}"

    def image(self, sha256: str, page: int, width: int, fmt: str, page_size: tuple[float, float], *,
              lane: str = "visible", owner: Any = None) -> PageImage:
        """The image of page (from 0) at a bucket width; a placeholder if the page cannot be rendered.

        lane and owner say whose turn it is in the pool (RenderPool.call)."""
        path = self.image_path(sha256, page, width, fmt)
        if path.exists():
            return PageImage(path, None)
        failed = path.with_name(path.name + ".failed")
        if failed.exists():
            return self._placeholder(width, fmt, page_size, failed.read_text(encoding="utf-8") or "render_failed")
        request = {"op": "render", "pdf": str(self.store.path_for(sha256)), "page": page, "width": width,
                   "format": fmt, "out": str(path), "max_pixels": self.max_pixels}
        slow = (sha256, page) in self._slow
        started = time.monotonic()
        try:
            self.pool.once(("render", sha256, page, width, fmt),
                           lambda: self.pool.call(request, lane=lane, owner=owner, slow=slow))
        except RenderFailed as failure:
            log.error("page %d of %s at %d px (%s) not rendered: %s %s", page + 1, sha256[:12], width, fmt,
                      failure.code, failure)
            if failure.code in REMEMBERED_FAILURES:
                self._slow.add((sha256, page))
                _remember(failed, failure.code)
            return self._placeholder(width, fmt, page_size, failure.code)
        if time.monotonic() - started > self.SLOW_AFTER_S:
            self._slow.add((sha256, page))
        return PageImage(path, None)

    @staticmethod
    def _placeholder(width: int, fmt: str, page_size: tuple[float, float], reason: str) -> PageImage:
        height = max(1, round(width * page_size[1] / page_size[0]))
        return PageImage(None, placeholder(width, min(height, width * 2), fmt, reason), placeholder=True)

    def text_layer(self, sha256: str) -> dict[str, Any]:
        """Words with boxes for every page, and the outline; extracted once per file."""
        path = self._dir(sha256) / "text.json"
        if not path.exists():
            request = {"op": "text", "pdf": str(self.store.path_for(sha256)), "out": str(path)}
            self.pool.once(("text", sha256), lambda: self.pool.call(request))
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data


#: failures that would happen again on the same file: remembered, not retried on every request
REMEMBERED_FAILURES = frozenset({"timeout", "over_budget", "render_failed"})


def _remember(marker: Path, code: str) -> None:
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(code, encoding="utf-8")
    except OSError:
        log.exception("could not remember the failure of %s", marker.name)


@functools.lru_cache(maxsize=64)
def placeholder(width: int, height: int, fmt: str, reason: str) -> bytes:
    """A plain page saying it could not be shown, in both languages, never cached by browsers."""
    image = Image.new("RGB", (width, height), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle([4, 4, width - 5, height - 5], outline=(190, 190, 190), width=3)
    font = _font(max(12, width // 28))
    lines = ["Không hiển thị được trang này", "This page could not be shown", f"({reason})"]
    y = height // 2 - len(lines) * font.size
    for line in lines:
        w = draw.textlength(line, font=font)
        draw.text(((width - w) / 2, y), line, fill=(90, 90, 90), font=font)
        y += int(font.size * 1.6)
    return _encode(image, fmt)


def watermark(base: bytes, fmt: str, name: str, day: dt.date) -> bytes:
    """Composite the reader's name and the date, faint and diagonal, over a page image."""
    image = Image.open(io.BytesIO(base)).convert("RGB")
    overlay = _watermark_tile(image.width, image.height, f"{name} · {day.strftime('%d/%m/%Y')}")
    image.paste((150, 40, 40), mask=overlay)
    return _encode(image, fmt)


#: how strongly the watermark covers the page (of 255): faint, but visible on a projector photo
WATERMARK_ALPHA = 64


@functools.lru_cache(maxsize=256)
def _watermark_tile(width: int, height: int, text: str) -> Image.Image:
    """The watermark's mask for one reader and page size, drawn once and reused for every page."""
    font = _font(max(14, width // 22))
    line = Image.new("L", (int(font.getlength(text)) + 40, int(font.size * 1.6)), 0)
    ImageDraw.Draw(line).text((20, 0), text, fill=255, font=font)
    rotated = line.rotate(30, expand=True)
    box = (rotated.width, rotated.height)
    mask = Image.new("L", (width, height), 0)
    step_y = max(rotated.height, height // 4)
    for i, y in enumerate(range(-rotated.height // 2, height, step_y)):
        x = (i % 2) * rotated.width // 2 - rotated.width // 4
        while x < width:
            # the text's own coverage as the mask: strength WATERMARK_ALPHA, edges antialiased
            mask.paste(WATERMARK_ALPHA, (x, y, x + box[0], y + box[1]), rotated)
            x += rotated.width + width // 6
    return mask


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    import pymupdf

    return ImageFont.truetype(io.BytesIO(pymupdf.Font("notos").buffer), size)


def _encode(image: Image.Image, fmt: str) -> bytes:
    from meetings.pdf.worker import ENCODERS

    pil_format, options = ENCODERS[fmt]
    out = io.BytesIO()
    image.save(out, pil_format, **options)
    return out.getvalue()
