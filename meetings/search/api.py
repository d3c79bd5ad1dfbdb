"""Search API: find words across a meeting's documents."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from meetings.db import db
from meetings.dossiers.loaders import NOT_FOUND, document_for, meeting_for
from meetings.errors import ApiError
from meetings.search import engine
from meetings.search.schemas import MAX_QUERY, SearchArgs, SearchOut

blp = Blueprint("search_api", __name__, url_prefix="/api/v1", description="Searching a meeting's documents")


def present(hit: engine.Hit) -> dict[str, Any]:
    return {
        "document_id": hit.document_id,
        "document_title": hit.document_title,
        "version": hit.version,
        "page": hit.page,
        "match": hit.match,
        "snippet": hit.snippet.text,
        "highlights": [list(span) for span in hit.snippet.highlights],
        "more_before": hit.snippet.more_before,
        "more_after": hit.snippet.more_after,
        "rank": hit.rank,
    }


@blp.route("/meetings/<int:meeting_id>/search", methods=["GET"], endpoint="searchMeeting")
@login_required
@blp.arguments(SearchArgs, location="query")
@blp.response(200, SearchOut)
@blp.doc(operationId="searchMeeting")
def search_meeting(args: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """Pages of the meeting's documents holding every word of `q`, whatever its marks and case.

    Only the current version of each document is searched, and only documents the caller may see.
    Each item has a snippet of the page's text with the matched words' offsets."""
    meeting = meeting_for(meeting_id)
    query: str = args["q"]
    if len(query) > MAX_QUERY:
        raise ApiError(422, "invalid_query", _l("Search for at most %(count)d characters.", count=MAX_QUERY))
    if document_id := args.get("document"):
        document = document_for(document_id)
        if document.meeting_id != meeting.id:
            raise ApiError(404, "not_found", NOT_FOUND)
    try:
        hits = engine.search(
            db.session, meeting, current_user, query, limit=args["limit"], document_id=document_id
        )
    except engine.InvalidQuery:
        raise ApiError(422, "invalid_query", _l("Type at least one word to search for.")) from None
    return {"query": query, "items": [present(hit) for hit in hits]}
