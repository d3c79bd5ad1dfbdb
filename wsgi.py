"""The entry a production server imports (`wsgi:app`), and `python wsgi.py` to serve with gevent.

gevent's monkey-patching must come before anything else imports the standard library's sockets."""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402

from meetings import create_app  # noqa: E402
from meetings.extensions import socketio  # noqa: E402

app = create_app()

if __name__ == "__main__":
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    with app.app_context():
        from meetings.rendering import renderer

        renderer().pool.warm()
    print(f"Paperless Meetings on http://{host}:{port}/  (demo accounts: secretary, chair, delegate01 … / demo)")
    socketio.run(app, host=host, port=port, use_reloader=False, log_output=True)
