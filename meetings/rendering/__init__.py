"""Rendering: page images and text layers made by PyMuPDF in worker processes, cached on disk."""

from __future__ import annotations

import atexit
import os
from pathlib import Path

from flask import Flask, current_app

from meetings.rendering.pages import PageRenderer
from meetings.rendering.pool import RenderPool


def renderer() -> PageRenderer:
    """The app's page renderer (one pool of workers per server process)."""
    return current_app.extensions["paperless.renderer"]  # type: ignore[no-any-return]


_pools: dict[tuple[int, float], RenderPool] = {}


def shared_pool(size: int, timeout: float) -> RenderPool:
    """One pool of workers per process and setting: apps made in one process (tests) share it."""
    key = (size, timeout)
    if key not in _pools:
        _pools[key] = RenderPool(size=size, timeout=timeout)
        atexit.register(_pools[key].close)
    return _pools[key]


def init_app(app: Flask) -> None:
    from meetings.dossiers.storage import FileStore
    from meetings.extensions import api
    from meetings.rendering import api as routes
    from meetings.rendering import models  # noqa: F401  (registers the table)

    config = app.config
    pool = shared_pool(config.get("RENDER_WORKERS") or min(4, os.cpu_count() or 1),
                       float(config.get("RENDER_TIMEOUT_S", 20)))
    data_dir = Path(config["DATA_DIR"])
    app.extensions["paperless.renderer"] = PageRenderer(
        FileStore(data_dir / "files"), data_dir / "pages", pool, int(config.get("RENDER_MAX_PIXELS", 2400 * 3400 * 2))
    )
    api.register_blueprint(routes.blp)
