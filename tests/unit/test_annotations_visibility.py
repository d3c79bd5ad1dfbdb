"""The annotation visibility rules, and the package's promise never to import Flask."""

from __future__ import annotations

import subprocess
import sys

import pytest

from annotations import Visibility, may_see

AUTHOR, GROUPMATE, OUTSIDER = 1, 2, 3
GROUP, OTHER_GROUP = 10, 20


def sees(visibility: Visibility, viewer: int, viewer_groups: set[int], group_id: int | None = GROUP) -> bool:
    return may_see(visibility, author_id=AUTHOR, group_id=group_id, viewer_id=viewer, viewer_group_ids=viewer_groups)


@pytest.mark.parametrize("visibility", list(Visibility))
def test_author_always_sees_their_own_annotation(visibility: Visibility) -> None:
    assert sees(visibility, AUTHOR, set())


def test_private_annotation_stays_with_its_author() -> None:
    assert not sees(Visibility.PRIVATE, GROUPMATE, {GROUP})
    assert not sees(Visibility.PRIVATE, OUTSIDER, {OTHER_GROUP})


def test_group_annotation_reaches_the_group_and_no_one_else() -> None:
    assert sees(Visibility.GROUP, GROUPMATE, {GROUP})
    assert not sees(Visibility.GROUP, OUTSIDER, {OTHER_GROUP})
    assert not sees(Visibility.GROUP, OUTSIDER, set())


def test_group_annotation_without_a_group_is_seen_by_nobody_else() -> None:
    assert not sees(Visibility.GROUP, GROUPMATE, {GROUP}, group_id=None)


def test_meeting_annotation_reaches_every_participant() -> None:
    assert sees(Visibility.MEETING, OUTSIDER, set())


def test_annotations_package_never_imports_flask() -> None:
    code = "import sys, annotations; print('flask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
