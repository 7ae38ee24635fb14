"""What every command shares: the store options, opening the database, output, errors."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import click
from rich.console import Console, RenderableType
from rich.table import Table
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from planfix_server.security import Passwords
from planfix_server.settings import Settings
from planfix_server.store import accounts
from planfix_server.store.db import WRITE, make_engine, normalize_url
from planfix_server.store.migrate import upgrade
from planfix_server.store.records import AccountRecord

Command = Callable[..., None]


def fail(message: str) -> click.ClickException:
    """The one-line error every command exits with (``Error: …`` on stderr, status 1)."""
    return click.ClickException(" ".join(message.split()))


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def safe_url(url: str) -> str:
    """A database URL fit for printing: without its password."""
    try:
        return make_url(normalize_url(url)).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable URL>"


@dataclass
class Runtime:
    """The settings of one command run, and its way of writing answers."""

    settings: Settings
    as_json: bool

    def passwords(self) -> Passwords:
        return Passwords(self.settings.argon2_time_cost, self.settings.argon2_memory_kib)

    @contextmanager
    def store(self) -> Iterator[Engine]:
        """The database, upgraded to the current schema first (so a fresh data dir just works)."""
        url = self.settings.database_url
        try:
            engine = make_engine(url)
            upgrade(engine)
        except (SQLAlchemyError, OSError) as exc:
            detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
            raise fail(f"cannot open the database {safe_url(url)}: {detail[0] if detail else exc}") from exc
        try:
            yield engine
        finally:
            engine.dispose()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction, committed when the block ends without an exception."""
        with self.store() as engine, engine.connect() as connection:
            connection.info[WRITE] = True
            yield connection
            connection.commit()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.store() as engine, engine.connect() as connection:
            yield connection

    def emit(self, data: Mapping[str, Any], human: RenderableType | None = None) -> None:
        """``--json``: exactly one JSON object on stdout; otherwise ``human`` (or the data as lines)."""
        if self.as_json:
            click.echo(json.dumps(data, ensure_ascii=False, default=str))
        elif human is None:
            click.echo(pairs(data))
        elif isinstance(human, str):
            click.echo(human)
        else:
            console = Console(file=sys.stdout, soft_wrap=True)
            if not console.is_terminal:
                # Piped output has no width to respect; keep rows whole for grep and less.
                console.width = 200
            console.print(human)
        sys.stdout.flush()


def pairs(data: Mapping[str, Any], indent: str = "") -> str:
    """``key  value`` lines, nested mappings indented: easy to read and to copy from."""
    width = max((len(key) for key in data), default=0)
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            lines.append(f"{indent}{key}:")
            lines.append(pairs(value, indent + "  "))
        else:
            shown = "-" if value is None else value
            lines.append(f"{indent}{key.replace('_', ' '):<{width}}  {shown}")
    return "\n".join(lines)


def table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    made = Table(title=title, title_justify="left")
    for column in columns:
        made.add_column(column, overflow="fold")
    for row in rows:
        made.add_row(*("-" if cell is None else str(cell) for cell in row))
    return made


def require_account(connection: Connection, name: str) -> AccountRecord:
    found = accounts.find(connection, name)
    if found is None:
        raise fail(f"no account named {name!r}")
    return found


def with_runtime(command: Command) -> Command:
    """Add ``--data-dir``, ``--db`` and ``--json``; the command receives a ``Runtime`` first."""

    @functools.wraps(command)
    def wrapper(*args: Any, data_dir: str | None, db_url: str | None, as_json: bool, **kwargs: Any) -> None:
        try:
            settings = Settings.from_env(data_dir=data_dir, db_url=db_url)
        except ValueError as exc:
            raise fail(f"bad setting: {exc}") from exc
        command(Runtime(settings, as_json), *args, **kwargs)

    options = (
        click.option(
            "--data-dir",
            metavar="DIR",
            default=None,
            help="Data directory (SQLite file, certificate). Default: $PLANFIX_DATA_DIR or ./planfix-data.",
        ),
        click.option(
            "--db",
            "db_url",
            metavar="URL",
            default=None,
            help="Database URL instead of the SQLite file in the data directory "
            "(postgresql://user@host/db). Default: $PLANFIX_DB_URL.",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else."),
    )
    decorated: Command = wrapper
    for option in reversed(options):
        decorated = option(decorated)
    return decorated
