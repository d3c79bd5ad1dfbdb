"""The parts of the live fan-out benchmark, bench/fanout.py (run that; these are not scripts).

They expect what bench/fanout.py does first: gevent's monkey-patching, and the repository root on
sys.path (for tests.harness, the server harness the live and end-to-end tests use as well)."""
