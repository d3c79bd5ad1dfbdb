"""Comments (góp ý) on documents and breakout-group discussion: models, services, live actions,
HTTP API, pages, and who is online (presence)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from meetings.discussion import actions, api, models, presence, views  # noqa: F401  (actions register)
    from meetings.extensions import api as rest
    from meetings.live import namespace

    presence.configure(app.config.get("SOCKETIO_MESSAGE_QUEUE"),
                       app.config.get("SOCKETIO_CHANNEL", "paperless-meetings"))
    rest.register_blueprint(api.blp)
    app.register_blueprint(views.bp)
    app.add_template_global(views.discussion_panel)
    if presence.on_join not in namespace.JOIN_LISTENERS:
        namespace.JOIN_LISTENERS.append(presence.on_join)
        namespace.LEAVE_LISTENERS.append(presence.on_leave)
