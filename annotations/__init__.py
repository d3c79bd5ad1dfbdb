"""Annotations on meeting documents: model, visibility rules, sync and export.

This package never imports Flask: it takes plain data and a SQLAlchemy session, so that a native
tablet app, a worker or a script can use it as well as the web app. It grows with the live layer."""

from annotations.visibility import Visibility, may_see

__all__ = ["Visibility", "may_see"]
