"""The render pool is fair: one greedy reader, a heavy page or background work never starve the page
someone else is looking at. Shown by the order in which renders finish (counted, never timed)."""

from __future__ import annotations

import io
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from meetings.pdf.pages import PageRenderer
from meetings.pdf.pool import RenderPool
from meetings.pdf.store import FileStore


def heavy_pdf(pages: int = 4, lines: int = 1200) -> bytes:
    """Pages of many thin vector lines: a fraction of a second each to render, like a scanned map."""
    document = pymupdf.open()
    chance = random.Random(7)
    for _ in range(pages):
        page = document.new_page()
        shape = page.new_shape()
        for _ in range(lines):
            shape.draw_line((chance.uniform(0, 595), chance.uniform(0, 842)),
                            (chance.uniform(0, 595), chance.uniform(0, 842)))
        shape.finish(width=0.3)
        shape.commit()
    data: bytes = document.tobytes()
    return data


def light_pdf() -> bytes:
    document = pymupdf.open()
    document.new_page().insert_text((72, 72), "Tờ trình số 01/TTr-UBND")
    data: bytes = document.tobytes()
    return data


class RecordingPool(RenderPool):
    """A pool that notes the order in which calls get a worker (by their output file's name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.started: list[str] = []

    def _run(self, request: dict[str, Any], timeout: float | None) -> dict[str, Any]:
        self.started.append(Path(request["out"]).stem)
        return super()._run(request, timeout)


@pytest.fixture
def pool() -> Iterator[RecordingPool]:
    made = RecordingPool(size=2, timeout=120)
    made.warm()
    yield made
    made.close()


def render_request(pdf: Path, out: Path, page: int, width: int, fmt: str) -> dict[str, Any]:
    return {"op": "render", "pdf": str(pdf), "page": page, "width": width, "format": fmt, "out": str(out),
            "max_pixels": 10**8}


def wait_until_queued(pool: RenderPool, count: int) -> None:
    event = threading.Event()
    while pool.waiting() < count:
        event.wait(0.01)


def test_one_readers_twenty_uncached_widths_never_make_anothers_page_wait_for_them(
        pool: RenderPool, tmp_path: Path) -> None:
    heavy, light = tmp_path / "heavy.pdf", tmp_path / "light.pdf"
    heavy.write_bytes(heavy_pdf())
    light.write_bytes(light_pdf())
    asks = [(page, width, fmt) for page in range(4) for width in (200, 400, 800) for fmt in ("webp", "jpeg")][:20]
    finished: list[str] = []
    lock = threading.Lock()

    def render(who: str, request: dict[str, Any]) -> None:
        pool.call(request, owner=who)
        with lock:
            finished.append(who)

    hog = [threading.Thread(target=render, args=("hog", render_request(heavy, tmp_path / f"h{i}.webp", *ask)))
           for i, ask in enumerate(asks)]
    for thread in hog:
        thread.start()
    wait_until_queued(pool, len(asks) - pool.size)
    other = threading.Thread(target=render, args=("other", render_request(light, tmp_path / "o.webp", 0, 1200, "webp")))
    other.start()
    other.join()
    for thread in hog:
        thread.join()
    ahead = finished.index("other")
    # at most the hog's renders already running when the other page was asked for finish first;
    # first come, first served would have put all twenty ahead of it
    assert ahead <= pool.per_owner, finished
    assert finished.count("hog") == len(asks)


def test_the_page_someone_looks_at_goes_before_queued_background_work(pool: RecordingPool, tmp_path: Path) -> None:
    heavy = tmp_path / "heavy.pdf"
    heavy.write_bytes(heavy_pdf(pages=4))
    finished: list[str] = []
    lock = threading.Lock()

    def render(lane: str, request: dict[str, Any]) -> None:
        pool.call(request, lane=lane)
        with lock:
            finished.append(lane)

    background = [threading.Thread(target=render, args=(
        "background", render_request(heavy, tmp_path / f"b{i}.webp", i % 4, 400 + 200 * (i // 4), "webp")))
        for i in range(10)]
    for thread in background:
        thread.start()
    wait_until_queued(pool, 10 - pool.size)
    visible = threading.Thread(target=render, args=("visible", render_request(heavy, tmp_path / "v.webp", 0, 1600,
                                                                              "webp")))
    visible.start()
    for thread in [visible, *background]:
        thread.join()
    # it gets the first worker to come free: only the background renders already running started before
    assert pool.started.index("v") <= pool.size, pool.started
    assert sorted(finished) == ["background"] * 10 + ["visible"]


def test_slow_work_never_holds_every_worker(tmp_path: Path) -> None:
    pool = RenderPool(size=2, timeout=120)
    try:
        assert pool._may_start(None, slow=True)
        pool._running = pool._running_slow = 1
        assert not pool._may_start(None, slow=True)  # one slow render runs: the other worker stays free
        assert pool._may_start(None, slow=False)
    finally:
        pool.close()


class CountingPool(RenderPool):
    """A pool that counts what it is asked to run."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls = 0

    def call(self, request: dict[str, Any], timeout: float | None = None, **kwargs: Any) -> dict[str, Any]:
        self.calls += 1
        return super().call(request, timeout, **kwargs)


def test_a_page_that_blew_its_budget_is_not_rendered_again_until_the_file_changes(tmp_path: Path) -> None:
    pool = CountingPool(size=1, timeout=120)
    try:
        store = FileStore(tmp_path / "files")
        sha256 = stored(store, light_pdf())
        # a pixel budget no page meets: the worker refuses the render (over_budget)
        pages = PageRenderer(store, tmp_path / "pages", pool, max_pixels=10)
        first = pages.image(sha256, 0, 1200, "webp", (595.0, 842.0))
        again = pages.image(sha256, 0, 1200, "webp", (595.0, 842.0))
        assert first.placeholder and again.placeholder
        assert pool.calls == 1
        other_width = pages.image(sha256, 0, 400, "webp", (595.0, 842.0))
        assert other_width.placeholder and pool.calls == 2  # each width is its own try
    finally:
        pool.close()


def stored(store: FileStore, data: bytes) -> str:
    spooled, sha256, _ = store.spool(io.BytesIO(data), limit=len(data) + 1)
    store.keep(spooled, sha256)
    return sha256
