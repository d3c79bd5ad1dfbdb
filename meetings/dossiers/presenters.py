"""Plain-data views of a dossier, the same for the JSON API and the server-rendered pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from meetings.accounts.models import User
from meetings.dossiers.models import AgendaItem, Document, Meeting
from meetings.dossiers.permissions import manages, visible_documents
from meetings.participants.presenters import roster


def document(doc: Document) -> dict[str, Any]:
    current = doc.current_version
    return {
        "id": doc.id,
        "meeting_id": doc.meeting_id,
        "agenda_item_id": doc.agenda_item_id,
        "title": doc.title,
        "category": doc.category,
        "number": doc.number,
        "symbol": doc.symbol,
        "issuing_body": doc.issuing_body,
        "issued_on": doc.issued_on,
        "confidentiality": doc.confidentiality,
        "downloadable": doc.downloadable,
        "url": doc.url,
        "version": current.number if current else None,
        "page_count": current.page_count if current else None,
        "page_sizes": current.page_sizes if current else None,
        "sha256": current.sha256 if current else None,
        "versions": list(doc.versions),
        "reader_ids": [u.id for u in doc.readers],
    }


def meeting_summary(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "title": meeting.title,
        "body": meeting.body,
        "term": meeting.term,
        "place": meeting.place,
        "description": meeting.description,
        "status": meeting.status,
        "published_at": meeting.published_at,
        "first_sitting": meeting.sittings[0].date if meeting.sittings else None,
    }


def meeting_detail(session: Session, meeting: Meeting, user: User) -> dict[str, Any]:
    """The whole dossier as user may see it: agenda tree with documents, sittings, groups."""
    is_manager = manages(user)
    docs = list(session.scalars(
        visible_documents(user, meeting)
        .options(selectinload(Document.versions), selectinload(Document.readers))
        .order_by(Document.position, Document.id)
    ))
    by_item: dict[int | None, list[dict[str, Any]]] = {}
    for doc in docs:
        by_item.setdefault(doc.agenda_item_id, []).append(document(doc))
    items = list(session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position, AgendaItem.id)
    ))

    def item_view(item: AgendaItem) -> dict[str, Any]:
        return {
            "id": item.id, "parent_id": item.parent_id, "position": item.position, "title": item.title,
            "description": item.description, "presenter": item.presenter,
            "documents": by_item.get(item.id, []),
            "children": [item_view(c) for c in items if c.parent_id == item.id],
        }

    participants, groups, my_role = roster(session, meeting.id, user, everyone=is_manager)
    return {
        **meeting_summary(meeting),
        "sittings": list(meeting.sittings),
        "agenda": [item_view(i) for i in items if i.parent_id is None],
        "documents": by_item.get(None, []),
        "groups": groups,
        "participants": participants,
        "my_role": my_role.value if my_role else (user.role.value if is_manager else None),
        "can_manage": is_manager,
    }
