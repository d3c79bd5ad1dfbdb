"""Comments and group discussion: the operations, Flask-free. Services flush, never commit: the
caller owns the transaction and tells others only after it commits.

Every write is idempotent by its client_id (a retry answers the stored result), and comment edits
name the revision they were made against, so two devices of one delegate never overwrite each other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotations import Annotation, AnnotationError, Target, sync
from annotations.model import Kind
from annotations.schema import geometry_for, quote_for
from annotations.visibility import Visibility
from meetings.accounts.models import User
from meetings.audit import record as audit
from meetings.db import MAX_ID, utcnow
from meetings.discussion import access
from meetings.discussion.models import (
    Comment,
    CommentRevision,
    CommentVisibility,
    Discussion,
    GroupMessage,
    GroupSummary,
)
from meetings.discussion.text import MAX_SUMMARY, DiscussionError, clean_text, client_id_of, mentioned_usernames
from meetings.dossiers.models import AgendaItem, Document, Meeting, MeetingStatus, Sitting
from meetings.dossiers.permissions import visible_documents
from meetings.dossiers.targets import target_for
from meetings.participants.membership import Member, member_of
from meetings.participants.models import Group, GroupMember, Participant

MAX_MINUTES = 600


def _id(value: Any, name: str, required: bool = True) -> int | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise DiscussionError("invalid", f"{name} must be an id")
    return value


def _payload(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise DiscussionError("invalid", "the payload must be an object")
    return payload


class Access(Protocol):
    """What the services ask about the acting user: the same rules, from the database (an HTTP
    request: DatabaseAccess) or from the live layer's cached facts (meetings.live.context)."""

    def target(self, document_id: object) -> tuple[Target, Member]:
        """The current version of a document they may work on (AnnotationError otherwise)."""

    def member(self, meeting_id: int) -> Member:
        """Their membership of a meeting."""

    def opens(self, meeting_id: int) -> bool:
        """Whether they may open the meeting (dossiers.permissions.visible_meetings)."""


class DatabaseAccess:
    def __init__(self, session: Session, user: User) -> None:
        self.session = session
        self.user = user

    def target(self, document_id: object) -> tuple[Target, Member]:
        return target_for(self.session, self.user, document_id)

    def member(self, meeting_id: int) -> Member:
        return member_of(self.session, self.user, meeting_id)

    def opens(self, meeting_id: int) -> bool:
        return access.visible_meeting(self.session, self.user, meeting_id) is not None


def _target(who: Access, document_id: object) -> Target:
    try:
        return who.target(document_id)[0]
    except AnnotationError as exc:
        raise DiscussionError(exc.code, exc.message) from None


