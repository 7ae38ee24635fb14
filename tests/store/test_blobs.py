"""The local directory blob store: atomic writes, caps, base64 in chunks, random keys."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest

from planfix_server.settings import Settings
from planfix_server.store.blobs import (
    CHUNK_BYTES,
    BlobStoreError,
    BlobTooLarge,
    LocalDirectoryBlobs,
    base64_chunks,
    blob_store,
)


@pytest.fixture
def store(tmp_path: Path) -> LocalDirectoryBlobs:
    return LocalDirectoryBlobs(tmp_path / "files")


def leftovers(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_put_and_open_round_trip(store: LocalDirectoryBlobs) -> None:
    stored = store.put([b"hello ", b"", b"world"], max_bytes=100)
    assert stored.size == 11
    assert stored.sha256 == hashlib.sha256(b"hello world").hexdigest()
    assert len(stored.key) <= 200
    assert b"".join(store.open(stored.key)) == b"hello world"
    assert store.exists(stored.key)


def test_keys_are_random_and_two_levels_deep(store: LocalDirectoryBlobs) -> None:
    first = store.put([b"same"], max_bytes=10)
    second = store.put([b"same"], max_bytes=10)
    assert first.key != second.key  # never derived from the content (or a name)
    top, middle, name = first.key.split("/")
    assert (len(top), len(middle), len(name)) == (2, 2, 32)
    assert name.startswith(top + middle)
    assert (store.root / first.key).is_file()


def test_multi_megabyte_blob_streams_in_chunks(store: LocalDirectoryBlobs) -> None:
    content = os.urandom(5 * 1024 * 1024 + 123)
    pieces = (content[i : i + 100_000] for i in range(0, len(content), 100_000))
    stored = store.put(pieces, max_bytes=len(content))
    chunks = list(store.open(stored.key))
    assert max(len(chunk) for chunk in chunks) == CHUNK_BYTES
    assert b"".join(chunks) == content
    assert stored.sha256 == hashlib.sha256(content).hexdigest()


def test_cap_exceeded_leaves_nothing_behind(store: LocalDirectoryBlobs) -> None:
    store.root.mkdir(parents=True)
    with pytest.raises(BlobTooLarge):
        store.put([b"x" * 600, b"y" * 600], max_bytes=1000)
    assert leftovers(store.root) == []
    exactly = store.put([b"x" * 1000], max_bytes=1000)
    assert exactly.size == 1000


def test_base64_round_trip_with_line_breaks(store: LocalDirectoryBlobs) -> None:
    content = os.urandom(3 * 1024 * 1024 + 7)
    text = base64.encodebytes(content).decode("ascii")  # MIME style: a line break every 76
    stored = store.put_base64(text, max_bytes=len(content))
    assert b"".join(store.open(stored.key)) == content
    assert stored.size == len(content)


@pytest.mark.parametrize(
    "text",
    [
        "aGVsbG8",  # length not a multiple of 4
        "aGVs*G8=",  # outside the alphabet
        "aGVsbG8=aGVs",  # data after padding
        "aG=sbG8=",  # padding inside
        "aGVsbG8=\u00e9",  # non-ASCII
        "-_8=",  # URL-safe alphabet is not the standard one
    ],
)
def test_bad_base64_is_refused_and_leaves_nothing(store: LocalDirectoryBlobs, text: str) -> None:
    with pytest.raises(ValueError, match="not base64"):
        store.put_base64(text, max_bytes=1000)
    assert leftovers(store.root) == []


def test_base64_padding_split_across_pieces_is_accepted() -> None:
    text = "QUJD" * 65536 + "QUI="  # the last quantum starts a new piece of the decoder
    assert b"".join(base64_chunks(text)) == b"ABC" * 65536 + b"AB"


def test_base64_over_the_cap_is_too_large(store: LocalDirectoryBlobs) -> None:
    text = base64.b64encode(b"z" * 5000).decode()
    with pytest.raises(BlobTooLarge):
        store.put_base64(text, max_bytes=4999)
    assert leftovers(store.root) == []


def test_empty_content_is_a_blob(store: LocalDirectoryBlobs) -> None:
    stored = store.put_base64("", max_bytes=10)
    assert stored.size == 0
    assert b"".join(store.open(stored.key)) == b""


def test_delete_and_missing_keys(store: LocalDirectoryBlobs) -> None:
    stored = store.put([b"a"], max_bytes=10)
    store.delete(stored.key)
    assert not store.exists(stored.key)
    store.delete(stored.key)  # a missing key is no error
    with pytest.raises(BlobStoreError):
        store.open(stored.key)


@pytest.mark.parametrize("key", ["../../etc/passwd", "/etc/passwd", "ab/cd/../../x", "", "AB/CD/" + "0" * 32])
def test_keys_not_of_the_store_never_reach_the_file_system(store: LocalDirectoryBlobs, key: str) -> None:
    assert not store.exists(key)
    with pytest.raises(BlobStoreError):
        store.open(key)
    with pytest.raises(BlobStoreError):
        store.delete(key)


def test_open_reads_a_blob_deleted_after_opening(store: LocalDirectoryBlobs) -> None:
    stored = store.put([b"still here"], max_bytes=100)
    chunks = store.open(stored.key)
    store.delete(stored.key)
    assert b"".join(chunks) == b"still here"


def test_write_failure_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    with pytest.raises(BlobStoreError):
        LocalDirectoryBlobs(blocker).put([b"a"], max_bytes=10)


def test_keys_lists_blobs_only(store: LocalDirectoryBlobs) -> None:
    made = {store.put([b"1"], max_bytes=10).key, store.put([b"2"], max_bytes=10).key}
    (store.root / "stray.txt").write_text("not a blob")
    assert set(store.keys()) == made
    assert all(store.age_seconds(key) >= 0 for key in made)


def test_blob_store_follows_settings(tmp_path: Path) -> None:
    default = blob_store(Settings(data_dir=str(tmp_path / "data")))
    assert isinstance(default, LocalDirectoryBlobs)
    assert default.root == (tmp_path / "data" / "files").resolve()
    assert blob_store(Settings(data_dir=str(tmp_path / "data"))) is default
    chosen = blob_store(Settings(data_dir=str(tmp_path / "data"), files_dir=str(tmp_path / "elsewhere")))
    assert isinstance(chosen, LocalDirectoryBlobs)
    assert chosen.root == (tmp_path / "elsewhere").resolve()
