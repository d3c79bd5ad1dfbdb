"""The dossiers' services bound to the request: its user, address, upload limits and PDF workers."""

from __future__ import annotations

import functools

from flask import current_app, request
from flask_login import current_user

from meetings.db import db
from meetings.dossiers.services import DossierService, UploadLimits
from meetings.pdf import renderer
from meetings.pdf.check import extract_text, inspect_in_workers


def dossier_service() -> DossierService:
    config = current_app.config
    limits = UploadLimits(
        max_bytes=config["MAX_UPLOAD_MB"] << 20,
        max_pages=config["MAX_PDF_PAGES"],
        max_side_pt=config["MAX_PAGE_SIDE_PT"],
    )
    pages = renderer()
    return DossierService(
        db.session, pages.store, limits, current_user._get_current_object(), request.remote_addr,
        prepare_file=functools.partial(extract_text, pages),
        inspect=lambda path, lim: inspect_in_workers(pages.pool, path, max_pages=lim.max_pages,
                                                     max_side_pt=lim.max_side_pt),
    )
