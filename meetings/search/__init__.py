"""Search: accent- and case-insensitive full-text search across a meeting's documents."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext


def init_app(app: Flask) -> None:
    from meetings import signals
    from meetings.extensions import api
    from meetings.search import api as routes
    from meetings.search import (
        index,
        models,  # noqa: F401  (registers the table)
    )

    api.register_blueprint(routes.blp)
    signals.version_uploaded.connect(index.on_version_uploaded)
    signals.text_extracted.connect(index.on_text_extracted)
    app.cli.add_command(reindex)


@click.command("search-reindex")
@with_appcontext
def reindex() -> None:
    """Index the text of current document versions that have none (those uploaded before the upgrade
    that added search, or whose text could not be extracted then)."""
    from meetings.db import db
    from meetings.pdf import renderer
    from meetings.search.index import index_unindexed

    indexed, tried = index_unindexed(db.session, renderer())
    db.session.commit()
    click.echo(f"Indexed {indexed} of {tried} document versions.")
