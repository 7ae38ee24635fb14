"""What a handler knows about the call it serves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from planfix_server.security import Passwords
from planfix_server.settings import Settings
from planfix_server.store.records import AccountRecord, UserRecord


@dataclass(frozen=True, slots=True)
class Call:
    """One authenticated call: who, in which account, when."""

    account: AccountRecord
    user: UserRecord
    now: dt.datetime
    request_id: str
    silent: bool = False
    base_url: str = ""
    settings: Settings = field(default_factory=Settings)
    passwords: Passwords | None = None
    # Run once the handler's transaction has committed (never on rollback): e.g. deleting blobs,
    # which must not go before the rows that name them are gone for good.
    on_commit: list[Callable[[], None]] = field(default_factory=list)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` after this call's transaction commits; failures are logged, not raised."""
        self.on_commit.append(callback)

    def hash_password(self, password: str) -> str:
        if self.passwords is None:
            raise RuntimeError("no password hasher in this call")
        return self.passwords.hash(password)

    @property
    def tz(self) -> ZoneInfo:
        """The calling user's time zone: wire dates are read and written in it."""
        return zone(self.user.timezone or self.account.timezone)

    @property
    def is_admin(self) -> bool:
        return self.user.role == "ADMIN"

    @property
    def is_contact(self) -> bool:
        """A contact signed in with its PlanFix access: the limited rights of 21-contacts.md."""
        return self.user.role == "CONTACT"

    def to_utc(self, local: dt.datetime) -> dt.datetime:
        """A naive datetime in the caller's zone -> aware UTC."""
        return local.replace(tzinfo=self.tz).astimezone(dt.UTC)


_ZONES: dict[str, ZoneInfo] = {}


def zone(name: str) -> ZoneInfo:
    found = _ZONES.get(name)
    if found is None:
        try:
            found = ZoneInfo(name or "UTC")
        except (KeyError, ValueError):
            found = ZoneInfo("UTC")
        _ZONES[name] = found
    return found
