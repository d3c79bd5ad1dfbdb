"""search: page texts, and a full-text index per database

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:57:54.855024

The full-text structures are not in the models, since each database has its own; their names all
start with page_texts_fts, which meetings.search.models.include_name() keeps out of autogenerate
and schema comparisons.
- SQLite: an FTS5 table over page_texts.folded (external content: it stores the index, not the
  text again), kept in step by triggers. A later migration that rebuilds page_texts with a batch
  operation drops these triggers with the old table: it must create them again (see _sqlite_up).
- PostgreSQL: a GIN index over to_tsvector('simple', folded); the engine queries that expression.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

FTS = 'page_texts_fts'


def upgrade():
    op.create_table('page_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('folded', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_page_texts_version_id_document_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_texts')),
    sa.UniqueConstraint('version_id', 'page', name=op.f('uq_page_texts_version_id_page'))
    )
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        _sqlite_up()
    elif dialect == 'postgresql':
        op.execute(f"CREATE INDEX {FTS} ON page_texts USING gin (to_tsvector('simple'::regconfig, folded))")


def _sqlite_up():
    # folded is already lower case without marks, and punctuation is spaces: unicode61 only splits it
    op.execute(f"CREATE VIRTUAL TABLE {FTS} USING fts5(folded, content='page_texts', content_rowid='id', "
               "tokenize='unicode61 remove_diacritics 0')")
    op.execute(f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON page_texts BEGIN "
               f"INSERT INTO {FTS}(rowid, folded) VALUES (new.id, new.folded); END")
    op.execute(f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON page_texts BEGIN "
               f"INSERT INTO {FTS}({FTS}, rowid, folded) VALUES ('delete', old.id, old.folded); END")
    op.execute(f"CREATE TRIGGER {FTS}_update AFTER UPDATE ON page_texts BEGIN "
               f"INSERT INTO {FTS}({FTS}, rowid, folded) VALUES ('delete', old.id, old.folded); "
               f"INSERT INTO {FTS}(rowid, folded) VALUES (new.id, new.folded); END")
    # rows already there (none on a fresh database): index them
    op.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for trigger in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif dialect == 'postgresql':
        op.execute(f"DROP INDEX IF EXISTS {FTS}")
    op.drop_table('page_texts')
