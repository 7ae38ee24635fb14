"""UtcDateTime reads aware UTC datetimes back, whatever form the database hands over."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text

from planfix_server.store.db import make_engine
from planfix_server.store.tables import Moment

MSK = dt.timezone(dt.timedelta(hours=3))
# What SQLite may hold: this type's own text, CURRENT_TIMESTAMP's, a date alone, text with a zone.
SQLITE_TEXTS = [
    "2024-03-01 12:34:56.000000",
    "2024-03-01 12:34:56.123456",
    "0999-12-31 23:59:59.999999",
    "2024-03-01 12:34:56",
    "2024-03-01 12:34",
    "2024-03-01",
    "2024-03-01T12:34:56",
    "2024-03-01 12:34:56+03:00",
    "2024-03-01 12:34:56-05:30",
    "2024-03-01T12:34:56Z",
    None,
]


def test_sqlite_text_reads_as_the_generic_conversion_does() -> None:
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    impl = Moment.dialect_impl(dialect)
    process = impl.result_processor(dialect, None)
    parse = impl.impl_instance.result_processor(dialect, None)
    assert process is not None and parse is not None
    for value in SQLITE_TEXTS:
        expected = Moment.process_result_value(parse(value), dialect)
        got = process(value)
        assert got == expected, value
        if got is not None:
            assert got.tzinfo is dt.UTC, value


@pytest.mark.parametrize("value", ["not a date", "2024-13-01 00:00:00"])
def test_sqlite_text_that_is_no_datetime_still_fails(value: str) -> None:
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    process = Moment.dialect_impl(dialect).result_processor(dialect, None)
    assert process is not None
    with pytest.raises(ValueError, match=r"isoformat|month"):
        process(value)


def test_driver_datetimes_become_utc() -> None:
    from sqlalchemy.dialects import postgresql

    dialect = postgresql.dialect(driver="psycopg")
    process = Moment.dialect_impl(dialect).result_processor(dialect, None)
    assert process is not None
    moment = dt.datetime(2024, 3, 1, 15, 0, tzinfo=MSK)
    assert process(moment) == dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)
    assert process(moment).tzinfo is dt.UTC
    assert process(dt.datetime(2024, 3, 1, 12, 0)) == dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)
    assert process(None) is None


def test_round_trip_through_a_database(db_url: str) -> None:
    table = Table("moments", MetaData(), Column("id", Integer, primary_key=True), Column("at", Moment))
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            table.create(connection)
            written = [
                dt.datetime(2024, 3, 1, 15, 30, 5, 123, tzinfo=MSK),
                dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
                None,
            ]
            connection.execute(insert(table), [{"id": n, "at": at} for n, at in enumerate(written)])
            if engine.dialect.name == "sqlite":  # text written by SQLite itself
                connection.execute(text("INSERT INTO moments (id, at) VALUES (9, '2024-03-01 10:00:00')"))
                written.append(dt.datetime(2024, 3, 1, 10, 0, tzinfo=dt.UTC))
            read = connection.execute(select(table.c.at).order_by(table.c.id)).scalars().all()
            table.drop(connection)
    finally:
        engine.dispose()
    assert read == written
    assert all(at.tzinfo is dt.UTC for at in read if at is not None)
