"""The account page: plan, status, data centre, limits, today's usage and the last 30 days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.responses import Response

from planfix_server.admin.chart import progress_bar, usage_chart
from planfix_server.admin.site import Site, Visit
from planfix_server.api.context import zone
from planfix_server.domain.access.repository import AccessRepository
from planfix_server.domain.users.queries import UserQuery, visibility
from planfix_server.domain.users.repository import UserRepository
from planfix_server.pipeline.limits import per_second_item
from planfix_server.pipeline.usage import UsageRepository
from planfix_server.settings import Settings

DAYS = 30
STATUS_TEXT = {
    "active": ("Active", ""),
    "frozen": ("Frozen", "Every API call answers 0010 (the account is frozen)."),
    "maintenance": ("Maintenance", "Every API call answers 0011 (a software update is in progress)."),
}


@dataclass(frozen=True)
class Usage:
    today: int
    quota: int | None
    days: list[tuple[dt.date, int]]

    @property
    def share(self) -> str:
        if not self.quota:
            return ""
        return f"{self.today / self.quota:.1%}"


def per_second_text(settings: Settings) -> str:
    item = per_second_item(settings.requests_per_second, settings.rate_burst)
    if item is None:
        return "No per-second limit"
    seconds = item.get_expiry()
    per = "second" if seconds == 1 else f"{seconds} seconds"
    return f"{item.amount} request{'s' if item.amount > 1 else ''} per {per}"


def usage(site: Site, visit: Visit) -> Usage:
    account = visit.account
    today = visit.now.astimezone(zone(account.timezone)).date()
    since = today - dt.timedelta(days=DAYS - 1)
    history = UsageRepository(visit.connection, account.id).history(since)
    # The stored history lags by up to a few seconds; the limiter's counter is live (quota plans).
    live = max(site.server.limiter.used_today(account, visit.now), history.get(today, 0))
    days = [(since + dt.timedelta(days=n), history.get(since + dt.timedelta(days=n), 0)) for n in range(DAYS)]
    days[-1] = (today, live)
    return Usage(live, site.server.settings.plan_quotas.get(account.plan), days)


def overview(site: Site, visit: Visit) -> Response:
    settings = site.server.settings
    account = visit.account
    used = usage(site, visit)
    access = visit.uow.get(AccessRepository)
    keys = access.keys()
    tokens = access.tokens()
    users = visit.uow.get(UserRepository)
    _, active_users = users.list_users(UserQuery(status="ACTIVE"), visibility(visit.user, set()), 0, None)
    status, status_note = STATUS_TEXT.get(account.status, (account.status.title(), ""))
    return site.render(
        visit,
        "overview.html",
        section="overview",
        usage=used,
        chart=usage_chart(used.days, used.quota),
        meter=progress_bar(used.today, used.quota),
        per_second=per_second_text(settings),
        status=status,
        status_note=status_note,
        served_here=account.data_centre == settings.data_centre,
        here=settings.data_centre,
        live_keys=sum(1 for key in keys if not key.blocked),
        blocked_keys=sum(1 for key in keys if key.blocked),
        live_tokens=sum(1 for token in tokens if token.revoked_at is None),
        active_users=active_users,
        api_url=f"{visit.request.base_url}xml/",
    )
