"""Flask commands: seed the demo, create accounts."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from meetings.accounts.models import Role, User
from meetings.db import db


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
def seed_demo(if_empty: bool) -> None:
    """Create the demo People's Council meeting and its accounts (password: demo)."""
    from meetings import demo
    from meetings.dossiers.services import UploadLimits
    from meetings.pdf import renderer
    from meetings.pdf.store import FileStore
    from meetings.search.index import index_unindexed

    if not demo.is_empty(db.session):
        if if_empty:
            click.echo("The database already has accounts; demo not seeded again.")
            return
        raise click.ClickException("The database is not empty; seed the demo into a fresh DATA_DIR.")
    config = current_app.config
    store = FileStore(f"{config['DATA_DIR']}/files")
    limits = UploadLimits(config["MAX_UPLOAD_MB"] << 20, config["MAX_PDF_PAGES"], config["MAX_PAGE_SIDE_PT"])
    made = demo.seed(db.session, store, limits)
    db.session.commit()
    index_unindexed(db.session, renderer())  # the demo's documents are searchable from the start
    db.session.commit()
    click.echo(f"Demo meeting #{made['meeting'].id}: {made['meeting'].title}")
    click.echo(f"Accounts: {', '.join(made['accounts'])} (password: {made['password']})")


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name, as printed on cards.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.DELEGATE.value)
@click.password_option()
def create_user(username: str, full_name: str, role: str, password: str) -> None:
    """Create an account (the first admin of a production installation, say)."""
    username = username.strip().lower()
    if db.session.scalar(select(User).where(User.username == username)):
        raise click.ClickException(f"{username} exists already.")
    user = User(username=username, full_name=full_name, role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {username} ({role}).")
