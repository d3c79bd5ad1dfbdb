"""Searching a meeting's documents: one interface, a full-text backend per database.

SQLite (the embedded default) answers with its FTS5 table, PostgreSQL with a GIN index over
to_tsvector('simple', folded); both over the folded text, so neither needs to know Vietnamese.
What the user typed never reaches a query language: it is cut into folded words (letters and
digits only), and only those words, quoted, are put into FTS5's or PostgreSQL's query syntax."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, cast

from sqlalchemy import ColumnElement, Float, Select, bindparam, case, func, literal_column, select, table
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.expression import ColumnClause, TableClause

from meetings.accounts.models import User
from meetings.dossiers.models import Category, Document, DocumentVersion, Meeting
from meetings.dossiers.permissions import visible_documents
from meetings.search.folding import fold, normalize, terms
from meetings.search.models import FULLTEXT, PageText
from meetings.search.snippets import Snippet, holds_phrase, make_snippet

#: most words a query may have: enough for any phrase, few enough to keep every query cheap
MAX_TERMS = 16


class InvalidQuery(ValueError):
    """The query has no word to search for (it is empty, or only punctuation)."""


@dataclass(frozen=True)
class Query:
    """What to look for: folded words, all of which must be on the page; the last may be the start
    of a word, unless the user ended the query with a space or a punctuation mark."""

    terms: list[str]
    prefix: bool

    @classmethod
    def parse(cls, raw: str) -> Query:
        words = terms(raw)[:MAX_TERMS]
        if not words:
            raise InvalidQuery(raw)
        folded = fold(normalize(raw))
        return cls(words, prefix=bool(folded) and folded[-1].isalnum())


@dataclass(frozen=True)
class Hit:
    """A page (or a title) that matches, with a snippet of its original text."""

    document_id: int
    document_title: str
    version: int
    #: page number, from 1 (1 for a match in the title)
    page: int
    snippet: Snippet
    #: higher is more relevant; comparable within one answer only
    rank: float
    #: "page" for the page's text, "title" for the document's title
    match: str = "page"


@dataclass(frozen=True)
class PageRow:
    version_id: int
    page: int
    text: str
    folded: str
    rank: float


class Backend(Protocol):
    def pages(self, session: Session, query: Query, version_ids: list[int], limit: int) -> list[PageRow]:
        """Indexed pages of the versions that hold every term, most relevant first."""


def _in_versions(statement: Select[Any], version_ids: list[int]) -> Select[Any]:
    return statement.where(PageText.version_id.in_(bindparam("version_ids", version_ids, expanding=True)))


def _ordered(statement: Select[Any], rank: Any, limit: int) -> Select[Any]:
    """Most relevant first, then in the dossier's order, then page by page."""
    return (
        statement.join(DocumentVersion, DocumentVersion.id == PageText.version_id)
        .join(Document, Document.id == DocumentVersion.document_id)
        .order_by(rank.desc(), Document.position, Document.id, PageText.page)
        .limit(limit)
    )


def _columns(rank: Any) -> tuple[Any, ...]:
    return PageText.version_id, PageText.page, PageText.text, PageText.folded, rank.label("rank")


class SqliteBackend:
    """FTS5 MATCH over the FTS5 table that shadows page_texts.folded (see migration 0003)."""

    fts: ClassVar[TableClause] = table(FULLTEXT)

    @staticmethod
    def match_expression(query: Query) -> str:
        """FTS5 query: every term, each quoted so that nothing the user typed is syntax. The same
        pages match as for the first alternative alone; the others only add to the rank of pages
        where the terms stand together as a phrase, and more where the last is a whole word."""
        last = len(query.terms) - 1

        def words(prefix: bool) -> list[str]:
            star = ["*" if prefix and i == last else "" for i in range(last + 1)]
            return ['"' + t.replace('"', '""') + '"' + s for t, s in zip(query.terms, star, strict=True)]

        alternatives = [" ".join(words(query.prefix))]
        if last > 0:
            alternatives.append(" + ".join(words(query.prefix)))
        if query.prefix:
            alternatives.append(" + ".join(words(False)))
        return " OR ".join(f"({a})" for a in alternatives)

    def pages(self, session: Session, query: Query, version_ids: list[int], limit: int) -> list[PageRow]:
        fts: ColumnClause[Any] = literal_column(FULLTEXT)
        rank = (-func.bm25(fts)).cast(Float)  # bm25: lower is better
        statement = (
            select(*_columns(rank))
            .select_from(self.fts)
            .join(PageText, PageText.id == literal_column(f"{FULLTEXT}.rowid"))
            .where(fts.op("MATCH")(bindparam("match", self.match_expression(query))))
        )
        rows = session.execute(_ordered(_in_versions(statement, version_ids), rank, limit))
        return [PageRow(*row) for row in rows]


