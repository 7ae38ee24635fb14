"""The account pages' parts that need no database: signing, the secret key file, the throttle, the chart."""

from __future__ import annotations

import datetime as dt
import os
import stat
import threading
from pathlib import Path

import pytest
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from lxml import etree

from planfix_server.admin.auth import SignInThrottle
from planfix_server.admin.chart import nice_step, usage_chart
from planfix_server.admin.sign_in import safe_next
from planfix_server.admin.signing import SECRET_FILE, Signer, secret_key
from planfix_server.settings import Settings

NOW = 1_800_000_000.0


def test_signed_values_round_trip_and_carry_their_expiry() -> None:
    signer = Signer(b"k" * 32, "session")
    value = signer.sign({"a": 1, "u": 2}, NOW + 60)
    assert signer.unsign(value, NOW) == {"a": 1, "u": 2, "x": int(NOW + 60)}
    assert signer.unsign(value, NOW + 60) is None  # expired at its expiry
    assert signer.unsign(value, NOW + 3600) is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda v: v[:-1] + ("A" if v[-1] != "A" else "B"),  # MAC changed
        lambda v: ("e" if v[0] != "e" else "f") + v[1:],  # payload changed
        lambda v: v.replace(".", ""),
        lambda v: v + ".x",
        lambda v: "",
        lambda v: "not base64!.abc",
    ],
)
def test_tampered_values_are_refused(mangle: object) -> None:
    signer = Signer(b"k" * 32, "session")
    value = signer.sign({"a": 1}, NOW + 60)
    assert signer.unsign(mangle(value), NOW) is None  # type: ignore[operator]


def test_a_value_signed_for_one_purpose_or_key_does_not_pass_for_another() -> None:
    value = Signer(b"k" * 32, "notice").sign({"m": "hello"}, NOW + 60)
    assert Signer(b"k" * 32, "session").unsign(value, NOW) is None
    assert Signer(b"j" * 32, "notice").unsign(value, NOW) is None


def test_secret_key_is_made_once_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path / "data"))
    first = secret_key(settings)
    path = tmp_path / "data" / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) == 64
    assert secret_key(settings) == first
    assert [p.name for p in path.parent.iterdir()] == [SECRET_FILE]  # no temporary files left


def test_secret_key_setting_wins_over_the_file(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path), secret_key="shared-by-all-workers-and-hosts-0123456789")
    assert secret_key(settings) == b"shared-by-all-workers-and-hosts-0123456789"
    assert not (tmp_path / SECRET_FILE).exists()


def test_workers_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path))
    found: list[bytes] = []
    threads = [threading.Thread(target=lambda: found.append(secret_key(settings))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1
    assert os.listdir(tmp_path) == [SECRET_FILE]


def test_throttle_per_login_and_per_address() -> None:
    throttle = SignInThrottle(
        MemoryStorage(),
        per_login=RateLimitItemPerMinute(2, namespace="T"),
        per_address=RateLimitItemPerMinute(3, namespace="T"),
    )
    assert throttle.wait_seconds("10.0.0.1", "acme", "owner") == 0
    throttle.failed("10.0.0.1", "acme", "owner")
    throttle.failed("10.0.0.2", "ACME", "Owner ")  # the same account and login, another address
    assert 0 < throttle.wait_seconds("10.0.0.3", "acme", "owner") <= 60
    assert throttle.wait_seconds("10.0.0.3", "acme", "other") == 0
    throttle.failed("10.0.0.1", "acme", "a")
    throttle.failed("10.0.0.1", "acme", "b")
    assert throttle.wait_seconds("10.0.0.1", "acme", "c") > 0  # that address used up its allowance
    assert throttle.wait_seconds("10.0.0.9", "acme", "c") == 0


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("/account/keys", "/account/keys"),
        ("", "/account/"),
        ("https://evil.example/", "/account/"),
        ("//evil.example/account/", "/account/"),
        ("/account//evil.example", "/account/"),
        ("/account/\\evil", "/account/"),
        ("/xml/", "/account/"),
    ],
)
def test_only_our_pages_are_followed_after_sign_in(given: str, kept: str) -> None:
    assert safe_next(given) == kept


@pytest.mark.parametrize(
    ("value", "step"), [(0, 1), (1, 1), (3, 5), (12, 20), (250, 250), (251, 500), (4001, 5000)]
)
def test_nice_steps(value: float, step: int) -> None:
    assert nice_step(value) == step


def days(counts: list[int]) -> list[tuple[dt.date, int]]:
    start = dt.date(2026, 3, 1)
    return [(start + dt.timedelta(days=n), count) for n, count in enumerate(counts)]


def test_the_chart_is_svg_with_a_bar_and_a_tooltip_per_day() -> None:
    svg = etree.fromstring(str(usage_chart(days([0] * 29 + [7]), quota=20000)).encode())
    ns = {"s": "http://www.w3.org/2000/svg"}
    bars = svg.findall(".//s:rect[@class='bar']", ns) + svg.findall(".//s:rect[@class='bar today']", ns)
    assert len(bars) == 30
    assert svg.find(".//s:rect[@class='bar today']", ns).get("height") != "0.0"
    titles = [t.text for t in svg.findall(".//s:g/s:title", ns)]
    assert titles[-1] == "Mon 30 Mar: 7 requests" and titles[0] == "Sun 01 Mar: 0 requests"
    assert "7 requests in 30 days" in svg.find("s:desc", ns).text
    assert (
        svg.find(".//s:line[@class='quota']", ns) is None
    )  # far below the quota: no line squashing the bars
    assert "style=" not in etree.tostring(svg).decode()  # the pages' CSP forbids inline styles


def test_the_quota_line_shows_when_usage_comes_near_it() -> None:
    svg = etree.fromstring(str(usage_chart(days([100] * 29 + [900]), quota=1000)).encode())
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert svg.find(".//s:line[@class='quota']", ns) is not None
    assert "daily quota 1\u202f000" in etree.tostring(svg, encoding="unicode")


def test_an_empty_month_still_draws() -> None:
    svg = str(usage_chart(days([0] * 30)))
    assert "No requests in the last 30 days." in svg
