"""``planfix-server files gc``: delete the stored contents no file version names.

An upload writes its content before its transaction commits; when that transaction then fails
(or the process dies), the content stays behind with no row pointing at it. Only contents older
than ``--older-than-hours`` are considered, so an upload still in flight is never touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from itertools import islice

import click
from sqlalchemy import select
from sqlalchemy.engine import Connection

from planfix_server.cli.common import Runtime, fail, with_runtime
from planfix_server.store.blobs import BlobStore, BlobStoreError, blob_store
from planfix_server.store.tables import file_versions

BATCH = 500


@dataclass
class Collected:
    scanned: int = 0  # contents found in the store
    referenced: int = 0  # kept: a file version names them
    young: int = 0  # kept: newer than the age limit
    deleted: int = 0
    freed_bytes: int = 0


def _batches(keys: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(keys)
    while batch := list(islice(iterator, size)):
        yield batch


def referenced_keys(connection: Connection, keys: list[str]) -> set[str]:
    """Which of ``keys`` a file version of any account names (maintenance spans all accounts)."""
    query = select(file_versions.c.storage_key).where(file_versions.c.storage_key.in_(keys))
    return {row[0] for row in connection.execute(query)}


def collect_garbage(
    connection: Connection, store: BlobStore, *, older_than_seconds: float, dry_run: bool = False
) -> Collected:
    found = Collected()
    for batch in _batches(store.keys(), BATCH):
        found.scanned += len(batch)
        named = referenced_keys(connection, batch)
        connection.rollback()  # no transaction held open while deleting files
        for key in batch:
            if key in named:
                found.referenced += 1
                continue
            if store.age_seconds(key) < older_than_seconds:
                found.young += 1
                continue
            found.freed_bytes += store.size(key)
            if not dry_run:
                store.delete(key)
            found.deleted += 1
    return found


@click.group("files")
def files() -> None:
    """The stored contents of files (under `files_dir`, default `<data dir>/files`)."""


@files.command("gc")
@click.option(
    "--older-than-hours",
    type=click.FloatRange(min=0),
    default=24.0,
    show_default=True,
    help="Only contents at least this old are deleted (an upload in flight is younger).",
)
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@click.option(
    "--files-dir", metavar="DIR", default=None, help="Directory of the contents. Default: $PLANFIX_FILES_DIR."
)
@with_runtime
def gc(rt: Runtime, older_than_hours: float, dry_run: bool, files_dir: str | None) -> None:
    """Delete stored contents that no file version references."""
    settings = rt.settings if files_dir is None else rt.settings.replace(files_dir=files_dir)
    store = blob_store(settings)
    try:
        with rt.reading() as connection:
            found = collect_garbage(
                connection, store, older_than_seconds=older_than_hours * 3600, dry_run=dry_run
            )
    except BlobStoreError as exc:
        raise fail(f"cannot clean {settings.files_path}: {exc}") from exc
    verb = "would delete" if dry_run else "deleted"
    rt.emit(
        {**asdict(found), "dry_run": dry_run},
        f"{found.scanned} contents scanned, {found.referenced} in use, {found.young} too recent; "
        f"{verb} {found.deleted} ({found.freed_bytes} bytes)",
    )
