"""Records built from rows: by position for result rows, by name for mappings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import create_engine, text

from planfix_server.store.records import from_row


@dataclass(frozen=True)
class Pair:
    id: int
    name: str
    note: str = "none"


def test_rows_of_any_column_order_and_extra_columns() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        first = connection.execute(text("SELECT 'x' AS extra, 'Ann' AS name, 7 AS id")).one()
        second = connection.execute(text("SELECT 8 AS id, 'memo' AS note, 'Bo' AS name")).one()
        again = connection.execute(text("SELECT 'y' AS extra, 'Cy' AS name, 9 AS id")).one()
    assert from_row(Pair, first) == Pair(7, "Ann")
    assert from_row(Pair, second) == Pair(8, "Bo", "memo")
    assert from_row(Pair, again) == Pair(9, "Cy")  # the same shape again, from what was kept of it


def test_mappings_by_name() -> None:
    assert from_row(Pair, {"name": "Di", "id": 3, "other": 1}) == Pair(3, "Di")
