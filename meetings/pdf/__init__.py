"""PDF infrastructure, below every capability: the PyMuPDF worker pool and its worker, the
content-addressed file store, the page-image cache and the text layer.

It imports no capability (an import-linter contract in pyproject.toml says so): dossiers, rendering,
search and annotating all lean on it, and it knows none of them."""

from __future__ import annotations

import atexit
import os
from pathlib import Path

from flask import Flask, current_app

from meetings.pdf.pages import PageRenderer
from meetings.pdf.pool import RenderPool
from meetings.pdf.store import FileStore


def renderer() -> PageRenderer:
    """The app's page renderer (one pool of workers per server process)."""
    return current_app.extensions["paperless.renderer"]  # type: ignore[no-any-return]


def file_store() -> FileStore:
    """The app's content-addressed store of uploaded files."""
    return renderer().store


_pools: dict[tuple[int, float], RenderPool] = {}


def shared_pool(size: int, timeout: float) -> RenderPool:
    """One pool of workers per process and setting: apps made in one process (tests) share it."""
    key = (size, timeout)
    if key not in _pools:
        _pools[key] = RenderPool(size=size, timeout=timeout)
        atexit.register(_pools[key].close)
    return _pools[key]


def init_app(app: Flask) -> None:
    config = app.config
    pool = shared_pool(config.get("RENDER_WORKERS") or min(4, os.cpu_count() or 1),
                       float(config.get("RENDER_TIMEOUT_S", 20)))
    data_dir = Path(config["DATA_DIR"])
    app.extensions["paperless.renderer"] = PageRenderer(
        FileStore(data_dir / "files"), data_dir / "pages", pool, int(config.get("RENDER_MAX_PIXELS", 2400 * 3400 * 2))
    )
