"""Every setting of the server, declared once.

The table below is the single source: the environment (``PLANFIX_<NAME>``), the command line
and the generated page ``docs/settings.md`` all read it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_PREFIX = "PLANFIX_"


def _parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {text!r}")


def _parse_quotas(text: str) -> dict[str, int]:
    quotas: dict[str, int] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        plan, _, number = part.partition("=")
        quotas[plan.strip()] = int(number)
    return quotas


def _format_quotas(quotas: Mapping[str, int]) -> str:
    return ",".join(f"{plan}={number}" for plan, number in quotas.items())


def _parse_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


@dataclass(frozen=True)
class SettingSpec:
    name: str
    type_name: str
    default: Any
    help: str
    parse: Callable[[str], Any]
    render: Callable[[Any], str] = str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


def _spec(name: str, type_name: str, default: Any, help: str, **kw: Any) -> SettingSpec:
    parsers: dict[str, Callable[[str], Any]] = {
        "int": int,
        "float": float,
        "str": str,
        "bool": _parse_bool,
        "list": _parse_list,
        "quotas": _parse_quotas,
    }
    renders: dict[str, Callable[[Any], str]] = {
        "bool": lambda v: "1" if v else "0",
        "list": lambda v: ",".join(v),
        "quotas": _format_quotas,
    }
    return SettingSpec(
        name, type_name, default, help, kw.get("parse", parsers[type_name]), renders.get(type_name, str)
    )


SETTINGS: tuple[SettingSpec, ...] = (
    _spec("data_dir", "str", "planfix-data", "Directory for the SQLite file, TLS certificate and blobs."),
    _spec(
        "db_url",
        "str",
        "",
        "SQLAlchemy database URL (`postgresql+psycopg://…`). Empty: SQLite file `planfix.sqlite3` in the "
        "data directory.",
    ),
    _spec(
        "redis_url",
        "str",
        "",
        "Redis URL for rate-limit counters shared by several workers. Empty: counters in process memory.",
    ),
    _spec("host", "str", "127.0.0.1", "Address the server listens on."),
    _spec("port", "int", 8443, "Port the server listens on."),
    _spec("workers", "int", 1, "Number of worker processes."),
    _spec("cert_file", "str", "", "TLS certificate (PEM). Empty: a self-signed one under `<data dir>/tls/`."),
    _spec("key_file", "str", "", "TLS private key (PEM) for `cert_file`."),
    _spec(
        "plain_http",
        "bool",
        False,
        "Listen with plain HTTP instead of TLS. Allowed only on a loopback address (sandbox use).",
    ),
    _spec(
        "proxy_headers",
        "bool",
        False,
        "Trust `X-Forwarded-Proto`/`X-Forwarded-For` from `forwarded_allow_ips` (TLS-terminating proxy).",
    ),
    _spec("forwarded_allow_ips", "str", "127.0.0.1", "Comma-separated proxy addresses trusted for headers."),
    _spec(
        "data_centre",
        "str",
        "local",
        "Name of this installation's data centre; accounts placed elsewhere answer `0024`.",
    ),
    _spec(
        "requests_per_second",
        "float",
        1.0,
        "Per-account request rate; over it the answer is `0007`. 0 turns the per-second limit off.",
    ),
    _spec("rate_burst", "int", 0, "Extra requests allowed above `requests_per_second` within one second."),
    _spec(
        "plan_quotas",
        "quotas",
        {"standard": 20000, "professional": 50000, "premium": 100000},
        "Daily request quota per plan (`plan=number,…`); a plan not listed has no daily limit.",
    ),
    _spec(
        "remaining_refresh_seconds",
        "int",
        600,
        "How often the `X-RateLimit-Remaining` header's snapshot of the daily quota is refreshed.",
    ),
    _spec("session_ttl_seconds", "int", 3600, "Lifetime of a `sid` from `auth.login`, counted from issue."),
    _spec(
        "auth_failures_per_minute",
        "int",
        20,
        "Failed authentications allowed per client address per minute; beyond it every request from "
        "that address answers `0007` until the minute passes. 0 turns the throttle off.",
    ),
    _spec(
        "max_body_bytes",
        "int",
        1_048_576,
        "Largest request body accepted; larger bodies answer `0003` (requests that carry files: "
        "`max_file_request_bytes`).",
    ),
    _spec(
        "max_file_request_bytes",
        "int",
        67_108_864,
        "Largest body of a request that carries files (`file.upload`, `handbook.addRecord`, "
        "`handbook.updateRecord`); larger bodies answer `0003`. Other requests keep `max_body_bytes`.",
    ),
    _spec("max_file_bytes", "int", 33_554_432, "Largest single file accepted; larger files answer `9003`."),
    _spec("files_dir", "str", "", "Directory of the files' contents. Empty: `files` in the data directory."),
    _spec(
        "max_xml_depth", "int", 32, "Deepest element nesting accepted in a request; deeper answers `0003`."
    ),
    _spec(
        "page_size_over_limit",
        "str",
        "clamp",
        "What a `pageSize` above 100 does: `clamp` serves 100 items, `error` answers `0021`.",
    ),
    _spec(
        "error_messages",
        "bool",
        False,
        "Put a human-readable text in `<message>` of error answers. Off: `<message/>`, as the real service.",
    ),
    _spec(
        "language",
        "str",
        "en",
        "Language of the texts the API writes for display: status names, checkbox `Yes`/`No` in custom "
        "fields (`en` or `ru`; planfix.com and planfix.ru accounts).",
    ),
    _spec(
        "task_list_default_sort",
        "str",
        "NUMBER_DESC",
        "Order of `task.getList` when the request names no `sort` (any of its sort values).",
    ),
    _spec(
        "task_status_for_assignee",
        "str",
        "own",
        "The `status` an assignee reads where statuses are split per assignee: `own` (his own, e.g. "
        "In progress once he accepted) or `task` (the task's, New until every assignee accepted).",
    ),
    _spec(
        "task_update_empty",
        "str",
        "keep",
        "What an empty element does in `task.update`: `keep` leaves the field as it is (what template "
        "clients need), `clear` empties it.",
    ),
    _spec(
        "task_check_result_default",
        "str",
        "auto",
        "`checkResult` of a new task that does not give it: `auto` (1 when someone other than the "
        "owner is assigned, else 0), `0` or `1`.",
    ),
    _spec(
        "contact_access_activation",
        "str",
        "invite",
        "How a contact's PlanFix access opened by `contact.managePlanfixAccess` becomes active: `invite` "
        "(it stays invited, `NOTICE_SEND`, until `planfix-server contact-access activate` or a fixture "
        "activates it; no e-mail is sent) or `immediate` (active at once, the answer is `ACTIVE`).",
    ),
    _spec("max_concurrent_requests", "int", 64, "Requests one worker processes at once; more wait in line."),
    _spec(
        "max_waiting_requests",
        "int",
        512,
        "Requests one worker lets wait in line beyond `max_concurrent_requests`; more are refused with "
        "HTTP 503 and `Retry-After: 1` before their body is read. 0 turns the refusal off.",
    ),
    _spec(
        "transaction_retries",
        "int",
        4,
        "Times a request's transaction is run again when the database aborts it for a conflict "
        "(PostgreSQL serialization failure or deadlock, SQLite busy); the client sees only the last "
        "attempt. 0: never.",
    ),
    _spec(
        "db_ping_idle_seconds",
        "float",
        1.0,
        "PostgreSQL: a pooled connection idle this long is tested (`SELECT 1`) before a request uses "
        "it, so one the database dropped meanwhile is replaced unseen; busier connections skip the "
        "round trip, so after a database restart one request per busy connection may answer `0103`. "
        "0: test before every request.",
    ),
    _spec(
        "redis_failure",
        "str",
        "open",
        "What the rate limits do while Redis does not answer: `open` counts in each worker's memory "
        "(as without Redis) until Redis answers again; `closed` answers `0007` to every request meanwhile.",
    ),
    _spec("argon2_time_cost", "int", 3, "Argon2 time cost for new password hashes."),
    _spec("argon2_memory_kib", "int", 65536, "Argon2 memory cost (KiB) for new password hashes."),
    _spec(
        "demo_account", "str", "demo", "Name of the demo account created on first start of an empty database."
    ),
    _spec("create_demo", "bool", True, "Create the demo account when `serve` starts on an empty database."),
    _spec(
        "sandbox",
        "bool",
        False,
        "Sandbox mode: the control plane under `/_sandbox/` (loopback only) and test-friendly defaults.",
    ),
    _spec(
        "secret_key",
        "str",
        "",
        "Key that signs the account pages' cookies and the files' download links; all workers and hosts "
        "must share it (changing it breaks every link given out). Empty: a random key kept in "
        "`<data dir>/secret.key`.",
    ),
    _spec("log_level", "str", "info", "Log level: debug, info, warning, error."),
)

SETTINGS_BY_NAME = {spec.name: spec for spec in SETTINGS}


@dataclass(frozen=True)
class Settings:
    data_dir: str = "planfix-data"
    db_url: str = ""
    redis_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8443
    workers: int = 1
    cert_file: str = ""
    key_file: str = ""
    plain_http: bool = False
    proxy_headers: bool = False
    forwarded_allow_ips: str = "127.0.0.1"
    data_centre: str = "local"
    requests_per_second: float = 1.0
    rate_burst: int = 0
    plan_quotas: dict[str, int] = field(
        default_factory=lambda: {"standard": 20000, "professional": 50000, "premium": 100000}
    )
    remaining_refresh_seconds: int = 600
    session_ttl_seconds: int = 3600
    auth_failures_per_minute: int = 20
    max_body_bytes: int = 1_048_576
    max_file_request_bytes: int = 67_108_864
    max_file_bytes: int = 33_554_432
    files_dir: str = ""
    max_xml_depth: int = 32
    page_size_over_limit: str = "clamp"
    error_messages: bool = False
    language: str = "en"
    task_list_default_sort: str = "NUMBER_DESC"
    task_status_for_assignee: str = "own"
    task_update_empty: str = "keep"
    task_check_result_default: str = "auto"
    contact_access_activation: str = "invite"
    max_concurrent_requests: int = 64
    max_waiting_requests: int = 512
    transaction_retries: int = 4
    db_ping_idle_seconds: float = 1.0
    redis_failure: str = "open"
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    demo_account: str = "demo"
    create_demo: bool = True
    sandbox: bool = False
    secret_key: str = ""
    log_level: str = "info"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in SETTINGS:
            if spec.env in environ:
                try:
                    values[spec.name] = spec.parse(environ[spec.env])
                except ValueError as exc:
                    raise ValueError(f"{spec.env}: {exc}") from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def to_env(self) -> dict[str, str]:
        """The settings as environment variables (how worker processes receive them)."""
        return {spec.env: spec.render(getattr(self, spec.name)) for spec in SETTINGS}

    @property
    def database_url(self) -> str:
        if self.db_url:
            return self.db_url
        return f"sqlite:///{Path(self.data_dir).resolve() / 'planfix.sqlite3'}"

    @property
    def files_path(self) -> Path:
        """Where the files' contents live."""
        return Path(self.files_dir) if self.files_dir else Path(self.data_dir) / "files"


def _check_table_matches_dataclass() -> None:
    names = {f.name for f in dataclasses.fields(Settings)}
    declared = set(SETTINGS_BY_NAME)
    if names != declared:
        raise RuntimeError(f"settings table and Settings differ: {sorted(names ^ declared)}")
    defaults = Settings()
    for spec in SETTINGS:
        if getattr(defaults, spec.name) != spec.default:
            raise RuntimeError(f"default of {spec.name} differs between table and Settings")


_check_table_matches_dataclass()
