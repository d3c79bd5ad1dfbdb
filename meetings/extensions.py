"""The app's extensions, unbound: create_app() binds them to an app."""

from __future__ import annotations

from apispec.ext.marshmallow import MarshmallowPlugin
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect

from meetings.db import db
from meetings.errors import PaperlessApi, schema_name

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
api = PaperlessApi(spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)})
socketio = SocketIO()

__all__ = ["api", "babel", "csrf", "db", "limiter", "login_manager", "migrate", "socketio"]
