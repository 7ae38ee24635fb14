"""The usage chart of the account page: inline SVG drawn on the server (no script, no image files).

Colours are presentation attributes (the page's stylesheet may refine them through the classes);
nothing uses a ``style`` attribute, which the pages' Content-Security-Policy forbids.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 230
LEFT, RIGHT, TOP, BOTTOM = 60, 10, 14, 34
GRID_LINES = 4


def nice_step(value: float) -> int:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ (whole numbers) at least ``value``."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= value and step == int(step):
            return int(step)
    return int(10 * power)


def short_number(value: int) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1000:
        return f"{value / 1000:g}k"
    return str(value)


def grouped(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def usage_chart(days: Sequence[tuple[dt.date, int]], quota: int | None = None) -> Markup:
    """Bars of requests per day (oldest first, the last one is today); the quota line when in reach."""
    counts = [count for _, count in days]
    busiest = max(counts, default=0)
    show_quota = quota is not None and busiest >= quota * 0.5
    reach = max(busiest, quota if show_quota and quota is not None else 0, 1)
    step = nice_step(reach / GRID_LINES)
    top = step * GRID_LINES
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    slot = plot_w / max(len(days), 1)

    def y_of(value: float) -> float:
        return base - value / top * plot_h

    total = sum(counts)
    if busiest:
        peak_day = days[counts.index(busiest)][0]
        summary = (
            f"{grouped(total)} requests in {len(days)} days; busiest {peak_day:%d %b}: {grouped(busiest)}."
        )
    else:
        summary = f"No requests in the last {len(days)} days."
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        ' aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg"'
        ' font-family="system-ui, sans-serif" font-size="12">',
        '<title id="chart-title">API requests per day, last 30 days</title>',
        f'<desc id="chart-desc">{escape(summary)}</desc>',
    ]
    for line in range(GRID_LINES + 1):
        value = step * line
        y = y_of(value)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"'
            ' stroke="#e3e7ee" stroke-width="1"/>'
        )
        parts.append(
            f'<text class="axis" x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#6b7280">'
            f"{short_number(value)}</text>"
        )
    last = len(days) - 1
    for index, (day, count) in enumerate(days):
        x = LEFT + index * slot
        height = count / top * plot_h
        if count and height < 2:
            height = 2  # a day with a few requests still shows
        kind = "bar today" if index == last else "bar"
        colour = "#2563eb" if index == last else "#93b4f5"
        label = f"{day:%a %d %b}: {grouped(count)} request{'' if count == 1 else 's'}"
        parts.append(
            f"<g><title>{escape(label)}</title>"
            f'<rect class="hit" x="{x:.1f}" y="{TOP}" width="{slot:.1f}" height="{plot_h}"'
            ' fill="transparent"/>'
            f'<rect class="{kind}" x="{x + slot * 0.15:.1f}" y="{base - height:.1f}" width="{slot * 0.7:.1f}"'
            f' height="{height:.1f}" rx="2" fill="{colour}"/></g>'
        )
        if (last - index) % 7 == 0:
            # Today's label ends at the chart's edge; the others are centred under their bar.
            text, anchor, at = (
                ("Today", "end", x + slot) if index == last else (f"{day:%d %b}", "middle", x + slot / 2)
            )
            parts.append(
                f'<text class="axis" x="{at:.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}" fill="#6b7280">'
                f"{escape(text)}</text>"
            )
    if show_quota and quota is not None:
        y = y_of(quota)
        parts.append(
            f'<line class="quota" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dc2626"'
            ' stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text class="quota-label" x="{WIDTH - RIGHT}" y="{y - 5:.1f}" text-anchor="end" fill="#dc2626">'
            f"daily quota {grouped(quota)}</text>"
        )
    if not busiest:
        parts.append(
            f'<text class="axis" x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h * 0.375 + 4:.1f}"'
            f' text-anchor="middle" fill="#9ca3af">{escape(summary)}</text>'
        )
    parts.append(
        f'<line class="baseline" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" stroke="#9ca3af"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text inside went through escape() or is a number


def progress_bar(used: int, quota: int | None) -> Markup:
    """A thin bar of today's share of the daily quota."""
    share = 0.0 if not quota else min(used / quota, 1.0)
    colour = "#dc2626" if share >= 0.9 else "#d97706" if share >= 0.7 else "#2563eb"
    return Markup(  # noqa: S704 - numbers only
        '<svg class="meter" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true"'
        ' xmlns="http://www.w3.org/2000/svg">'
        '<rect width="100" height="6" rx="3" fill="#e5e7eb"/>'
        f'<rect width="{share * 100:.2f}" height="6" rx="3" fill="{colour}"/></svg>'
    )
