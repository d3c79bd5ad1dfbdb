"""The entry a production server imports (`wsgi:app`), and `python wsgi.py` to serve with gevent.

gevent's monkey-patching must come before anything else imports the standard library's sockets."""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402

from meetings import create_app  # noqa: E402
from meetings.extensions import socketio  # noqa: E402

app = create_app()

#: delegate card links are login credentials: never write one to a log
CARD_LINK = re.compile(r"/card/[^\s\"?]+")


class RedactedStream:
    """stderr, where gevent's server writes its access log, with card tokens blanked out."""

    def __init__(self, stream: object) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(CARD_LINK.sub("/card/[redacted]", text))  # type: ignore[attr-defined, no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


if __name__ == "__main__":
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    with app.app_context():
        from meetings.pdf import renderer

        renderer().pool.warm()
    print(f"Paperless Meetings on http://{host}:{port}/  (demo accounts: secretary, chair, delegate01 … / demo)")
    sys.stderr = RedactedStream(sys.stderr)  # type: ignore[assignment]
    socketio.run(app, host=host, port=port, use_reloader=False, log_output=True)
