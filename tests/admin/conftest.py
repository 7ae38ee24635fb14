"""Fixtures of the account-page tests: a real server over TLS, a headless Chromium, screenshots.

The browser tests run on SQLite only (one uvicorn server in a thread for the whole module). The
screenshots go to ``PLANFIX_SCREENSHOT_DIR`` (default ``test-output/screenshots``, git-ignored).
Without Chromium or Playwright the browser tests are skipped, except under CI (``CI`` set), where
they fail: ``.ci/run`` installs both.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from planfix_server.app import Server, create_app
from planfix_server.settings import Settings
from planfix_server.store.db import WRITE
from planfix_server.tls import ensure_certificate

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]


def screenshot_dir() -> Path:
    folder = Path(os.environ.get("PLANFIX_SCREENSHOT_DIR") or ROOT / "test-output" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def live_settings(data_dir: Path, db_url: str, **changes: Any) -> Settings:
    return Settings(
        data_dir=str(data_dir),
        db_url=db_url,
        requests_per_second=0,
        argon2_time_cost=1,
        argon2_memory_kib=64,
        auth_failures_per_minute=0,
        **changes,
    )


@dataclass
class Live:
    server: Server
    base: str

    def write(self) -> Any:
        """A connection that may write (the caller commits)."""
        connection = self.server.engine.connect()
        connection.info[WRITE] = True
        return connection


@pytest.fixture(scope="module")
def live(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    data = tmp_path_factory.mktemp("account-pages")
    shutil.copy(sqlite_template, data / "planfix.sqlite3")
    server = Server.start(live_settings(data, f"sqlite:///{data / 'planfix.sqlite3'}"))
    pair = ensure_certificate(data / "tls", "127.0.0.1")
    port = free_port()
    config = uvicorn.Config(
        create_app(server=server),
        host="127.0.0.1",
        port=port,
        ssl_certfile=str(pair.cert_file),
        ssl_keyfile=str(pair.key_file),
        log_level="warning",
        lifespan="on",
    )
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not runner.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield Live(server, f"https://127.0.0.1:{port}")
    runner.should_exit = True
    thread.join(timeout=15)
    server.engine.dispose()


# Per module: while Playwright's sync API runs, its event loop is the running loop of this thread,
# so tests after this module that call asyncio.run() would fail if it stayed open.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} is missing; .ci/run installs it")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) and one page in it."""
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


def shoot(page: Any, name: str, *, full_page: bool = True) -> Path:
    path = screenshot_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
