"""One serialization source per resource: what a capability's presenter builds is exactly what its
output schema declares, so the OpenAPI document (made from the schemas) tells the truth about the
answers (made by the presenters), and a field added to one without the other fails here."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import pytest

from annotations import present as present_annotation
from meetings.annotating.api import AnnotationOut
from meetings.db import db
from meetings.dossiers import presenters
from meetings.dossiers.models import Document, Meeting
from meetings.dossiers.schemas import DocumentOut, MeetingDetail, MeetingSummary
from meetings.participants.schemas import GroupOut, ParticipantOut


def declared(schema: type[ma.Schema]) -> set[str]:
    return set(schema().fields)


def assert_same_fields(built: dict[str, Any], schema: type[ma.Schema]) -> None:
    keys = set(built)
    assert keys == declared(schema), (
        f"{schema.__name__}: presenter-only {sorted(keys - declared(schema))}, "
        f"schema-only {sorted(declared(schema) - keys)}")


@pytest.fixture
def dossier(app: Any, make: Any) -> dict[str, Any]:
    meeting = make.published_meeting(title="Kỳ họp thứ 12")
    secretary, delegate = make.user(role="secretary"), make.user()
    make.participant(meeting, delegate)
    make.group(meeting, members=[delegate])
    make.sitting(meeting)
    item = make.agenda_item(meeting, title="Báo cáo kinh tế - xã hội")
    document = make.document(meeting, agenda_item=item, title="Tờ trình số 01")
    annotation = make.annotation(document, delegate)
    return {"meeting": meeting, "secretary": secretary, "delegate": delegate, "document": document,
            "annotation": annotation}


def test_the_dossier_presenters_build_what_their_schemas_declare(app: Any, dossier: dict[str, Any]) -> None:
    with app.app_context():
        meeting = db.session.get(Meeting, dossier["meeting"].id)
        secretary = db.session.merge(dossier["secretary"])
        detail = presenters.meeting_detail(db.session, meeting, secretary)
        assert_same_fields(detail, MeetingDetail)
        assert_same_fields(presenters.meeting_summary(meeting), MeetingSummary)
        assert_same_fields(presenters.document(db.session.get(Document, dossier["document"].id)), DocumentOut)
        assert detail["participants"] and detail["groups"]  # the nested ones are checked on real rows
        for participant in detail["participants"]:
            assert_same_fields(participant, ParticipantOut)
        for group in detail["groups"]:
            assert_same_fields(group, GroupOut)


def test_an_annotation_as_presented_is_what_its_schema_declares(app: Any, dossier: dict[str, Any]) -> None:
    # the HTTP list adds the author's name to the package's own presenter, as the live acks do
    built = {**present_annotation(dossier["annotation"]), "author_name": ""}
    assert_same_fields(built, AnnotationOut)
