"""The one live-action adapter: a capability declares each client action as a row of a table (the
service call, how its result is presented, the event it logs and for whom) and this module does
the rest the same way for all of them: refusals as error acks, repeats answered with the stored
result, events recorded in the action's transaction and told to their rooms after the commit."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotations import AnnotationError
from meetings.errors import DomainError
from meetings.live.context import Delivery, LiveContext
from meetings.live.models import Audience

Result = tuple[dict[str, Any], list[Delivery]]
#: what a service refuses with: a code, a message and extra fields for the error ack
REFUSALS = (AnnotationError, DomainError)


def failure(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message, **extra}}


@dataclass(frozen=True)
class Notice:
    """A further event an action logs besides its main one."""

    type: str
    audience: tuple[Audience, int]
    #: the event's data from the presented item (None: the presented item itself)
    data: Callable[[dict[str, Any]], dict[str, Any]] | None = None


@dataclass
class Change:
    """What a service call did: the item, whether it applied anything (False: a repeat, answered
    with the stored result), and the further events, logged before and after the main one."""

    item: Any
    applied: bool
    before: Sequence[Notice] = field(default_factory=list)
    after: Sequence[Notice] = field(default_factory=list)


@dataclass(frozen=True)
class LiveAction:
    #: the service call: (context, payload) -> Change; refusals raise AnnotationError or DomainError
    call: Callable[[LiveContext, Any], Change]
    #: the item as clients receive it, in the ack and (by default) as the event's data
    present: Callable[[LiveContext, Any], dict[str, Any]]
    #: the ack's field holding the presented item
    key: str
    #: the main event's type
    event: str
    #: the main event's audience
    audience: Callable[[Any], tuple[Audience, int]]
    #: the main event's data from (item, presented), when it is not the presented item
    data: Callable[[Any, dict[str, Any]], dict[str, Any]] | None = None
    #: whether events are about the item's document (a restricted one narrows them to its readers)
    about_document: bool = True

    def __call__(self, ctx: LiveContext, payload: Any) -> Result:
        try:
            change = self.call(ctx, payload)
        except REFUSALS as exc:
            return failure(exc.code, exc.message, **exc.extra), []
        item = change.item
        presented = self.present(ctx, item)
        if not change.applied:
            return {"ok": True, self.key: presented, "repeated": True}, []
        document_id = item.document_id if self.about_document else None
        deliveries = [ctx.log(item.meeting_id, n.type, n.data(presented) if n.data else presented, n.audience,
                              document_id)[1] for n in change.before]
        data = self.data(item, presented) if self.data else presented
        seq, delivery = ctx.log(item.meeting_id, self.event, data, self.audience(item), document_id)
        deliveries.append(delivery)
        deliveries += [ctx.log(item.meeting_id, n.type, n.data(presented) if n.data else presented, n.audience,
                               document_id)[1] for n in change.after]
        return {"ok": True, self.key: presented, "seq": seq}, deliveries


Handler = Callable[[LiveContext, Any], Result]
#: every client action by its dotted name
HANDLERS: dict[str, Handler] = {}


def register(table: Mapping[str, Handler]) -> None:
    """Give the namespace a capability's actions: LiveActions, or plain handlers for the odd one."""
    HANDLERS.update(table)