def names_of(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def set_hidden(session: Session, moderator: User, item: Comment | GroupMessage, payload: dict[str, Any],
               kind: str, ip: str | None) -> bool:
    """Hide (payload hidden: true, the default) or show again a comment or message, keeping its text
    in the audit trail; False when it already was so."""
    hidden = payload.get("hidden", True)
    if not isinstance(hidden, bool):
        raise DiscussionError("invalid", "hidden must be true or false")
    if (item.hidden_at is not None) == hidden:
        return False
    item.hidden_at = utcnow() if hidden else None
    item.hidden_by_id = moderator.id if hidden else None
    audit(session, f"{kind}.hide" if hidden else f"{kind}.unhide", actor_id=moderator.id,
          meeting_id=item.meeting_id, target=item, ip=ip, author_id=item.author_id, body=item.body)
    session.flush()
    return True


class CommentService:
    """Comments of one user: create, edit (history kept), delete; and a moderator's hide and lock."""

    #: a client_id names one action of one author in one meeting (the table's unique constraint)
    KEY = ("meeting_id", "author_id", "client_id")

    def __init__(self, session: Session, user: User, access: Access | None = None) -> None:
        self.session = session
        self.user = user
        self.access = access or DatabaseAccess(session, user)

    # -- writing

    def create(self, payload: Any) -> tuple[Comment, bool, list[int]]:
        """Store a comment or a reply; return it, whether it is new, and whom it newly mentions."""
        payload = _payload(payload)
        client_id = client_id_of(payload)
        parent_id = _id(payload.get("parent"), "parent", required=False)
        if parent_id is not None:
            parent = self._visible(parent_id)
            document_id: Any = parent.document_id
        else:
            parent = None
            document_id = payload.get("document")
        target = _target(self.access, document_id)
        key = {"meeting_id": target.meeting_id, "author_id": self.user.id, "client_id": client_id}
        try:
            values = self._new(payload, parent, target)
        except DiscussionError:
            # a retry of a comment stored earlier is answered even if it no longer fits (locked since)
            existing = sync.stored(self.session, Comment, key, self.KEY)
            if existing is not None:
                return existing, False, []
            raise
        comment, new = sync.insert_once(self.session, Comment, {**values, **key}, self.KEY)
        return comment, new, list(comment.mentions) if new else []

    def _new(self, payload: dict[str, Any], parent: Comment | None, target: Target) -> dict[str, Any]:
        """The columns of a new comment or reply, checked."""
        body = clean_text(payload.get("body"))
        if parent is not None:
            if parent.parent_id is not None:  # one level: a reply to a reply joins the thread
                parent = self.session.get(Comment, parent.parent_id)
                assert parent is not None
            if parent.locked:
                raise DiscussionError("locked", "the thread is locked: it takes no more replies")
            if parent.deleted_at is not None or parent.hidden_at is not None:
                raise DiscussionError("gone", "the thread's comment was deleted or hidden")
            values: dict[str, Any] = {
                "document_id": parent.document_id, "parent_id": parent.id, "visibility": parent.visibility,
                "group_id": parent.group_id, "page": None, "anchor": None, "version_id": parent.version_id,
            }
        else:
            visibility, group_id = self._visibility(payload, target.meeting_id)
            page, anchor = self._anchor(payload, target.page_count)
            values = {
                "document_id": target.document_id, "parent_id": None, "visibility": visibility,
                "group_id": group_id, "page": page, "anchor": anchor, "version_id": target.version_id,
            }
        values["body"] = body
        values["mentions"] = self._mentions(body, target.meeting_id, values["visibility"], values["group_id"])
        return values

    def update(self, payload: Any) -> tuple[Comment, bool, list[int]]:
        """Edit the text against payload["revision"], keeping the earlier text; return the comment,
        whether it changed, and whom the edit newly mentions."""
        comment, applied = self._own(payload)
        if applied:
            return comment, False, []
        body = clean_text(payload.get("body"))
        before = set(comment.mentions or [])
        self.session.add(
            CommentRevision(
                comment_id=comment.id, revision=comment.revision, body=comment.body, written_at=comment.updated_at
            )
        )
        comment.body = body
        comment.mentions = self._mentions(body, comment.meeting_id, comment.visibility, comment.group_id)
        self._bump(comment, payload)
        return comment, True, [uid for uid in comment.mentions if uid not in before]

    def delete(self, payload: Any) -> tuple[Comment, bool]:
        """Delete softly: the thread keeps its place, shown as deleted; a repeat is answered."""
        comment, applied = self._own(payload, allow_deleted=True)
        if applied or comment.deleted_at is not None:
            return comment, False
        comment.deleted_at = utcnow()
        self._bump(comment, payload)
        return comment, True

    def hide(self, payload: Any, ip: str | None = None) -> tuple[Comment, bool]:
        """A moderator hides (hidden: true) or shows again a comment; the text stays in the audit trail."""
        payload = _payload(payload)
        comment = self._visible(_id(payload.get("id"), "id"))
        self._moderator(comment.meeting_id)
        changed = set_hidden(self.session, self.user, comment, payload, "comment", ip)
        if changed:
            comment.updated_at = utcnow()
            self.session.flush()
        return comment, changed

    def lock(self, payload: Any, ip: str | None = None) -> tuple[Comment, bool]:
        """A moderator locks (locked: true) or reopens a thread."""
        payload = _payload(payload)
        comment = self._visible(_id(payload.get("id"), "id"))
        self._moderator(comment.meeting_id)
        if comment.parent_id is not None:
            comment = self._visible(comment.parent_id)
        locked = payload.get("locked", True)
        if not isinstance(locked, bool):
            raise DiscussionError("invalid", "locked must be true or false")
        if comment.locked == locked:
            return comment, False
        comment.locked = locked
        comment.updated_at = utcnow()
        audit(
            self.session,
            "comment.lock" if locked else "comment.unlock",
            actor_id=self.user.id,
            meeting_id=comment.meeting_id,
            target=comment,
            ip=ip,
        )
        self.session.flush()
        return comment, True

    # -- reading

    def threads(
        self, meeting: Meeting, document_id: int | None = None, agenda_item_id: int | None = None
    ) -> list[tuple[Comment, list[Comment]]]:
        """The threads the user may see, oldest first, each with its replies oldest first."""
        query = self._visible_query(meeting)
        if document_id is not None:
            query = query.where(Comment.document_id == document_id)
        if agenda_item_id is not None:
            query = query.where(
                Comment.document_id.in_(select(Document.id).where(Document.agenda_item_id == agenda_item_id))
            )
        rows = list(self.session.scalars(query.order_by(Comment.id)))
        roots = [c for c in rows if c.parent_id is None]
        replies: dict[int, list[Comment]] = {}
        for c in rows:
            if c.parent_id is not None:
                replies.setdefault(c.parent_id, []).append(c)
        return [(root, replies.get(root.id, [])) for root in roots]

    def counts(self, meeting: Meeting) -> tuple[dict[int | None, int], dict[int, int]]:
        """How many comments the user may see (not deleted, not hidden), per agenda item and per document."""
        visible = self._visible_query(meeting).where(Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
        ids = visible.with_only_columns(Comment.id).subquery()
        per_document = dict(
            self.session.execute(
                select(Comment.document_id, func.count())
                .where(Comment.id.in_(select(ids.c.id)))
                .group_by(Comment.document_id)
            ).all()
        )
        items = (
            dict(
                self.session.execute(
                    select(Document.id, Document.agenda_item_id).where(Document.id.in_(list(per_document)))
                ).all()
            )
            if per_document
            else {}
        )
        per_item: dict[int | None, int] = {}
        for doc_id, n in per_document.items():
            per_item[items.get(doc_id)] = per_item.get(items.get(doc_id), 0) + n
        return per_item, per_document

    # -- helpers

    def _visible_query(self, meeting: Meeting) -> Any:
        documents = visible_documents(self.user, meeting).with_only_columns(Document.id)
        groups = self.access.member(meeting.id).group_ids
        return select(Comment).where(
            Comment.meeting_id == meeting.id,
            Comment.document_id.in_(documents),
            (Comment.visibility == CommentVisibility.MEETING)
            | (Comment.author_id == self.user.id)
            | Comment.group_id.in_(list(groups)),
        )

    def _visible(self, comment_id: Any) -> Comment:
        comment = self.session.get(Comment, comment_id) if isinstance(comment_id, int) else None
        if comment is None or not access.can_see_comment(self.session, self.user, comment,
                                                         self.access.member(comment.meeting_id)):
            raise DiscussionError("not_found", "no such comment")
        return comment

    def _own(self, payload: Any, allow_deleted: bool = False) -> tuple[Comment, bool]:
        payload = _payload(payload)
        comment_id = payload.get("id")
        # locked for the edit: two edits of one revision must not both pass the check (as annotations)
        comment = (self.session.get(Comment, comment_id, with_for_update=True, populate_existing=True)
                   if isinstance(comment_id, int) and not isinstance(comment_id, bool) else None)
        if comment is None or comment.author_id != self.user.id:
            # another's comment looks like none: editing is the author's alone
            raise DiscussionError("not_found", "no such comment of yours")
        _target(self.access, comment.document_id)  # still allowed, meeting still open
        client_id = client_id_of(payload)
        if client_id != comment.last_action_id and comment.deleted_at is None and comment.hidden_at is not None:
            raise DiscussionError("hidden", "a moderator hid the comment")
        return comment, sync.check_edit(comment, payload, deleted=comment.deleted_at is not None,
                                        allow_deleted=allow_deleted, error=DiscussionError, what="comment")

    def _bump(self, comment: Comment, payload: dict[str, Any]) -> None:
        sync.bump(comment, payload)
        self.session.flush()

    def _moderator(self, meeting_id: int) -> None:
        if not self.access.member(meeting_id).moderates:
            raise DiscussionError("forbidden", "only the secretary or the chair moderates")

    def _visibility(self, payload: dict[str, Any], meeting_id: int) -> tuple[CommentVisibility, int | None]:
        try:
            visibility = CommentVisibility(payload.get("visibility", "meeting"))
        except ValueError:
            raise DiscussionError("invalid", "visibility must be meeting or group") from None
        if visibility is CommentVisibility.MEETING:
            return visibility, None
        groups = self.access.member(meeting_id).group_ids
        group_id = payload.get("group_id")
        if group_id is None and len(groups) == 1:
            return visibility, next(iter(groups))
        if group_id not in groups:
            raise DiscussionError("invalid", "share with a group you belong to (group_id)")
        return visibility, group_id

    @staticmethod
    def _anchor(payload: dict[str, Any], page_count: int) -> tuple[int | None, dict[str, Any] | None]:
        """The page and the passage ({quote, rects}) or area ({rect}) a comment is about, if any."""
        page, anchor = payload.get("page"), payload.get("anchor")
        if page is None:
            if anchor is not None:
                raise DiscussionError("invalid", "an anchored comment needs its page")
            return None, None
        if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= page_count:
            raise DiscussionError("invalid", f"page must be between 1 and {page_count}")
        if anchor is None:
            return page, None
        if not isinstance(anchor, dict):
            raise DiscussionError("invalid", "anchor must be {quote, rects} or {rect}")
        try:
            if "rect" in anchor:
                return page, geometry_for(Kind.RECT, {"rect": anchor["rect"]})
            return page, {
                "quote": quote_for(Kind.HIGHLIGHT, anchor.get("quote")),
                **geometry_for(Kind.HIGHLIGHT, {"rects": anchor.get("rects")}),
            }
        except AnnotationError as exc:
            raise DiscussionError("invalid", f"anchor: {exc.message}") from None

    def _mentions(self, body: str, meeting_id: int, visibility: CommentVisibility, group_id: int | None) -> list[int]:
        """The participants named with @username who may read the comment (the author excepted)."""
        usernames = mentioned_usernames(body)
        if not usernames:
            return []
        query = (
            select(User.id)
            .join(Participant, Participant.user_id == User.id)
            .where(
                Participant.meeting_id == meeting_id,
                func.lower(User.username).in_(usernames),
                User.id != self.user.id,
            )
        )
        if visibility is CommentVisibility.GROUP:
            query = query.where(
                User.id.in_(select(GroupMember.user_id).where(GroupMember.group_id == group_id))
            )
        return sorted(set(self.session.scalars(query)))


class DiscussionService:
    """Breakout-group discussion: open and close rounds, group messages, summaries, moderation."""

    #: a client_id names one message of one author in one meeting (the table's unique constraint)
    KEY = ("meeting_id", "author_id", "client_id")

    def __init__(self, session: Session, user: User, access: Access | None = None) -> None:
        self.session = session
        self.user = user
        self.access = access or DatabaseAccess(session, user)

    def open(
        self,
        meeting: Meeting,
        topic: Any,
        minutes: Any,
        agenda_item_id: Any = None,
        sitting_id: Any = None,
        ip: str | None = None,
    ) -> Discussion:
        """Open a round for every group of the meeting; one round is open at a time."""
        self._moderator(meeting.id)
        if meeting.status is not MeetingStatus.PUBLISHED:
            raise DiscussionError("meeting_closed", "only a published meeting holds discussions")
        topic = clean_text(topic, "topic", 500)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
            raise DiscussionError("invalid", f"minutes must be between 1 and {MAX_MINUTES}")
        if (
            agenda_item_id is not None
            and self.session.scalar(
                select(AgendaItem.id).where(AgendaItem.id == agenda_item_id, AgendaItem.meeting_id == meeting.id)
            )
            is None
        ):
            raise DiscussionError("invalid", "no such agenda item in this meeting")
        if (
            sitting_id is not None
            and self.session.scalar(
                select(Sitting.id).where(Sitting.id == sitting_id, Sitting.meeting_id == meeting.id)
            )
            is None
        ):
            raise DiscussionError("invalid", "no such sitting in this meeting")
        if self.current(meeting.id) is not None:
            raise DiscussionError("already_open", "a discussion is open already: close it first")
        now = utcnow()
        discussion = Discussion(
            meeting_id=meeting.id,
            agenda_item_id=agenda_item_id,
            sitting_id=sitting_id,
            topic=topic,
            opens_at=now,
            ends_at=now + dt.timedelta(minutes=minutes),
            opened_by_id=self.user.id,
        )
        self.session.add(discussion)
        self.session.flush()
        audit(
            self.session,
            "discussion.open",
            actor_id=self.user.id,
            meeting_id=meeting.id,
            target=discussion,
            ip=ip,
            topic=topic,
            minutes=minutes,
        )
        return discussion

    def close(self, discussion: Discussion, ip: str | None = None) -> bool:
        """Close a round (read-only from now on, and kept); False if it was closed already."""
        self._moderator(discussion.meeting_id)
        if discussion.closed_at is not None:
            return False
        discussion.closed_at = utcnow()
        discussion.closed_by_id = self.user.id
        audit(
            self.session,
            "discussion.close",
            actor_id=self.user.id,
            meeting_id=discussion.meeting_id,
            target=discussion,
            ip=ip,
        )
        self.session.flush()
        return True

    def current(self, meeting_id: int) -> Discussion | None:
        """The open round of the meeting, if any (one whose time is up is not open)."""
        rows = self.session.scalars(
            select(Discussion)
            .where(Discussion.meeting_id == meeting_id, Discussion.closed_at.is_(None))
            .order_by(Discussion.id.desc())
        )
        return next((d for d in rows if d.is_open()), None)

    def get(self, discussion_id: Any) -> Discussion:
        """A round of a meeting the user may open, else not_found."""
        discussion = self.session.get(Discussion, discussion_id) if isinstance(discussion_id, int) else None
        if discussion is None or not self.access.opens(discussion.meeting_id):
            raise DiscussionError("not_found", "no such discussion")
        return discussion

    def group_for(self, discussion: Discussion, group_id: Any, *, reading: bool = False) -> int:
        """The group the user speaks for (theirs; named when they are in several). Moderators may
        read any group's room, never write in it."""
        member = self.access.member(discussion.meeting_id)
        groups = member.group_ids
        if group_id is None and len(groups) == 1:
            return next(iter(groups))
        if isinstance(group_id, int) and group_id in groups:
            return group_id
        moderator_reading = reading and isinstance(group_id, int) and member.moderates
        if moderator_reading and self.session.scalar(
            select(Group.id).where(Group.id == group_id, Group.meeting_id == discussion.meeting_id)
        ):
            return int(group_id)
        if group_id is None and not groups:
            raise DiscussionError("not_in_group", "you are in no group of this meeting")
        raise DiscussionError(
            "not_found" if group_id is not None else "invalid",
            "no such group of yours" if group_id is not None else "name your group (group)",
        )

    def post(self, payload: Any) -> tuple[GroupMessage, bool]:
        """Post a message in the user's group room of an open round; a retry answers the stored one."""
        payload = _payload(payload)
        client_id = client_id_of(payload)
        discussion = self.get(payload.get("discussion"))
        key = {"meeting_id": discussion.meeting_id, "author_id": self.user.id, "client_id": client_id}
        try:
            values = self._new_message(payload, discussion)
        except DiscussionError:
            # a retry of a message stored earlier is answered even after the round closed
            existing = sync.stored(self.session, GroupMessage, key, self.KEY)
            if existing is not None:
                return existing, False
            raise
        return sync.insert_once(self.session, GroupMessage, {**values, **key}, self.KEY)

    def _new_message(self, payload: dict[str, Any], discussion: Discussion) -> dict[str, Any]:
        group_id = self.group_for(discussion, payload.get("group"))
        if not discussion.is_open():
            raise DiscussionError("discussion_closed", "the discussion is closed: it is read-only")
        body = clean_text(payload.get("body"))
        reply_to = _id(payload.get("reply_to"), "reply_to", required=False)
        if (
            reply_to is not None
            and self.session.scalar(
                select(GroupMessage.id).where(
                    GroupMessage.id == reply_to,
                    GroupMessage.discussion_id == discussion.id,
                    GroupMessage.group_id == group_id,
                )
            )
            is None
        ):
            raise DiscussionError("invalid", "reply_to is no message of this room")
        return {
            "discussion_id": discussion.id, "group_id": group_id, "body": body, "reply_to_id": reply_to,
            "link": self._link(payload.get("link"), discussion.meeting_id, group_id),
        }

    def hide(self, payload: Any, ip: str | None = None) -> tuple[GroupMessage, bool]:
        """A moderator hides (hidden: true) or shows again a message; the text stays in the audit trail."""
        payload = _payload(payload)
        message_id = payload.get("id")
        message = self.session.get(GroupMessage, message_id) if isinstance(message_id, int) else None
        if message is None or not self.access.opens(message.meeting_id):
            raise DiscussionError("not_found", "no such message")
        self._moderator(message.meeting_id)
        return message, set_hidden(self.session, self.user, message, payload, "group_message", ip)

    def messages(self, discussion: Discussion, group_id: int) -> list[GroupMessage]:
        return list(
            self.session.scalars(
                select(GroupMessage)
                .where(GroupMessage.discussion_id == discussion.id, GroupMessage.group_id == group_id)
                .order_by(GroupMessage.id)
            )
        )

    def submit_summary(self, discussion: Discussion, group_id: Any, body: Any) -> tuple[GroupSummary, bool]:
        """The rapporteur's summary of their group's discussion (again: replaces it); whether it changed."""
        group = self.group_for(discussion, group_id)
        if not access.is_rapporteur(self.session, self.user, group):
            raise DiscussionError("forbidden", "only the group's rapporteur submits its summary")
        meeting = self.session.get(Meeting, discussion.meeting_id)
        if meeting is None or meeting.status is MeetingStatus.CLOSED:
            raise DiscussionError("meeting_closed", "the meeting is closed")
        text = clean_text(body, "body", MAX_SUMMARY)
        summary = self.session.scalar(
            select(GroupSummary).where(GroupSummary.discussion_id == discussion.id, GroupSummary.group_id == group)
        )
        if summary is None:
            summary = GroupSummary(discussion_id=discussion.id, group_id=group, author_id=self.user.id, body=text)
            self.session.add(summary)
        elif summary.body == text:
            return summary, False
        else:
            summary.body, summary.author_id = text, self.user.id
            summary.revision += 1
            summary.submitted_at = utcnow()
        self.session.flush()
        return summary, True

    def summaries(self, discussion: Discussion) -> list[tuple[Group, GroupSummary | None]]:
        """Every group of the meeting beside its summary of the round (None when not submitted)."""
        self._moderator(discussion.meeting_id)
        groups = self.session.scalars(
            select(Group).where(Group.meeting_id == discussion.meeting_id).order_by(Group.name)
        )
        written = {
            s.group_id: s
            for s in self.session.scalars(select(GroupSummary).where(GroupSummary.discussion_id == discussion.id))
        }
        return [(g, written.get(g.id)) for g in groups]

    def _moderator(self, meeting_id: int) -> None:
        if not self.access.member(meeting_id).moderates:
            raise DiscussionError("forbidden", "only the secretary or the chair runs discussions")

    def _link(self, link: Any, meeting_id: int, group_id: int) -> dict[str, Any] | None:
        """A link to a page of a document, or to an annotation the group may see."""
        if link is None:
            return None
        if not isinstance(link, dict):
            raise DiscussionError("invalid", "link must be {document, page} or {annotation}")
        if "annotation" in link:
            annotation_id = _id(link.get("annotation"), "link.annotation")
            annotation = self.session.get(Annotation, annotation_id)
            shared = (
                annotation is not None
                and annotation.meeting_id == meeting_id
                and annotation.deleted_at is None
                and (
                    annotation.visibility is Visibility.MEETING
                    or annotation.author_id == self.user.id
                    or (annotation.visibility is Visibility.GROUP and annotation.group_id == group_id)
                )
            )
            if annotation is None or not shared:
                raise DiscussionError("invalid", "link.annotation is no annotation the group may see")
            document_id, page = annotation.document_id, annotation.page
        else:
            document_id = _id(link.get("document"), "link.document")
            page = link.get("page", 1)
            if isinstance(page, bool) or not isinstance(page, int) or page < 1:
                raise DiscussionError("invalid", "link.page must be a page number from 1")
        try:
            target, _ = self.access.target(document_id)
        except AnnotationError:
            raise DiscussionError("invalid", "link.document is no document you may see") from None
        if target.meeting_id != meeting_id or page > target.page_count:
            raise DiscussionError("invalid", "link points past the document")
        out: dict[str, Any] = {"document": document_id, "page": page}
        if "annotation" in link:
            out["annotation"] = link["annotation"]
        return out