class PostgresBackend:
    """to_tsvector('simple', folded) @@ to_tsquery(...), served by the GIN index of migration 0003."""

    #: exactly the indexed expression, or PostgreSQL will not use the index
    CONFIG: ClassVar[ColumnClause[Any]] = literal_column("'simple'::regconfig")

    @staticmethod
    def tsqueries(query: Query) -> tuple[str, list[str]]:
        """The tsquery text that pages must match (every term), and those that add to their rank
        (the terms as a phrase, the last as a whole word). Terms are letters and digits only, so
        they cannot carry tsquery operators."""
        last = len(query.terms) - 1

        def words(prefix: bool) -> list[str]:
            return [t + (":*" if prefix and i == last else "") for i, t in enumerate(query.terms)]

        boosts = [" <-> ".join(words(query.prefix))] if last > 0 else []
        if query.prefix:
            boosts.append(" <-> ".join(words(False)))
        return " & ".join(words(query.prefix)), boosts

    def pages(self, session: Session, query: Query, version_ids: list[int], limit: int) -> list[PageRow]:
        every, boosts = self.tsqueries(query)
        vector = func.to_tsvector(self.CONFIG, PageText.folded)
        every_q = func.to_tsquery(self.CONFIG, bindparam("every", every))
        rank: ColumnElement[Any] = func.ts_rank_cd(vector, every_q)
        for number, boost in enumerate(boosts):
            boost_q = func.to_tsquery(self.CONFIG, bindparam(f"boost{number}", boost))
            rank = rank + case((vector.op("@@")(boost_q), 1.0), else_=0.0)
        rank = rank.cast(Float)
        statement = select(*_columns(rank)).where(vector.op("@@")(every_q))
        rows = session.execute(_ordered(_in_versions(statement, version_ids), rank, limit))
        return [PageRow(*row) for row in rows]


BACKENDS: dict[str, Backend] = {"sqlite": SqliteBackend(), "postgresql": PostgresBackend()}


def backend_for(session: Session) -> Backend:
    """The backend for the session's database."""
    dialect = session.get_bind().dialect.name
    try:
        return BACKENDS[dialect]
    except KeyError:
        raise NotImplementedError(f"search is not available on {dialect}") from None


def search(
    session: Session,
    meeting: Meeting,
    user: User,
    query: str,
    limit: int = 50,
    document_id: int | None = None,
) -> list[Hit]:
    """Pages of the current versions of the meeting's documents that user may see, holding every
    word of query whatever its accents and case; documents whose title holds them come first.

    The caller has checked that user may open meeting (meetings.dossiers.lookup.meeting_for).
    Raises InvalidQuery when query has no word to search for. document_id narrows the search to one
    document (none are found if user may not see it)."""
    parsed = Query.parse(query)
    documents = visible_documents(user, meeting).options(selectinload(Document.versions))
    if document_id is not None:
        documents = documents.where(Document.id == document_id)
    current: dict[int, tuple[Document, DocumentVersion]] = {}
    for document in cast("list[Document]", list(session.scalars(documents))):
        version = document.current_version
        if document.category is not Category.LINK and version is not None:
            current[version.id] = (document, version)
    if not current:
        return []

    titles = _title_matches(parsed, current.values())[:limit]
    rows: list[PageRow] = []
    if len(titles) < limit:
        rows = backend_for(session).pages(session, parsed, list(current), limit - len(titles))
    # a title that holds the words says more than any page: it ranks above the best page
    title_rank = max((float(row.rank) for row in rows), default=0.0) + 1.0
    hits = [
        Hit(document.id, document.title, version.number, 1, snippet, title_rank, match="title")
        for document, version, snippet in titles
    ]
    for row in rows:
        document, version = current[row.version_id]
        hits.append(
            Hit(
                document.id,
                document.title,
                version.number,
                row.page,
                make_snippet(row.text, row.folded, parsed.terms, parsed.prefix),
                float(row.rank),
            )
        )
    return hits


def _title_matches(
    query: Query, documents: Iterable[tuple[Document, DocumentVersion]]
) -> list[tuple[Document, DocumentVersion, Snippet]]:
    """Documents whose title holds the words as a phrase: a handful per meeting, matched here."""
    found = []
    for document, version in sorted(documents, key=lambda pair: (pair[0].position, pair[0].id)):
        title = normalize(document.title)
        folded = fold(title)
        if holds_phrase(folded, query.terms, query.prefix):
            found.append(
                (
                    document,
                    version,
                    make_snippet(title, folded, query.terms, query.prefix, width=max(len(title), 1)),
                )
            )
    return found
