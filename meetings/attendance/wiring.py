"""The attendance services bound to the request's app and its settings."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from meetings.attendance.cards import CardService
from meetings.db import db


def card_service() -> CardService:
    config = current_app.config
    return CardService(db.session, config["SECRET_KEY"], config["BABEL_DEFAULT_TIMEZONE"],
                       ttl_hours=float(config["CARD_TTL_HOURS"]) if config.get("CARD_TTL_HOURS") else None)


def checkin_opens_before() -> dt.timedelta:
    return dt.timedelta(minutes=int(current_app.config.get("CHECKIN_OPENS_MINUTES_BEFORE", 30)))
