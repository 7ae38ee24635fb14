"""``planfix-server files gc``: deletes stored contents no file version names, and only old ones."""

from __future__ import annotations

import base64
import json
import os
import time
from typing import Any

from click.testing import CliRunner

from planfix_server.cli import cli
from planfix_server.settings import Settings
from planfix_server.store.blobs import blob_store
from tests.support import Api


def gc(settings: Settings, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli,
        ["files", "gc", *args, "--data-dir", settings.data_dir, "--db", settings.database_url, "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, (result.stdout, result.stderr)
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def age(path: os.PathLike[str] | str, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def uploaded_key(api: Api, settings: Settings) -> str:
    task = api.call("task.add", "<task><title>Files</title></task>")
    assert task.ok, task.raw
    body = base64.b64encode(b"kept content").decode()
    reply = api.call(
        "file.upload",
        f"<task><id>{task.text('task/id')}</id></task><target>task</target><files><file>"
        f"<name>kept.txt</name><body>{body}</body></file></files>",
    )
    assert reply.ok, reply.raw
    keys = list(blob_store(settings).keys())
    assert len(keys) == 1
    return keys[0]


def test_gc_deletes_only_old_unreferenced_contents(api: Api, settings: Settings) -> None:
    store = blob_store(settings)
    kept = uploaded_key(api, settings)
    stray = store.put([b"x" * 100], max_bytes=1000).key
    recent = store.put([b"y"], max_bytes=1000).key
    root = settings.files_path
    for key in (kept, stray):
        age(root / key, 30)
    age(root / recent, 0.5)

    dry = gc(settings, "--older-than-hours", "1", "--dry-run")
    assert dry == {
        "scanned": 3,
        "referenced": 1,
        "young": 1,
        "deleted": 1,
        "freed_bytes": 100,
        "dry_run": True,
    }
    assert store.exists(stray)

    done = gc(settings, "--older-than-hours", "1")
    assert (done["deleted"], done["freed_bytes"], done["dry_run"]) == (1, 100, False)
    assert not store.exists(stray)
    assert store.exists(kept) and store.exists(recent)

    assert gc(settings, "--older-than-hours", "0")["deleted"] == 1  # now the recent one too
    assert set(store.keys()) == {kept}


def test_gc_of_an_empty_store(settings: Settings, api: Api) -> None:
    assert gc(settings)["scanned"] == 0


def test_gc_files_dir_option(settings: Settings, api: Api, tmp_path: Any) -> None:
    elsewhere = settings.replace(files_dir=str(tmp_path / "elsewhere"))
    stray = blob_store(elsewhere).put([b"z"], max_bytes=10).key
    age(elsewhere.files_path / stray, 48)
    assert gc(settings)["scanned"] == 0
    assert gc(settings, "--files-dir", str(tmp_path / "elsewhere"))["deleted"] == 1
