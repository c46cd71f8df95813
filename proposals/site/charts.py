"""
Charts drawn on the server as SVG: no script, no library, nothing fetched from elsewhere.

They work offline, in print and under a strict Content-Security-Policy: colours come from classes
styled by the site's stylesheet (never a style attribute), and every chart has a text equivalent
(a title and description, and the figures as a table on the page).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from proposals.selectors import MonthCounts
from proposals.site.date_display import precise_date
from proposals.workflow import Precision, Status

# The drawing area of the status chart, in SVG user units (it scales to its container).
WIDTH, HEIGHT = 600, 250
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 10, 26


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 times a power of ten that is at least `value` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def status_chart(months: Sequence[MonthCounts], *, title_id: str) -> SafeString:
    """A stacked area chart of the number of proposals in each status, month by month.

    The statuses stack in workflow order, from the bottom. `title_id` prefixes the ids of the
    SVG's title and description (a page may show two charts).
    """
    if not months:
        return mark_safe("")
    largest = _nice_ceiling(max(month.total for month in months))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    steps = max(len(months) - 1, 1)

    def x(index: int) -> float:
        return LEFT + plot_width * index / steps

    def y(value: float) -> float:
        return TOP + plot_height * (1 - value / largest)

    parts: list[str] = []
    first, last = months[0], months[-1]
    description = ", ".join(
        f"{last.counts.get(status, 0)} {status.label.lower()}"
        for status in Status
        if last.counts.get(status, 0)
    )
    title = _("Proposals in each status, month by month, from %(start)s to %(end)s") % {
        "start": precise_date(first.month, Precision.MONTH),
        "end": precise_date(last.month, Precision.MONTH),
    }
    summary = _("At the end: %(counts)s.") % {"counts": description or _("none")}
    parts.append(
        f'<svg class="chart status-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id}-title {title_id}-desc" focusable="false">'
        f'<title id="{title_id}-title">{escape(title)}</title>'
        f'<desc id="{title_id}-desc">{escape(summary)}</desc>'
    )
    # Horizontal grid lines with their counts, at quarters of the scale.
    for quarter in range(5):
        value = largest * quarter / 4
        if value != int(value):
            continue
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_number(y(value))}" '
            f'y2="{_number(y(value))}"/>'
            f'<text class="axis-label" x="{LEFT - 6}" y="{_number(y(value) + 4)}" '
            f'text-anchor="end">{int(value)}</text>'
        )
    # One band per status: its top edge left to right, then the band below it back.
    below = [0] * len(months)
    for status in Status:
        above = [b + month.counts.get(status, 0) for b, month in zip(below, months, strict=True)]
        if above != below:
            top = " ".join(f"{_number(x(i))},{_number(y(v))}" for i, v in enumerate(above))
            bottom = " ".join(
                f"{_number(x(i))},{_number(y(v))}" for i, v in reversed(list(enumerate(below)))
            )
            parts.append(
                f'<polygon class="band fill-{status.value}" points="{top} {bottom}">'
                f"<title>{escape(str(status.label))}</title></polygon>"
            )
        below = above
    # Year marks along the bottom, thinned so that their labels never collide.
    years = [(i, month.month.year) for i, month in enumerate(months) if month.month.month == 1]
    if not years:
        years = [(0, first.month.year)]
    every = max(1, -(-len(years) * 44 // plot_width))  # labels need about 44 units each
    for i, year in years[::every]:
        parts.append(
            f'<line class="tick" x1="{_number(x(i))}" x2="{_number(x(i))}" '
            f'y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM + 4}"/>'
            f'<text class="axis-label" x="{_number(x(i))}" y="{HEIGHT - 6}" '
            f'text-anchor="middle">{year}</text>'
        )
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" '
        f'y2="{HEIGHT - BOTTOM}"/></svg>'
    )
    # Safe: the only text from data (labels, dates) went through html.escape; the rest is numbers.
    return mark_safe("".join(parts))


def changed_months(months: Sequence[MonthCounts]) -> list[MonthCounts]:
    """The months whose counts differ from the month before: the figures of the chart, without
    repeating a month that looks like its predecessor."""
    kept: list[MonthCounts] = []
    for month in months:
        if not kept or month.counts != kept[-1].counts:
            kept.append(month)
    return kept


@dataclass(frozen=True)
class Stretch:
    """A status held from `start` until `end` (exclusive: the next change, or today)."""

    status: Status
    start: datetime.date
    start_precision: str
    end: datetime.date
    current: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def duration(self) -> str:
        """How long, in words: "3 years 2 months", "5 months", "12 days"."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        if self.end.day < self.start.day:
            months -= 1
        if months <= 0:
            return ngettext("%(count)d day", "%(count)d days", self.days) % {"count": self.days}
        years, months = divmod(months, 12)
        words = []
        if years:
            words.append(ngettext("%(count)d year", "%(count)d years", years) % {"count": years})
        if months:
            words.append(
                ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
            )
        return " ".join(words)


def stretches(changes: Sequence[object], today: datetime.date) -> list[Stretch]:
    """A proposal's history as the stretches of time it spent in each status, oldest first.

    Several changes effective on the same day leave only the last as a stretch.
    """
    result: list[Stretch] = []
    for index, change in enumerate(changes):
        following = changes[index + 1] if index + 1 < len(changes) else None
        end = (
            following.effective_date if following is not None else max(today, change.effective_date)
        )
        if following is not None and end <= change.effective_date:
            continue
        result.append(
            Stretch(
                status=Status(change.to_status),
                start=change.effective_date,
                start_precision=change.effective_precision,
                end=end,
                current=following is None,
            )
        )
    return result


def time_strip(parts: Sequence[Stretch]) -> SafeString:
    """A thin bar, as wide as its container, cut into the stretches in proportion to their length.

    Each stretch is at least a sliver wide, so that a status held for a day still shows.
    """
    if not parts:
        return mark_safe("")
    total = sum(max(part.days, 1) for part in parts)
    minimum = total * 0.006
    widths = [max(part.days, 1, minimum) for part in parts]
    scale = 1000 / sum(widths)
    rects = []
    offset = 0.0
    for part, width in zip(parts, widths, strict=True):
        rects.append(
            f'<rect class="fill-{part.status.value}" x="{_number(offset)}" y="0" '
            f'width="{_number(width * scale)}" height="20">'
            f"<title>{escape(str(part.status.label))}: {escape(part.duration())}</title></rect>"
        )
        offset += width * scale
    # Safe: the labels and durations went through html.escape; the rest is numbers.
    return mark_safe(
        '<svg class="time-strip" viewBox="0 0 1000 20" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">' + "".join(rects) + "</svg>"
    )
