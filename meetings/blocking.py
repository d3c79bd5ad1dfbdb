"""Running CPU-heavy calls that release the GIL (password hashing) off the gevent loop.

In the server (monkey-patched by wsgi.py) they run in gevent's pool of real threads, so one
delegate's sign-in (~0.15-0.3 s of scrypt) no longer stalls every other delegate on the process;
elsewhere (commands, tests) they simply run."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def off_loop(function: Callable[..., T], *args: object) -> T:
    """function(*args), in a real thread when the process runs gevent."""
    from gevent import get_hub, monkey

    if not monkey.is_module_patched("socket"):
        return function(*args)
    result: T = get_hub().threadpool.apply(function, args)
    return result
