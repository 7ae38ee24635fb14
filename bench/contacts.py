"""contact.getList over a large account (100k contacts by default), next to user.get in the same run.

    python -m bench.contacts [--contacts 100000] [--rounds 5] [--calls 30] [--db postgresql://…] [--json]

A fresh database gets one account of N contacts, seeded in big batches (``bench/seed_store.py``):
each contact with its ``users`` row (its userid), one or two phones, an e-mail, a company for most
people, and two custom values. Then a ``Server`` in this process answers requests one after another
through ``Server.answer`` (the whole pipeline: envelope, credentials, limits, handler, SQL,
rendering; no HTTP). Each round times ``--calls`` requests of every operation, the operations
taking turns; the figure of an operation is the median over the rounds of each round's median, and
its ratio to ``user.get`` (the cheapest authenticated call, measured in the same rounds) makes runs
on different machines comparable. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if not __package__:
    # Run as ``python bench/contacts.py``: make the ``bench`` package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Boolean, String, Table, Text
from sqlalchemy.engine import Connection

from bench.seed_store import reserve, reserve_generals, write
from bench.tasks import authorization, body, database, server_settings
from planfix_server.domain.access.service import provision_account
from planfix_server.domain.contacts.identity import CONTACT_ROLE, placeholder_login
from planfix_server.domain.customfields.service import define_field
from planfix_server.security import Passwords
from planfix_server.store import ids
from planfix_server.store.db import WRITE, is_sqlite, make_engine
from planfix_server.store.migrate import upgrade
from planfix_server.store.tables import contact_contractors, contact_phones, contacts, custom_values, users
from planfix_server.store.uow import AccountUnitOfWork

ACCOUNT = "bench"
BASELINE = "user.get"
OPERATIONS = (
    BASELINE,
    "contact.getList page 1",
    "contact.getList middle page",
    "contact.getList search",
    "contact.getList filter",
)
FIRST_NAMES = (
    "Ivan",
    "Anna",
    "Boris",
    "Olga",
    "Chen",
    "Fatima",
    "Georg",
    "Hana",
    "Karim",
    "Lena",
    "Юлия",
    "Пётр",
)
LAST_NAMES = ("Petrov", "Smith", "Novak", "Garcia", "Müller", "Kowalski", "Sato", "Rossi", "Иванова", "Берг")
POSTS = ("Manager", "Director", "Accountant", "Engineer", "Buyer", "")
COMPANY_SHARE = 10  # one contact in ten is a company


@dataclass(frozen=True)
class Seeded:
    url: str
    data_dir: str
    api_key: str
    token: str
    owner_id: int
    contacts: int
    people: int
    seconds: float


# -- seeding


def blank(table: Table) -> dict[str, Any]:
    """A row of ``table`` with every column at its empty value (as the server defaults fill them)."""
    row: dict[str, Any] = {}
    for column in table.c:
        if isinstance(column.type, Boolean) and not column.nullable:
            row[column.name] = False
        elif isinstance(column.type, String | Text) and column.server_default is not None:
            row[column.name] = ""
        else:
            row[column.name] = None
    return row


def batch_rows(
    rng: random.Random,
    account_id: int,
    first_id: int,
    first_user: int,
    first_general: int,
    first_user_general: int,
    count: int,
    companies: list[int],
    fields: dict[str, int],
    now: dt.datetime,
) -> dict[Table, list[dict[str, Any]]]:
    """Rows of ``count`` contacts with consecutive ids; companies made here join ``companies``."""
    made: dict[Table, list[dict[str, Any]]] = {table: [] for table in (users, contacts, contact_phones)}
    made[contact_contractors] = []
    made[custom_values] = []
    user_blank, contact_blank = blank(users), blank(contacts)
    for offset in range(count):
        contact_id, user_id = first_id + offset, first_user + offset
        is_company = (contact_id % COMPANY_SHARE) == 0
        name = f"Company {contact_id}" if is_company else rng.choice(FIRST_NAMES)
        last_name = "" if is_company else rng.choice(LAST_NAMES)
        created = now - dt.timedelta(days=rng.randrange(0, 2000), minutes=rng.randrange(0, 1440))
        made[users].append(
            {
                **user_blank,
                "account_id": account_id,
                "id": user_id,
                "general": first_user_general + offset,
                "login": placeholder_login(user_id),
                "name": name,
                "last_name": last_name,
                "role": CONTACT_ROLE,
                "status": "UNACTIVE",
                "created_at": created,
            }
        )
        email = f"contact{contact_id}@example.com"
        made[contacts].append(
            {
                **contact_blank,
                "account_id": account_id,
                "id": contact_id,
                "general": first_general + offset,
                "user_id": user_id,
                "is_company": is_company,
                "name": name,
                "last_name": last_name,
                "post": "" if is_company else rng.choice(POSTS),
                "email": email,
                "email_key": email,
                "address": f"{rng.randrange(1, 200)} Main street",
                "description": "Seeded contact",
                "birthdate": None
                if is_company
                else dt.date(rng.randrange(1950, 2005), rng.randrange(1, 13), 1),
                "can_be_worker": not is_company,
                "can_be_client": True,
                "access": "none",
                "created_at": created,
                "modified_at": created,
            }
        )
        for position in range(1 + (contact_id % 3 == 0)):
            made[contact_phones].append(
                {
                    "account_id": account_id,
                    "contact_id": contact_id,
                    "position": position,
                    "number": f"+7 9{rng.randrange(10, 99)} {rng.randrange(100, 999)}-{offset % 100:02d}",
                    "type_id": 1 + position,
                }
            )
        if is_company:
            companies.append(contact_id)
        elif companies and rng.random() < 0.7:
            made[contact_contractors].append(
                {
                    "account_id": account_id,
                    "contact_id": contact_id,
                    "company_id": rng.choice(companies[-50:]),
                }
            )
        values = {"segment": rng.choice(("A", "B", "C")), "revenue": str(rng.randrange(0, 100_000))}
        for role, value in values.items():
            made[custom_values].append(
                {
                    "account_id": account_id,
                    "object_kind": "contact",
                    "object_id": contact_id,
                    "field_id": fields[role],
                    "value": value,
                }
            )
    return made


def write_contacts(
    connection: Connection, account_id: int, count: int, batch_size: int, rng: random.Random, now: dt.datetime
) -> None:
    """``count`` contacts (a share of them companies, with phones, contractors and custom values) in
    ``account_id``, written and committed in batches; the tables analysed on SQLite."""
    uow = AccountUnitOfWork(connection, account_id)
    fields = {
        "segment": define_field(
            uow, now, object_kind="contact", name="Segment", field_type="list", options=("A", "B", "C")
        ),
        "revenue": define_field(uow, now, object_kind="contact", name="Revenue", field_type="number"),
    }
    for kind in ("contact", "user"):  # both counters must exist before ranges are reserved
        ids.next_general(connection, account_id, kind)
    connection.commit()
    companies: list[int] = []
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        rows = batch_rows(
            rng,
            account_id,
            reserve(connection, "contacts", size),
            reserve(connection, "users", size),
            reserve_generals(connection, account_id, "contact", size),
            reserve_generals(connection, account_id, "user", size),
            size,
            companies,
            fields,
            now,
        )
        for table in (users, contacts, contact_phones, contact_contractors, custom_values):
            write(connection, table, rows[table])
        connection.commit()
        done += size
    if is_sqlite(connection):
        connection.exec_driver_sql("ANALYZE")
        connection.commit()


def seed(url: str, data_dir: str, count: int, batch_size: int = 20_000) -> Seeded:
    """One account of ``count`` contacts (and their users rows), written in batches."""
    started = time.perf_counter()
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(1)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        with engine.connect() as connection:
            connection.info[WRITE] = True
            if is_sqlite(connection):
                raw = connection.connection.dbapi_connection
                assert raw is not None
                raw.execute("PRAGMA synchronous=OFF")  # a crash mid-seed means seeding again
            made = provision_account(
                connection,
                now,
                name=ACCOUNT,
                plan="premium",
                owner_login=f"owner@{ACCOUNT}",
                owner_password_hash=Passwords(1, 64).hash("bench-pass"),
                data_centre="local",
                owner_name="Owner",
            )
            account_id = made.account.id
            write_contacts(connection, account_id, count, batch_size, rng, now)
        if not url.startswith("sqlite"):
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
                autocommit.exec_driver_sql(
                    "VACUUM ANALYZE users, contacts, contact_phones, contact_contractors, custom_values"
                )
    finally:
        engine.dispose()
    people = count - len(range(COMPANY_SHARE, count + COMPANY_SHARE, COMPANY_SHARE)) if count else 0
    return Seeded(
        url,
        data_dir,
        made.key.api_key,
        made.token,
        made.owner.id,
        count,
        people,
        time.perf_counter() - started,
    )


# -- measuring


def requests(seeded: Seeded) -> dict[str, bytes]:
    """The body of each operation, as the account owner (an administrator) sends it."""
    page = "<pageSize>100</pageSize><pageCurrent>{}</pageCurrent>"
    middle = max(1, seeded.people // 200)
    is_company = (
        "<filters><filter><type>4006</type><operator>equal</operator><value>1</value></filter></filters>"
    )
    return {
        BASELINE: body("user.get", f"<user><id>{seeded.owner_id}</id></user>"),
        "contact.getList page 1": body("contact.getList", page.format(1)),
        "contact.getList middle page": body("contact.getList", page.format(middle)),
        "contact.getList search": body("contact.getList", "<search>ivan</search>" + page.format(1)),
        "contact.getList filter": body(
            "contact.getList", "<target>:all</target>" + is_company + page.format(1)
        ),
    }


def measure(seeded: Seeded, rounds: int, calls: int) -> dict[str, Any]:
    """Per operation: the median over rounds of each round's median milliseconds; the not-ok answers."""
    from planfix_server.app import Server
    from planfix_server.pipeline.exchange import Exchange

    server = Server.start(server_settings(seeded.url, seeded.data_dir))
    owner = authorization(seeded.api_key, seeded.token)
    bodies = requests(seeded)
    per_round: dict[str, list[float]] = {operation: [] for operation in OPERATIONS}
    failed: dict[str, int] = {operation: 0 for operation in OPERATIONS}
    items: dict[str, int] = {}
    try:
        for number in range(rounds + 1):  # round 0 warms caches and is not counted
            for operation in OPERATIONS:
                timings = []
                for _ in range(calls):
                    exchange = Exchange(
                        bodies[operation],
                        owner,
                        "127.0.0.1",
                        "http://127.0.0.1",
                        "bench",
                        dt.datetime.now(dt.UTC),
                    )
                    started = time.perf_counter()
                    answer = server.answer(exchange)
                    timings.append((time.perf_counter() - started) * 1000)
                    failed[operation] += answer.code != "ok"
                    items[operation] = answer.body.count(b"<contact>")
                if number:
                    per_round[operation].append(statistics.median(timings))
    finally:
        server.engine.dispose()
    baseline = statistics.median(per_round[BASELINE])
    found: dict[str, Any] = {}
    for operation in OPERATIONS:
        median = statistics.median(per_round[operation])
        found[operation] = {
            "median_ms": round(median, 3),
            "rounds_ms": [round(value, 3) for value in per_round[operation]],
            "ratio": round(median / baseline, 2) if baseline else 0.0,
            "items": items.get(operation, 0),
            "not_ok": failed[operation],
        }
    return found


