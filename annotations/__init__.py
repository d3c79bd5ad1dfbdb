"""Annotations on meeting documents: model, visibility rules, sync and export.

This package never imports Flask: it takes plain data and a SQLAlchemy session, so that a native
tablet app, a worker or a script can use it as well as the web app."""

from annotations.model import Annotation, Kind
from annotations.schema import AnnotationError, present
from annotations.store import AnnotationStore, Reader, Target
from annotations.visibility import Visibility, may_see

__all__ = ["Annotation", "AnnotationError", "AnnotationStore", "Kind", "Reader", "Target", "Visibility",
           "may_see", "present"]
