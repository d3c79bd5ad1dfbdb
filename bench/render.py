"""Rendering benchmark: cold pages per second through the pipeline against a bare PyMuPDF loop,
warm requests per second through the server, and time to first byte with 300 clients at once.

    .venv/bin/python bench/render.py [--folder DIR_OF_PDFS] [--pages 100] [--clients 300]

It prints its figures; copy them into docs/benchmarks.md with the machine and the date."""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import pymupdf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from meetings.demo.content import DOCUMENTS  # noqa: E402
from meetings.demo.pdfs import render  # noqa: E402
from meetings.pdf.pool import RenderPool  # noqa: E402
from meetings.pdf.worker import encode  # noqa: E402

WIDTH, FORMAT = 1200, "webp"


def dossier(pages: int) -> bytes:
    """A realistic dossier: the demo's Vietnamese documents, one after another, to `pages` pages."""
    out = pymupdf.open()
    parts = [pymupdf.open(stream=render(spec)) for spec in DOCUMENTS.values()]
    while out.page_count < pages:
        for part in parts:
            out.insert_pdf(part, to_page=min(part.page_count, pages - out.page_count) - 1)
            if out.page_count >= pages:
                break
    return out.tobytes(garbage=3, deflate=True)


def bare_loop(paths: list[Path]) -> tuple[int, float]:
    """Render and encode every page in this process, the way a script would: the floor."""
    count, start = 0, time.perf_counter()
    for path in paths:
        with pymupdf.open(path) as doc:
            for page in doc:
                zoom = WIDTH / page.rect.width
                encode(page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False), FORMAT)
                count += 1
    return count, time.perf_counter() - start


def pipeline(paths: list[Path], workers: int, out_dir: Path) -> tuple[int, float]:
    """The same pages through the worker pool (IPC, atomic cache writes), `workers` at a time."""
    pool = RenderPool(size=workers, timeout=60)
    pool.warm()
    jobs = []
    for n, path in enumerate(paths):
        with pymupdf.open(path) as doc:
            count = doc.page_count
        jobs += [(n, path, i) for i in range(count)]
    start = time.perf_counter()

    def one(job: tuple[int, Path, int]) -> None:
        n, path, i = job
        pool.call({"op": "render", "pdf": str(path), "page": i, "width": WIDTH, "format": FORMAT,
                   "out": str(out_dir / f"{n}-{i}.{FORMAT}"), "max_pixels": 40_000_000})

    group = [gevent.spawn(one, job) for job in jobs]
    gevent.joinall(group, raise_error=True)
    elapsed = time.perf_counter() - start
    pool.close()
    return len(jobs), elapsed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """The real server (`python wsgi.py`, gevent) on a throwaway DATA_DIR with the demo seeded."""

    def __init__(self, pdf: bytes) -> None:
        self.data = Path(tempfile.mkdtemp(prefix="bench-render-"))
        self.port = free_port()
        env = {**os.environ, "DATA_DIR": str(self.data), "PORT": str(self.port), "HOST": "127.0.0.1",
               "LOGIN_RATE_LIMIT": "1000 per minute"}
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        for args in (["db", "upgrade"], ["seed-demo", "--if-empty"]):
            subprocess.run(flask + args, cwd=ROOT, env=env, check=True, capture_output=True)
        self.log = open(self.data / "server.log", "w")  # noqa: SIM115 - the server writes to it until stop()
        self.process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        self.cookie = self.login("secretary")
        self.document = self.upload(pdf)
        self.cookie = self.login("delegate01")

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, data, dict(response.getheaders())

    def login(self, username: str) -> str:
        status, body, headers = self.request("POST", "/api/v1/auth/login",
                                             json.dumps({"username": username, "password": "demo"}).encode(),
                                             {"Content-Type": "application/json"})
        assert status == 200, body
        self.csrf = json.loads(body)["csrf_token"]
        return headers["Set-Cookie"].split(";")[0]

    def upload(self, pdf: bytes) -> int:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dossier.pdf\"\r\n"
                f"Content-Type: application/pdf\r\n\r\n").encode() + pdf + f"\r\n--{boundary}--\r\n".encode()
        status, answer, _ = self.request("POST", "/api/v1/meetings/1/documents", body, {
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": self.cookie,
            "X-CSRFToken": self.csrf})
        assert status == 201, answer
        return int(json.loads(answer)["id"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        self.log.close()
        shutil.rmtree(self.data, ignore_errors=True)


def warm_requests(server: Server, seconds: float, concurrency: int, pages: int) -> tuple[int, float]:
    """Requests per second for already-rendered pages, `concurrency` keep-alive clients."""
    for page in range(1, pages + 1):
        server.request("GET", f"/api/v1/documents/{server.document}/pages/{page}/image?width={WIDTH}",
                       headers={"Cookie": server.cookie})
    done = [0]
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        n = offset
        while time.perf_counter() < deadline:
            page = n % pages + 1
            conn.request("GET", f"/api/v1/documents/{server.document}/pages/{page}/image?width={WIDTH}",
                         headers={"Cookie": server.cookie})
            response = conn.getresponse()
            response.read()
            assert response.status == 200
            done[0] += 1
            n += 1
        conn.close()

    start = time.perf_counter()
    gevent.joinall([gevent.spawn(client, i) for i in range(concurrency)], raise_error=True)
    return done[0], time.perf_counter() - start


def first_byte(server: Server, clients: int, page: int) -> list[float]:
    """Seconds from request to first byte for `clients` asking for one uncached page at once."""
    path = f"/api/v1/documents/{server.document}/pages/{page}/image?width=1600"
    times: list[float] = []
    ready = gevent.event.Event()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        conn.connect()
        ready.wait()
        start = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": server.cookie})
        response = conn.getresponse()
        response.read(1)
        times.append(time.perf_counter() - start)
        response.read()
        assert response.status == 200
        conn.close()

    group = [gevent.spawn(client) for _ in range(clients)]
    gevent.sleep(0.5)
    ready.set()
    gevent.joinall(group, raise_error=True)
    return times


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--folder", type=Path, help="also measure the cold figures on these PDFs")
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"PyMuPDF {pymupdf.VersionBind}; {WIDTH} px {FORMAT}")
    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    pdf = dossier(args.pages)
    (work / "dossier.pdf").write_bytes(pdf)
    corpora = [("dossier", [work / "dossier.pdf"])]
    if args.folder:
        corpora.append((str(args.folder), sorted(args.folder.glob("*.pdf"))))
    for name, paths in corpora:
        pages, bare = bare_loop(paths)
        _, piped1 = pipeline(paths, 1, work / "out1")
        _, piped2 = pipeline(paths, 2, work / "out2")
        print(f"cold [{name}, {pages} pages]: bare loop {pages / bare:.1f} pages/s; pipeline 1 worker "
              f"{pages / piped1:.1f} pages/s (ratio {bare / piped1:.2f}); 2 workers {pages / piped2:.1f} pages/s")
    shutil.rmtree(work, ignore_errors=True)

    server = Server(pdf)
    try:
        count, elapsed = warm_requests(server, args.seconds, 50, min(args.pages, 20))
        print(f"warm: {count / elapsed:.0f} requests/s ({count} in {elapsed:.1f} s, 50 keep-alive clients)")
        times = first_byte(server, args.clients, page=args.pages)
        renders = len(list((server.data / "pages").rglob(f"p{args.pages - 1}-w1600.webp")))
        print(f"first byte, {args.clients} clients at once on one uncached page: p50 {pct(times, .5) * 1000:.0f} ms, "
              f"p95 {pct(times, .95) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms; images rendered: {renders}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
