"""Domain signals: how capabilities react to each other without importing each other.

A capability announces what happened (dossiers: a version was uploaded, a dossier was published; the
reader: a document was opened); the ones that care listen, connecting in their own init_app. Signals
are sent inside the request's transaction, so a listener's writes commit or roll back with the
change; what must wait for the commit (telling clients, starting pre-rendering) a listener queues with
meetings.db.after_commit."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: a file became a document's new version (its first, or a later one). sender: the DocumentVersion;
#: kwargs: document, actor_id, published (whether the meeting's delegates can already see it)
version_uploaded = _signals.signal("version-uploaded")

#: a meeting's dossier was published. sender: the Meeting; kwargs: documents (the ones that became
#: visible to delegates now), versions (every current version, to pre-render)
dossier_published = _signals.signal("dossier-published")

#: pre-rendering extracted a version's text layer (again: at upload it may have failed). sender: the
#: DocumentVersion; kwargs: session (the background task's), layer (words with boxes per page)
text_extracted = _signals.signal("text-extracted")

#: a reader opened a document. sender: the Document; kwargs: user_id
document_opened = _signals.signal("document-opened")
