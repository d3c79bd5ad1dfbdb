"""The content-addressed store: each file once, under its SHA-256, complete or absent."""

from __future__ import annotations

import hashlib
import io

import pytest

from meetings.pdf.store import FileStore


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path / "files")


def incoming(store: FileStore) -> list:
    return list(store.incoming.iterdir())


def test_a_kept_file_lives_under_its_sha256_split_in_two_levels(store):
    data = "Tờ trình dự toán ngân sách".encode() * 1000
    digest = hashlib.sha256(data).hexdigest()

    spooled, sha256, size = store.spool(io.BytesIO(data), limit=len(data))
    path = store.keep(spooled, sha256)

    assert (sha256, size) == (digest, len(data))
    assert path == store.root / digest[:2] / digest[2:4] / digest
    assert path.read_bytes() == data
    assert store.exists(digest)
    assert incoming(store) == []


def test_the_same_content_kept_twice_is_one_file(store):
    data = b"%PDF-1.7 same bytes"
    first = store.keep(*store.spool(io.BytesIO(data), limit=100)[:2])

    second = store.keep(*store.spool(io.BytesIO(data), limit=100)[:2])

    assert first == second
    assert [p for p in store.root.rglob("*") if p.is_file()] == [first]


def test_spooling_past_the_limit_raises_and_leaves_nothing(store):
    with pytest.raises(OverflowError):
        store.spool(io.BytesIO(b"x" * 3_000_000), limit=2_000_000)

    assert incoming(store) == []
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_a_file_exactly_at_the_limit_is_spooled(store):
    spooled, _, size = store.spool(io.BytesIO(b"y" * 4096), limit=4096)

    assert size == 4096 and spooled.read_bytes() == b"y" * 4096


def test_discarding_a_spooled_file_removes_it(store):
    spooled, _, _ = store.spool(io.BytesIO(b"bad"), limit=10)

    store.discard(spooled)

    assert incoming(store) == []


@pytest.mark.parametrize("name", ["../../etc/passwd", "ABCDEF" * 10 + "abcd", "a" * 63, "g" * 64])
def test_only_sha256_digests_name_files(store, name):
    with pytest.raises(ValueError):
        store.path_for(name)