# -- report


def markdown(result: dict[str, Any]) -> str:
    config = result["config"]
    lines = [
        f"{config['backend']}, {result['contacts']:,} contacts (seeded in {result['seed_seconds']:.1f} s); "
        f"{config['rounds']} rounds × {config['calls']} calls per operation, in process; "
        f"{config['cpus']} CPUs, load average {config['load']}",
        "",
        f"| operation | items | median ms | ratio to {BASELINE} | round medians ms |",
        "|---|---:|---:|---:|---|",
    ]
    for operation, figures in result["operations"].items():
        rounds = ", ".join(f"{value:.2f}" for value in figures["rounds_ms"])
        numbers = f"{figures['items']} | {figures['median_ms']:.2f} | {figures['ratio']:.2f}"
        lines.append(f"| {operation} | {numbers} | {rounds} |")
    failed = {operation: f["not_ok"] for operation, f in result["operations"].items() if f["not_ok"]}
    if failed:
        lines.append(f"WARNING: answers not ok: {failed}")
    return "\n".join(lines)


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="planfix-bench-contacts-") as tmp,
        database(args.db, args.contacts, Path(tmp)) as (url, data_dir),
    ):
        seeded = seed(url, data_dir, args.contacts)
        print(f"seeded {args.contacts:,} contacts in {seeded.seconds:.1f} s", file=sys.stderr)
        operations = measure(seeded, args.rounds, args.calls)
    return {
        "config": {
            "backend": "PostgreSQL" if args.db else "SQLite",
            "rounds": args.rounds,
            "calls": args.calls,
            "cpus": os.cpu_count(),
            "load": " ".join(f"{value:.1f}" for value in os.getloadavg()),
            "python": platform.python_version(),
        },
        "contacts": args.contacts,
        "seed_seconds": round(seeded.seconds, 2),
        "operations": operations,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.contacts", description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000, help="contacts of the account")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (after one warm-up round)")
    parser.add_argument("--calls", type=int, default=30, help="calls per operation and round")
    parser.add_argument("--db", default=None, help="PostgreSQL URL (a schema is made there and dropped)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.db and not args.db.startswith(("postgresql", "postgres")):
        parser.error("--db takes a PostgreSQL URL (SQLite is the default)")
    if args.contacts < 1 or args.rounds < 1 or args.calls < 1:
        parser.error("contacts, rounds and calls must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result = benchmark(args)
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
