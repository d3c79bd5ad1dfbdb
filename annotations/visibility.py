"""Who may see an annotation: pure rules over plain data, shared by live delivery and replay."""

from __future__ import annotations

import enum
from collections.abc import Collection


class Visibility(enum.StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    MEETING = "meeting"


def may_see(
    visibility: Visibility,
    *,
    author_id: int,
    group_id: int | None,
    viewer_id: int,
    viewer_group_ids: Collection[int],
) -> bool:
    """Whether viewer may see an annotation: the author always; a group's members for group ones;
    every participant for meeting-wide ones. The caller has already checked the document itself."""
    if viewer_id == author_id:
        return True
    if visibility is Visibility.MEETING:
        return True
    if visibility is Visibility.GROUP:
        return group_id is not None and group_id in viewer_group_ids
    return False
