"""Password hashing must not stall a gevent server: other greenlets keep running meanwhile."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_checking_a_password_lets_other_greenlets_run_under_gevent() -> None:
    # a fresh process: monkey-patching is for the whole process, as in wsgi.py
    program = textwrap.dedent("""
        from gevent import monkey
        monkey.patch_all()
        import time, gevent
        from werkzeug.security import generate_password_hash
        from meetings.accounts.models import User

        user = User(username="dai-bieu", full_name="Đại biểu", password_hash=generate_password_hash("đúng"))
        ticks = []

        def clock():
            while True:
                ticks.append(time.perf_counter())
                gevent.sleep(0.005)

        ticker = gevent.spawn(clock)
        gevent.sleep(0.05)
        started = time.perf_counter()
        assert user.check_password("đúng") and not user.check_password("sai")
        took = time.perf_counter() - started
        during = [t for t in ticks if started <= t <= started + took]
        ticker.kill()
        # the clock ticked through the hashing: at least a third of the ticks it would have had
        print(len(during), took / 0.005)
        assert len(during) >= (took / 0.005) / 3, (len(during), took)
    """)
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
