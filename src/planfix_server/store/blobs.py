"""The contents of files: blobs kept under opaque keys, on a local directory by default.

A key is random (uuid4 hex, under two levels of sub-directories), never derived from user input,
so no name a client sends can reach the file system. A blob is written to a temporary file,
fsynced and renamed into place: a crash never leaves half a blob under a key.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import re
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import BinaryIO, Protocol

from planfix_server.settings import Settings

CHUNK_BYTES = 256 * 1024
# Base64 text is decoded this many characters at a time (a multiple of 4).
_TEXT_CHUNK = 4 * 65536
_KEY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}")
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=]")
_WHITESPACE = re.compile(r"\s+")
_TEMP_PREFIX = ".incoming-"


@dataclass(frozen=True, slots=True)
class StoredBlob:
    key: str  # storage key, opaque, at most 200 characters
    size: int  # bytes
    sha256: str  # hex


class BlobTooLarge(Exception):
    """The content is larger than the cap it was given."""


class BlobStoreError(Exception):
    """The storage itself failed (disk full, permissions, a missing blob on read)."""


class BlobStore(Protocol):
    def put(self, chunks: Iterable[bytes], *, max_bytes: int) -> StoredBlob: ...

    def put_base64(self, text: str, *, max_bytes: int) -> StoredBlob:
        """Decode base64 in chunks (whitespace allowed, strict alphabet); ValueError if it is not."""
        ...

    def open(self, key: str) -> Iterator[bytes]:
        """The content in chunks of 256 KiB."""
        ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Remove a blob; a missing key is no error."""
        ...

    def keys(self) -> Iterator[str]:
        """Every stored key (for garbage collection)."""
        ...

    def age_seconds(self, key: str) -> float:
        """Seconds since the blob was written."""
        ...

    def size(self, key: str) -> int:
        """The blob's size in bytes."""
        ...


def base64_chunks(text: str) -> Iterator[bytes]:
    """Decode base64 text piece by piece, so a large file never exists twice in memory at once.

    Whitespace (line breaks of MIME-style base64) is skipped; any other character outside the
    alphabet, a misplaced ``=`` or a length that is not a multiple of 4 raise ValueError.
    """
    pending = b""
    finished = False
    for start in range(0, len(text), _TEXT_CHUNK):
        piece = text[start : start + _TEXT_CHUNK]
        if not piece.isascii():
            raise ValueError("not base64: non-ASCII characters")
        data = pending + _WHITESPACE.sub("", piece).encode("ascii")
        if not data:
            continue
        if finished:
            raise ValueError("not base64: data after padding")
        if _NOT_BASE64.search(data):
            raise ValueError("not base64: characters outside the alphabet")
        usable = len(data) - len(data) % 4
        pending = data[usable:]
        block = data[:usable]
        if b"=" in block:
            # Padding is allowed only in the last quantum of the whole text.
            if b"=" in block[:-4]:
                raise ValueError("not base64: padding inside the data")
            finished = True
        if block:
            try:
                yield base64.b64decode(block, validate=True)
            except binascii.Error as exc:
                raise ValueError(f"not base64: {exc}") from None
    if pending:
        raise ValueError("not base64: length is not a multiple of 4")


class LocalDirectoryBlobs:
    """Blobs as files under one directory: ``<root>/ab/cd/<32 hex>``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, chunks: Iterable[bytes], *, max_bytes: int) -> StoredBlob:
        key = _new_key()
        target = self.root / key
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=target.parent)
        except OSError as exc:
            raise BlobStoreError(f"cannot write to {self.root}: {exc}") from exc
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise BlobTooLarge(f"more than {max_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
            _fsync_directory(target.parent)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            if isinstance(exc, OSError):
                raise BlobStoreError(f"cannot write blob: {exc}") from exc
            raise
        return StoredBlob(key=key, size=size, sha256=digest.hexdigest())

    def put_base64(self, text: str, *, max_bytes: int) -> StoredBlob:
        return self.put(base64_chunks(text), max_bytes=max_bytes)

    def open(self, key: str) -> Iterator[bytes]:
        path = self._path(key)
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise BlobStoreError(f"cannot read blob {key}: {exc}") from exc
        return _read_chunks(handle)

    def exists(self, key: str) -> bool:
        return _KEY.fullmatch(key) is not None and (self.root / key).is_file()

    def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise BlobStoreError(f"cannot delete blob {key}: {exc}") from exc

    def keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/??/*")):
            key = path.relative_to(self.root).as_posix()
            if _KEY.fullmatch(key) and path.is_file():
                yield key

    def age_seconds(self, key: str) -> float:
        try:
            return time.time() - self._path(key).stat().st_mtime
        except OSError as exc:
            raise BlobStoreError(f"cannot read blob {key}: {exc}") from exc

    def size(self, key: str) -> int:
        try:
            return self._path(key).stat().st_size
        except OSError as exc:
            raise BlobStoreError(f"cannot read blob {key}: {exc}") from exc

    def _path(self, key: str) -> Path:
        # Keys come from our own rows, but a tampered row must still not reach outside the root.
        if _KEY.fullmatch(key) is None:
            raise BlobStoreError(f"not a blob key: {key!r}")
        return self.root / key


def _new_key() -> str:
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name[2:4]}/{name}"


def _read_chunks(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


def _fsync_directory(path: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where directories cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_STORES: dict[Path, LocalDirectoryBlobs] = {}
_STORES_LOCK = Lock()


def blob_store(settings: Settings) -> BlobStore:
    """The blob store of these settings: one per files directory, shared by all requests."""
    root = settings.files_path.resolve()
    with _STORES_LOCK:
        store = _STORES.get(root)
        if store is None:
            store = _STORES[root] = LocalDirectoryBlobs(root)
    return store
