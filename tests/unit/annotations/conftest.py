"""A session on this package's tables alone, in an in-memory SQLite database.

The app's schema comes from its migrations; here only the annotations package is under test, so its
own MetaData makes its own tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from annotations.model import metadata


@pytest.fixture
def session() -> Iterator[Session]:
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()
