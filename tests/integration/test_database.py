"""The database: SQLite's settings, and migrations that build exactly what the models describe."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from annotations.model import metadata as annotations_metadata
from meetings import create_app
from meetings.db import db
from tests.conftest import app_settings, dispose

MIGRATIONS = Path(__file__).parents[2] / "migrations"
#: every MetaData the migrations build, as migrations/env.py lists them
MODELS = [db.metadata, annotations_metadata]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sqlite_runs_in_wal_mode_with_foreign_keys_enforced(app):
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(
                sa.text(
                    "INSERT INTO participants (meeting_id, user_id, role) VALUES (4242, 4242, 'delegate')"
                )
            )
        db.session.rollback()


def test_deleting_a_meeting_cascades_to_its_dossier(app, make, make_user):
    from meetings.dossiers.models import Document, Meeting

    meeting = make.meeting()
    make.participant(meeting, make_user())
    make.document(meeting, agenda_item=make.agenda_item(meeting))
    with app.app_context():
        db.session.execute(sa.delete(Meeting).where(Meeting.id == meeting.id))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0


def test_the_migrations_have_a_single_head():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))

    heads = ScriptDirectory.from_config(config).get_heads()

    assert len(heads) == 1, heads


def test_upgrading_an_empty_database_to_head_matches_the_models(backend, databases, tmp_path):
    with databases.get(backend).empty(tmp_path) as (uri, engine_options):
        app = create_app(app_settings(tmp_path, uri, engine_options))
        try:
            with app.app_context():
                upgrade()
                options = {
                    "compare_type": True,
                    "compare_server_default": True,
                    **app.extensions["migrate"].configure_args,
                }
                with db.engine.connect() as connection:
                    differences = compare_metadata(
                        MigrationContext.configure(connection, opts=options), MODELS
                    )
                    tables = set(sa.inspect(connection).get_table_names())
        finally:
            dispose(app)

    assert differences == [], "\n".join(map(str, differences))
    assert {t.name for metadata in MODELS for t in metadata.sorted_tables} <= tables
