"""Content-addressed file store: each file lives once, under its SHA-256, written atomically."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


class FileStore:
    """Files under root/ab/cd/abcd...; a file is complete or absent, never half-written."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.incoming = self.root / "incoming"
        self.incoming.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def spool(self, stream: BinaryIO, limit: int) -> tuple[Path, str, int]:
        """Copy stream to a temporary file beside the store; return (path, sha256, size).

        Stops reading past limit bytes and raises OverflowError, leaving nothing behind."""
        digest = hashlib.sha256()
        size = 0
        fd, name = tempfile.mkstemp(dir=self.incoming, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise OverflowError(size)
                    digest.update(chunk)
                    out.write(chunk)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return Path(name), digest.hexdigest(), size

    def keep(self, spooled: Path, sha256: str) -> Path:
        """Move a spooled file to its place; if the same content is already stored, drop the copy."""
        target = self.path_for(sha256)
        if target.exists():
            spooled.unlink(missing_ok=True)
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(spooled, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(spooled, target)  # atomic within one file system
        return target

    def discard(self, spooled: Path) -> None:
        spooled.unlink(missing_ok=True)

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()
