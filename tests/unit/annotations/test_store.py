"""The annotation store: idempotent by client_id, edits checked against revisions, groups checked
against the author's, and lists that hold exactly what a reader may see."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotations import Annotation, AnnotationError, AnnotationStore, Reader, Target, Visibility, may_see

MEETING, OTHER_MEETING = 1, 2
DOCUMENT, OTHER_DOCUMENT = 10, 11
TEAM_A, TEAM_B = 100, 200

ANH = Reader(1, frozenset({TEAM_A}))
BINH = Reader(2, frozenset({TEAM_A}))
CHI = Reader(3, frozenset({TEAM_B}))
DUNG = Reader(4, frozenset({TEAM_A, TEAM_B}))
EM = Reader(5, frozenset())
EVERYONE = (ANH, BINH, CHI, DUNG, EM)

ON_DOCUMENT = Target(MEETING, DOCUMENT, version_id=1000, page_count=5)

_ids = itertools.count(1)


def client_id() -> str:
    return f"client-{next(_ids):06d}"


def new(**fields: Any) -> dict[str, Any]:
    """A valid highlight payload with a fresh client_id, overridden by fields."""
    return {
        "kind": "highlight",
        "page": 1,
        "client_id": client_id(),
        "geometry": {"rects": [[72, 88, 180, 103]]},
        "quote": {"exact": "Dự toán ngân sách"},
        **fields,
    }


def rows(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Annotation)) or 0)


def failure(call: Any, *args: Any) -> AnnotationError:
    with pytest.raises(AnnotationError) as caught:
        call(*args)
    return caught.value


@pytest.fixture
def store(session: Session) -> AnnotationStore:
    return AnnotationStore(session)


# -- idempotency -----------------------------------------------------------------------------------


def test_creating_stores_the_annotation_on_the_target_version(
    store: AnnotationStore, session: Session
) -> None:
    annotation, is_new = store.create(ON_DOCUMENT, ANH, new(note="Cần làm rõ", color="#FF0000"))

    assert is_new
    stored = session.get(Annotation, annotation.id)
    assert stored is not None
    assert (stored.meeting_id, stored.document_id, stored.version_id, stored.author_id) == (
        MEETING,
        DOCUMENT,
        1000,
        1,
    )
    assert (stored.note, stored.color, stored.revision, stored.deleted) == ("Cần làm rõ", "#ff0000", 1, False)
    assert stored.visibility is Visibility.PRIVATE and stored.group_id is None


def test_the_same_client_id_gives_the_same_row_once(store: AnnotationStore, session: Session) -> None:
    payload = new()
    first, first_new = store.create(ON_DOCUMENT, ANH, payload)
    again, again_new = store.create(
        ON_DOCUMENT, ANH, {**payload, "note": "the retry differs; the row does not"}
    )

    assert (first_new, again_new) == (True, False)
    assert again.id == first.id and again.note == ""
    assert rows(session) == 1


def test_a_client_id_is_the_authors_own_in_each_meeting(store: AnnotationStore, session: Session) -> None:
    shared = client_id()
    mine, _ = store.create(ON_DOCUMENT, ANH, new(client_id=shared))
    theirs, theirs_new = store.create(ON_DOCUMENT, BINH, new(client_id=shared))
    elsewhere, elsewhere_new = store.create(Target(OTHER_MEETING, 20, 2000, 3), ANH, new(client_id=shared))

    assert theirs_new and elsewhere_new
    assert len({mine.id, theirs.id, elsewhere.id}) == 3
    assert rows(session) == 3


def test_a_page_past_the_end_of_the_document_is_refused(store: AnnotationStore, session: Session) -> None:
    error = failure(store.create, ON_DOCUMENT, ANH, new(page=6))

    assert error.code == "invalid"
    assert rows(session) == 0
    assert store.create(ON_DOCUMENT, ANH, new(page=5))[1]


def test_an_invalid_payload_stores_nothing(store: AnnotationStore, session: Session) -> None:
    assert failure(store.create, ON_DOCUMENT, ANH, new(geometry={"rects": [[9, 9, 1, 1]]})).code == "invalid"
    assert rows(session) == 0


# -- revisions -------------------------------------------------------------------------------------


def test_an_edit_against_the_current_revision_is_applied(store: AnnotationStore) -> None:
    annotation, _ = store.create(ON_DOCUMENT, ANH, new())
    created_at = annotation.updated_at

    edited, changed = store.update(
        annotation.id, ANH, {"client_id": client_id(), "revision": 1, "note": "Đã sửa", "color": "#00FF00"}
    )

    assert changed
    assert (edited.note, edited.color, edited.revision) == ("Đã sửa", "#00ff00", 2)
    assert edited.updated_at >= created_at
    assert edited.geometry == {"rects": [[72.0, 88.0, 180.0, 103.0]]}  # geometry is not editable


def test_an_edit_against_a_stale_revision_is_refused_with_the_current_one(store: AnnotationStore) -> None:
    annotation, _ = store.create(ON_DOCUMENT, ANH, new())
    store.update(annotation.id, ANH, {"client_id": client_id(), "revision": 1, "note": "từ máy tính bảng"})

    error = failure(
        store.update, annotation.id, ANH, {"client_id": client_id(), "revision": 1, "note": "từ điện thoại"}
    )

    assert error.code == "stale_revision"
    assert error.extra["current"] == 2
    assert annotation.note == "từ máy tính bảng" and annotation.revision == 2


@pytest.mark.parametrize("revision", [None, "1", 0, 99])
def test_an_edit_must_name_the_revision_it_was_made_against(store: AnnotationStore, revision: Any) -> None:
    annotation, _ = store.create(ON_DOCUMENT, ANH, new())
    payload = {"client_id": client_id(), "note": "x"}
    if revision is not None:
        payload["revision"] = revision

    assert failure(store.update, annotation.id, ANH, payload).code == "stale_revision"


def test_a_retried_edit_is_answered_not_refused_and_applied_once(store: AnnotationStore) -> None:
    annotation, _ = store.create(ON_DOCUMENT, ANH, new())
    edit = {"client_id": client_id(), "revision": 1, "note": "một lần"}
    store.update(annotation.id, ANH, edit)

    again, changed = store.update(annotation.id, ANH, edit)  # the ack was lost; the client resends

    assert not changed
    assert again.id == annotation.id and again.revision == 2 and again.note == "một lần"


def test_only_the_author_may_change_an_annotation_and_others_learn_nothing(store: AnnotationStore) -> None:
    annotation, _ = store.create(ON_DOCUMENT, ANH, new(visibility="meeting"))

    for call in (store.update, store.delete):
        assert (
            failure(call, annotation.id, BINH, {"client_id": client_id(), "revision": 1}).code == "not_found"
        )
        assert (
            failure(call, annotation.id + 99, ANH, {"client_id": client_id(), "revision": 1}).code
            == "not_found"
        )
        assert (
            failure(call, str(annotation.id), ANH, {"client_id": client_id(), "revision": 1}).code
            == "not_found"
        )
    assert annotation.revision == 1 and not annotation.deleted


@pytest.mark.parametrize("payload", [None, [], {"revision": 1}, {"revision": 1, "client_id": "short"}])
def test_an_edit_needs_an_object_with_a_client_id(store: AnnotationStore, payload: Any) -> None:
    annotation, _ = store.create(ON_DOCUMENT, ANH, new())

    assert failure(store.update, annotation.id, ANH, payload).code == "invalid"
    assert failure(store.delete, annotation.id, ANH, payload).code == "invalid"


def test_deleting_is_soft_and_bumps_the_revision(store: AnnotationStore, session: Session) -> None:
    annotation, _ = store.create(ON_DOCUMENT, ANH, new())

    deleted, changed = store.delete(annotation.id, ANH, {"client_id": client_id(), "revision": 1})

    assert changed and deleted.deleted and deleted.revision == 2
    assert rows(session) == 1  # kept, so that clients catching up learn of the deletion


def test_deleting_twice_is_fine(store: AnnotationStore) -> None:
    annotation, _ = store.create(ON_DOCUMENT, ANH, new())
    deletion = {"client_id": client_id(), "revision": 1}
    store.delete(annotation.id, ANH, deletion)

    repeated, repeated_changed = store.delete(annotation.id, ANH, deletion)
    # the delegate's other tablet deletes it too, knowing the revision from before the deletion
    other_device, other_changed = store.delete(annotation.id, ANH, {"client_id": client_id(), "revision": 1})
    current, current_changed = store.delete(annotation.id, ANH, {"client_id": client_id(), "revision": 2})

    assert not (repeated_changed or other_changed or current_changed)
    assert repeated.deleted and other_device.deleted and current.deleted
    assert annotation.revision == 2


def test_a_deleted_annotation_cannot_be_edited(store: AnnotationStore) -> None:
    annotation, _ = store.create(ON_DOCUMENT, ANH, new())
    store.delete(annotation.id, ANH, {"client_id": client_id(), "revision": 1})

    error = failure(store.update, annotation.id, ANH, {"client_id": client_id(), "revision": 2, "note": "x"})

    assert error.code == "gone" and error.extra["current"] == 2


def test_the_edit_retried_after_a_later_deletion_is_still_refused_as_gone(store: AnnotationStore) -> None:
    annotation, _ = store.create(ON_DOCUMENT, ANH, new())
    edit = {"client_id": client_id(), "revision": 1, "note": "x"}
    store.update(annotation.id, ANH, edit)
    store.delete(annotation.id, ANH, {"client_id": client_id(), "revision": 2})

    assert failure(store.update, annotation.id, ANH, edit).code == "gone"


# -- groups ----------------------------------------------------------------------------------------


def test_a_group_annotation_is_shared_with_one_of_the_authors_groups(store: AnnotationStore) -> None:
    annotation, _ = store.create(ON_DOCUMENT, DUNG, new(visibility="group", group_id=TEAM_B))

    assert annotation.visibility is Visibility.GROUP and annotation.group_id == TEAM_B


def test_a_group_the_author_is_not_in_is_refused(store: AnnotationStore, session: Session) -> None:
    error = failure(store.create, ON_DOCUMENT, ANH, new(visibility="group", group_id=TEAM_B))

    assert error.code == "invalid" and "group" in error.message
    assert rows(session) == 0


def test_the_group_defaults_to_the_authors_only_one(store: AnnotationStore) -> None:
    annotation, _ = store.create(ON_DOCUMENT, CHI, new(visibility="group"))

    assert annotation.group_id == TEAM_B


@pytest.mark.parametrize("author", [DUNG, EM], ids=["in_two_groups", "in_none"])
def test_without_a_group_id_an_author_not_in_exactly_one_group_is_refused(
    store: AnnotationStore, author: Reader
) -> None:
    assert failure(store.create, ON_DOCUMENT, author, new(visibility="group")).code == "invalid"


@pytest.mark.parametrize("visibility", ["private", "meeting"])
def test_private_and_meeting_annotations_belong_to_no_group(store: AnnotationStore, visibility: str) -> None:
    annotation, _ = store.create(ON_DOCUMENT, ANH, new(visibility=visibility, group_id=TEAM_A))

    assert annotation.group_id is None


def test_sharing_later_checks_the_group_and_unsharing_clears_it(store: AnnotationStore) -> None:
    annotation, _ = store.create(ON_DOCUMENT, ANH, new())

    refused = failure(
        store.update,
        annotation.id,
        ANH,
        {"client_id": client_id(), "revision": 1, "visibility": "group", "group_id": TEAM_B},
    )
    assert (
        refused.code == "invalid" and annotation.visibility is Visibility.PRIVATE and annotation.revision == 1
    )

    store.update(annotation.id, ANH, {"client_id": client_id(), "revision": 1, "visibility": "group"})
    assert (annotation.visibility, annotation.group_id) == (Visibility.GROUP, TEAM_A)

    store.update(annotation.id, ANH, {"client_id": client_id(), "revision": 2, "visibility": "private"})
    assert (annotation.visibility, annotation.group_id) == (Visibility.PRIVATE, None)


# -- what each reader may see ----------------------------------------------------------------------


@pytest.fixture
def shelf(store: AnnotationStore) -> dict[str, Annotation]:
    """Anh's private, team A and meeting-wide notes, Chi's team B note, and a few that nobody lists."""
    made = {
        "anh_private": store.create(ON_DOCUMENT, ANH, new())[0],
        "anh_team_a": store.create(ON_DOCUMENT, ANH, new(visibility="group", page=2))[0],
        "anh_meeting": store.create(ON_DOCUMENT, ANH, new(visibility="meeting", page=3))[0],
        "chi_team_b": store.create(ON_DOCUMENT, CHI, new(visibility="group"))[0],
        "binh_meeting_other_document": store.create(
            Target(MEETING, OTHER_DOCUMENT, 1001, 2), BINH, new(visibility="meeting")
        )[0],
        "binh_meeting_other_meeting": store.create(
            Target(OTHER_MEETING, DOCUMENT + 1000, 2000, 2), BINH, new(visibility="meeting")
        )[0],
    }
    deleted = store.create(ON_DOCUMENT, ANH, new(visibility="meeting"))[0]
    store.delete(deleted.id, ANH, {"client_id": client_id(), "revision": 1})
    made["anh_deleted"] = deleted
    return made


def listed(
    store: AnnotationStore,
    reader: Reader,
    shelf: dict[str, Annotation],
    documents: tuple[int, ...] = (DOCUMENT,),
    include_deleted: bool = False,
) -> set[str]:
    names = {a.id: name for name, a in shelf.items()}
    return {
        names[a.id] for a in store.visible_to(MEETING, reader, documents, include_deleted=include_deleted)
    }


def test_private_stays_with_the_author_group_with_the_group_meeting_for_all(
    store: AnnotationStore, shelf: dict[str, Annotation]
) -> None:
    assert listed(store, ANH, shelf) == {"anh_private", "anh_team_a", "anh_meeting"}
    assert listed(store, BINH, shelf) == {"anh_team_a", "anh_meeting"}
    assert listed(store, CHI, shelf) == {"anh_meeting", "chi_team_b"}
    assert listed(store, DUNG, shelf) == {"anh_team_a", "anh_meeting", "chi_team_b"}
    assert listed(store, EM, shelf) == {"anh_meeting"}


def test_lists_agree_with_the_pure_visibility_rule(
    store: AnnotationStore, shelf: dict[str, Annotation]
) -> None:
    on_document = [
        a for a in shelf.values() if a.meeting_id == MEETING and a.document_id == DOCUMENT and not a.deleted
    ]
    for reader in EVERYONE:
        expected = {
            a.id
            for a in on_document
            if may_see(
                a.visibility,
                author_id=a.author_id,
                group_id=a.group_id,
                viewer_id=reader.user_id,
                viewer_group_ids=reader.group_ids,
            )
        }
        assert {a.id for a in store.visible_to(MEETING, reader, [DOCUMENT])} == expected, reader


def test_deleted_annotations_are_left_out_unless_asked_for(
    store: AnnotationStore, shelf: dict[str, Annotation]
) -> None:
    assert "anh_deleted" not in listed(store, EM, shelf)
    assert "anh_deleted" in listed(store, EM, shelf, include_deleted=True)


def test_lists_hold_only_the_documents_asked_for(
    store: AnnotationStore, shelf: dict[str, Annotation]
) -> None:
    assert listed(store, EM, shelf, documents=(OTHER_DOCUMENT,)) == {"binh_meeting_other_document"}
    assert listed(store, EM, shelf, documents=(DOCUMENT, OTHER_DOCUMENT)) == {
        "anh_meeting",
        "binh_meeting_other_document",
    }
    assert listed(store, ANH, shelf, documents=()) == set()


def test_lists_come_by_document_then_page(store: AnnotationStore, shelf: dict[str, Annotation]) -> None:
    found = store.visible_to(MEETING, DUNG, [DOCUMENT, OTHER_DOCUMENT])

    assert [(a.document_id, a.page) for a in found] == sorted((a.document_id, a.page) for a in found)
