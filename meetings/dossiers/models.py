"""The dossier: a meeting, its sittings, its agenda, and the documents filed under it."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.accounts.models import User
from meetings.db import Base, created_at, enum_column, intpk, str200, str500
from meetings.participants.models import document_readers


class MeetingStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class Category(enum.StrEnum):
    """Where a document is shown on the agenda."""

    MAIN = "main"
    REFERENCE = "reference"
    LINK = "link"


class Confidentiality(enum.StrEnum):
    NORMAL = "normal"
    #: every page image a reader receives carries that reader's watermark
    CONFIDENTIAL = "confidential"
    #: only the named readers (and the meeting's managers) see it at all
    RESTRICTED = "restricted"


class Meeting(Base):
    """A council session: one dossier, one or more sittings."""

    __tablename__ = "meetings"

    id: Mapped[intpk]
    title: Mapped[str500]
    #: the convening body, e.g. "Hội đồng nhân dân quận Ba Đình"
    body: Mapped[str200] = mapped_column(default="")
    #: the body's term, e.g. "Khóa XVI, nhiệm kỳ 2021–2026"
    term: Mapped[str200] = mapped_column(default="")
    place: Mapped[str200] = mapped_column(default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus, "meeting_status"), default=MeetingStatus.DRAFT
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    published_at: Mapped[dt.datetime | None]

    sittings: Mapped[list[Sitting]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="(Sitting.date, Sitting.starts_at)"
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Document.position"
    )


class Sitting(Base):
    """One day or half-day of a meeting, in one room."""

    __tablename__ = "sittings"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str200] = mapped_column(default="")
    date: Mapped[dt.date]
    starts_at: Mapped[dt.time | None]
    ends_at: Mapped[dt.time | None]
    room: Mapped[str200] = mapped_column(default="")

    meeting: Mapped[Meeting] = relationship(back_populates="sittings")


class AgendaItem(Base):
    """An item of the agenda; items nest one level (a top item and its sub-items)."""

    __tablename__ = "agenda_items"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    #: order among its siblings, from 0
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str500]
    description: Mapped[str] = mapped_column(Text, default="")
    #: who presents the item, e.g. "Ủy ban nhân dân quận"
    presenter: Mapped[str200] = mapped_column(default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    parent: Mapped[AgendaItem | None] = relationship(remote_side="AgendaItem.id", back_populates="children")
    children: Mapped[list[AgendaItem]] = relationship(back_populates="parent", order_by="AgendaItem.position")


class Document(Base):
    """A document of the dossier, filed under an agenda item (or under the meeting as a whole)."""

    __tablename__ = "documents"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    category: Mapped[Category] = mapped_column(enum_column(Category, "category"), default=Category.MAIN)
    title: Mapped[str500]
    #: "số" and "ký hiệu" of an official document, e.g. 45 and "TTr-UBND"
    number: Mapped[str | None] = mapped_column(String(40))
    symbol: Mapped[str | None] = mapped_column(String(80))
    issuing_body: Mapped[str200] = mapped_column(default="")
    issued_on: Mapped[dt.date | None]
    confidentiality: Mapped[Confidentiality] = mapped_column(
        enum_column(Confidentiality, "confidentiality"), default=Confidentiality.NORMAL
    )
    #: whether delegates may download the original file (managers always may)
    downloadable: Mapped[bool] = mapped_column(default=False)
    #: the target of a link document (category "link")
    url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[created_at]

    meeting: Mapped[Meeting] = relationship(back_populates="documents")
    agenda_item: Mapped[AgendaItem | None] = relationship()
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentVersion.number"
    )
    readers: Mapped[list[User]] = relationship(secondary=document_readers)

    @property
    def current_version(self) -> DocumentVersion | None:
        return self.versions[-1] if self.versions else None


class DocumentVersion(Base):
    """One uploaded file of a document; the file is stored by its SHA-256."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    #: 1, 2, ... in upload order
    number: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int]
    page_count: Mapped[int]
    #: [[width, height], ...] in PDF points, one pair a page
    page_sizes: Mapped[list[Any]]
    original_filename: Mapped[str] = mapped_column(String(255), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[created_at]

    document: Mapped[Document] = relationship(back_populates="versions")
