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


def init_app(app: Flask) -> None:
    from meetings.dossiers.storage import FileStore
    from meetings.extensions import api
    from meetings.rendering import api as routes
    from meetings.rendering import models  # noqa: F401  (registers the table)

    config = app.config
    pool = RenderPool(size=config.get("RENDER_WORKERS") or min(4, os.cpu_count() or 1),
                      timeout=float(config.get("RENDER_TIMEOUT_S", 20)))
    atexit.register(pool.close)
    data_dir = Path(config["DATA_DIR"])
    app.extensions["paperless.renderer"] = PageRenderer(
        FileStore(data_dir / "files"), data_dir / "pages", pool, int(config.get("RENDER_MAX_PIXELS", 2400 * 3400 * 2))
    )
    api.register_blueprint(routes.blp)
