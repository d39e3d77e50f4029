"""The people who approve: one self-contained HTML page, per licence an SVG timeline of its life
and its deadlines table, in Chinese and English side by side.

The only module that imports Jinja2, and only inside `render`. The drawing is data: `timeline`
is a pure function from a licence's life and deadlines to shapes with coordinates and labels;
the template (templates/report.html.j2, autoescaped) only writes the shapes out, escaped.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from licensecli.output.words import STATE_LABELS, STATUS_LABELS, WEEKDAYS, life_notice, source_line

if TYPE_CHECKING:
    import jinja2

    from licensecli.engine import Deadline
    from licensecli.life import Life
    from licensecli.models import License

# Statuses and states that must stand out: a colour, and always a mark and a word with it.
STAND_OUT = frozenset({"overdue", "missed", "expired", "grace"})
SOON = frozenset({"due_today", "due_soon", "open"})
ICONS = {
    **dict.fromkeys(STAND_OUT, "⚠"),
    **dict.fromkeys(SOON, "●"),
    "pending": "◐",
    "done": "✓",
    "passed": "–",
    "upcoming": "○",
}
STATE_ICONS = {"lapsed": "⚠", "pending": "◐", "valid": "✓", "not_yet_valid": "○"}

# The drawing's coordinate system (the SVG viewBox): a column of lane names, then the dates.
VIEW_WIDTH = 1000
PLOT_LEFT = 210.0
PLOT_RIGHT = 975.0
AXIS_TOP = 18.0  # the as-of label sits above, the year labels below it
AXIS_BOTTOM = 40.0
LANE_HEIGHT = 36.0  # a lane with one row of date labels; a second row adds ROW_HEIGHT
ROW_HEIGHT = 12.0
MARK_OFFSET = 12.0  # a mark's centre below the lane's top
MARK_RADIUS = 6.0
FONT = 11.0  # the date labels' size, for measuring them
LANE_LABEL_UNITS = 33.0  # what fits in the lane-name column, in FONT-sized Latin letters
LABEL_ROWS = 3  # rows of date labels under a lane's marks; what does not fit is counted


class Rect(NamedTuple):
    """A span of days: a validity period, a lapse, a yearly window, its grace month, a lane."""

    kind: str
    x: float
    y: float
    width: float
    height: float
    title: str = ""
    estimated: bool = False
    status: str = ""


class Line(NamedTuple):
    """A grid line, the as-of line, or the link from an event to its deadline."""

    kind: str
    x1: float
    y1: float
    x2: float
    y2: float


class Mark(NamedTuple):
    """A day: a deadline (a diamond, `points`), an event or a filing (a circle)."""

    kind: str
    x: float
    y: float
    status: str
    estimated: bool
    title: str
    points: str = ""


class Label(NamedTuple):
    """A piece of text in the drawing."""

    kind: str
    x: float
    y: float
    text: str
    anchor: str = "start"
    status: str = ""
    title: str = ""


class Timeline(NamedTuple):
    """One licence's life as shapes in a VIEW_WIDTH-wide drawing."""

    width: int
    height: float
    start: dt.date
    end: dt.date  # the day after the last one drawn
    rects: tuple[Rect, ...]
    lines: tuple[Line, ...]
    marks: tuple[Mark, ...]
    labels: tuple[Label, ...]
    as_of_x: float = 0.0  # where the as-of line stands, for a narrow screen to scroll to

    def layers(self) -> tuple[tuple[Rect | Line, ...], ...]:
        """The shapes in the order they are drawn, each over the ones before: the lanes, the
        year grid, the bands and windows, then the as-of line and the event links (marks and
        labels follow, over them all)."""
        lanes = tuple(r for r in self.rects if r.kind in ("lane", "lane-alt"))
        spans = tuple(r for r in self.rects if r.kind not in ("lane", "lane-alt"))
        grid = tuple(line for line in self.lines if line.kind == "grid")
        over = tuple(line for line in self.lines if line.kind != "grid")
        return lanes, grid, spans, over


class Scale(NamedTuple):
    """Days to x: `start` at PLOT_LEFT, `end` (exclusive) at PLOT_RIGHT."""

    start: dt.date
    end: dt.date

    def x(self, day: dt.date) -> float:
        """The x of the start of `day`."""
        span = (self.end - self.start).days
        return round(PLOT_LEFT + (day - self.start).days / span * (PLOT_RIGHT - PLOT_LEFT), 1)

    def span(self, first: dt.date, last: dt.date) -> tuple[float, float]:
        """x and width of the days `first` to `last`, both included."""
        left = self.x(first)
        return left, round(max(self.x(last + dt.timedelta(days=1)) - left, 1.0), 1)


def text_units(text: str) -> float:
    """The width of `text` in Latin letters: a Chinese character counts as two."""
    return sum(1.8 if unicodedata.east_asian_width(c) in "WF" else 1.0 for c in text)


def fitted(text: str, units: float) -> str:
    """`text`, cut with … to fit `units` Latin letters."""
    if text_units(text) <= units:
        return text
    kept = ""
    for char in text:
        if text_units(kept + char + "…") > units:
            break
        kept += char
    return kept + "…"


def both(zh: str, en: str) -> str:
    """Chinese then English, for a label or a tooltip."""
    return f"{zh} {en}"


def status_words(status: str) -> str:
    """已错过 MISSED."""
    en, zh = STATUS_LABELS[status]
    return both(zh, en)


def day_words(day: dt.date) -> str:
    """2025-10-23 周四 Thu."""
    return f"{day.isoformat()} {WEEKDAYS['zh'][day.weekday()]} {WEEKDAYS['en'][day.weekday()]}"


def time_range(life: Life, rows: Sequence[Deadline], as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The whole years a licence's drawing covers: its periods, every dated row and the as-of day."""
    days = [as_of, life.periods[0].start, life.periods[-1].end]
    for d in rows:
        days += [day for day in (d.due_date, d.window_start, d.event_date, d.done_on, d.grace_until) if day]
    return dt.date(min(days).year, 1, 1), dt.date(max(days).year + 1, 1, 1)


def year_step(scale: Scale) -> int:
    """Label every year, or every 2nd, 5th or 10th when years would crowd each other."""
    per_year = (PLOT_RIGHT - PLOT_LEFT) / max((scale.end.year - scale.start.year), 1)
    return next((step for step in (1, 2, 5) if per_year * step >= 44), 10)


class _Rows:
    """Places text under a lane's marks in rows, the first free one, so that no two overlap.
    What finds no free row is kept in `hidden`, to be counted where the lane is named."""

    def __init__(self, rows: int) -> None:
        self.ends = [float("-inf")] * rows
        self.used = 0
        self.hidden: list[str] = []

    def place(self, x: float, text: str) -> tuple[float, int] | None:
        """The centre x (kept inside the plot) and row for `text` at `x`, or None if no row is free."""
        half = text_units(text) * FONT * 0.3
        x = min(max(x, PLOT_LEFT + half), VIEW_WIDTH - half - 2)
        for row, end in enumerate(self.ends):
            if x - half >= end + 6:
                self.ends[row] = x + half
                self.used = max(self.used, row + 1)
                return x, row
        self.hidden.append(text)
        return None


def timeline(life: Life, rows: Sequence[tuple[Deadline, bool]], as_of: dt.date) -> Timeline:
    """A licence's life as shapes: a lane for its validity periods (a lapse between or after
    them), then a lane per obligation with its windows, grace months, events, filings and
    deadlines, and the as-of line across them all. Pure: the same data, the same drawing."""
    deadlines = [d for d, _ in rows]
    scale = Scale(*time_range(life, deadlines, as_of))
    rects: list[Rect] = []
    lines: list[Line] = []
    marks: list[Mark] = []
    labels: list[Label] = []
    top = AXIS_BOTTOM + 4

    lanes: dict[str, list[Deadline]] = {}
    for d in deadlines:
        lanes.setdefault(d.obligation, []).append(d)

    height = _validity_lane(life, as_of, scale, top, rects, labels)
    for number, found in enumerate(lanes.values(), 1):
        y = top + height
        height += _obligation_lane(found, scale, y, number, rects, lines, marks, labels)
    bottom = top + height

    step = year_step(scale)
    for year in range(scale.start.year, scale.end.year + 1):
        x = scale.x(dt.date(year, 1, 1))
        lines.insert(0, Line("grid", x, AXIS_TOP + 4, x, bottom))
        if year % step == 0 and year < scale.end.year:
            labels.append(Label("year", x + 4, AXIS_BOTTOM - 6, str(year)))
    today = scale.x(as_of)
    lines.append(Line("today", today, AXIS_TOP - 2, today, bottom))
    text = f"截至 As of {as_of.isoformat()}"
    anchor = "middle"
    if today - text_units(text) * FONT * 0.3 < PLOT_LEFT:
        anchor = "start"
    elif today + text_units(text) * FONT * 0.3 > VIEW_WIDTH:
        anchor = "end"
    labels.append(Label("today", today, AXIS_TOP - 6, text, anchor))
    return Timeline(
        VIEW_WIDTH,
        round(bottom + 4, 1),
        scale.start,
        scale.end,
        tuple(rects),
        tuple(lines),
        tuple(marks),
        tuple(labels),
        today,
    )


def _lane_name(zh: str, en: str, y: float, labels: list[Label]) -> None:
    labels.append(Label("lane", 8, y + 14, fitted(zh, LANE_LABEL_UNITS * 0.95)))
    labels.append(Label("lane-en", 8, y + 27, fitted(en, LANE_LABEL_UNITS * 1.05)))


def _validity_lane(
    life: Life, as_of: dt.date, scale: Scale, y: float, rects: list[Rect], labels: list[Label]
) -> float:
    """The validity periods as bands, a lapse between two of them or after the last, and a
    renewal filed in time waiting past the expiry (deemed approved). Returns the lane's height."""
    lane = len(rects)
    rects.append(Rect("lane", 0, y, VIEW_WIDTH, LANE_HEIGHT))
    _lane_name("有效期", "Validity periods", y, labels)
    band_y, band_h = y + 5, 18.0
    previous: dt.date | None = None
    for period in life.periods:
        if previous is not None and not period.continuous and period.start > previous + dt.timedelta(days=1):
            x, width = scale.span(previous + dt.timedelta(days=1), period.start - dt.timedelta(days=1))
            words = f"已失效 lapsed {previous + dt.timedelta(days=1)} – {period.start - dt.timedelta(days=1)}"
            rects.append(Rect("lapse", x, band_y, width, band_h, words, status="lapsed"))
        x, width = scale.span(period.start, period.end)
        words = f"{period.start.isoformat()} – {period.end.isoformat()}"
        rects.append(Rect("period", x, band_y, width, band_h, f"有效期 Valid {words}"))
        if text_units(words) * FONT * 0.6 + 8 <= width:
            labels.append(Label("band", x + width / 2, band_y + 13, words, "middle"))
        previous = period.end
    last = life.periods[-1].end
    after = last + dt.timedelta(days=1)
    if as_of >= after and life.state in ("lapsed", "pending"):
        x, width = scale.span(after, max(as_of, after))
        if life.state == "lapsed":
            words = f"⚠ 已失效 LAPSED {after}"
            rects.append(Rect("lapse", x, band_y, width, band_h, words, status="lapsed"))
        else:
            words = f"◐ 续办待审批 renewal pending (filed {life.filed_on})"
            rects.append(Rect("waiting", x, band_y, width, band_h, words, status="pending"))
        text = words.split(" (")[0]
        if text_units(text) * FONT * 0.62 + 8 <= width:  # inside the band, white on its colour
            labels.append(Label("state", x + 4, band_y + 13, text, status=life.state))
        else:  # under it, ending where it ends
            labels.append(Label("state-out", x + width, band_y + 30, text, "end", life.state))
            rects[lane] = rects[lane]._replace(height=LANE_HEIGHT + ROW_HEIGHT)
            return LANE_HEIGHT + ROW_HEIGHT
    return LANE_HEIGHT


def _obligation_lane(
    found: list[Deadline],
    scale: Scale,
    y: float,
    number: int,
    rects: list[Rect],
    lines: list[Line],
    marks: list[Mark],
    labels: list[Label],
) -> float:
    """One obligation's windows, grace months, events, filings and deadlines, with a date under
    each deadline (and its status when it stands out). Returns the lane's height."""
    lane = Rect("lane" if number % 2 else "lane-alt", 0, y, VIEW_WIDTH, LANE_HEIGHT)  # grown below
    rects.append(lane)
    first = found[0]
    _lane_name(first.title.zh, first.title.en, y, labels)
    cy = y + MARK_OFFSET
    placer = _Rows(LABEL_ROWS)
    texts: list[tuple[float, str, str, str]] = []
    for d in sorted(found, key=lambda d: d.due_date):
        due = d.due_date
        what = f"{d.title.zh} {d.title.en} — 截止 due {day_words(due)} — {status_words(d.status)}"
        if d.estimated:
            what += " — ≈ 估算 estimated"
        if d.window_start is not None:
            x, width = scale.span(d.window_start, due)
            window = f"办理期 window {d.window_start} – {due}"
            rects.append(Rect("window", x, cy - 7, width, 14, window, d.estimated, d.status))
        if d.grace_until is not None and d.grace_until > due:
            x, width = scale.span(due + dt.timedelta(days=1), d.grace_until)
            grace = f"补报期 late filing accepted {due + dt.timedelta(days=1)} – {d.grace_until}"
            rects.append(Rect("grace", x, cy - 7, width, 14, grace, d.estimated, d.status))
        if d.event_date is not None:
            ex = scale.x(d.event_date)
            lines.append(Line("link", ex, cy, scale.x(due), cy))
            at = f" {d.event_at}" if d.event_at else ""
            marks.append(
                Mark("event", ex, cy, d.status, False, f"事件 event {d.event_date}{at}: {d.title.en}")
            )
        x = scale.x(due)
        r = MARK_RADIUS
        points = f"{x},{cy - r} {x + r},{cy} {x},{cy + r} {x - r},{cy}"
        marks.append(Mark("deadline", x, cy, d.status, d.estimated, what, points))
        if d.done_on is not None:
            done = f"已办 done {d.done_on}"
            marks.append(Mark("done", scale.x(d.done_on), cy, "done", False, done))
        date = ("≈" if d.estimated else "") + due.isoformat() + (" 估算 est." if d.estimated else "")
        texts.append((x, date, "date", d.status))
        if d.status in STAND_OUT:
            texts.append((x, f"{ICONS[d.status]} {status_words(d.status)}", "status", d.status))
    late = ""
    for x, text, kind, status in texts:
        placed = placer.place(x, text)
        if placed is not None:
            labels.append(Label(kind, placed[0], cy + 18 + placed[1] * ROW_HEIGHT, text, "middle", status))
        elif kind == "status" and not late:
            late = status
    if placer.hidden:  # never silently: a count where the lane is named, the words in its tooltip
        labels.append(_hidden_label(placer.hidden, late, cy + 18 + (LABEL_ROWS - 1) * ROW_HEIGHT))
    height = LANE_HEIGHT + max(placer.used - 1, 0) * ROW_HEIGHT
    rects[rects.index(lane)] = lane._replace(height=height)
    return height


def _hidden_label(hidden: list[str], late: str, y: float) -> Label:
    """'+2 未显示 hidden' in the lane-name column, and with ⚠ and the first late status word
    hidden when one of the hidden labels says a deadline is late."""
    text = f"+{len(hidden)} 未显示 hidden"
    if late:
        text = f"{ICONS[late]} {text}: {status_words(late)}"
    title = "未显示的标注（见下表） Labels not shown (see the table): " + "; ".join(hidden)
    return Label("more", 8, y, fitted(text, LANE_LABEL_UNITS), status=late, title=title)


# --- the page --------------------------------------------------------------------------------


class Row(NamedTuple):
    """One deadline as the table shows it, every word in both languages."""

    due: str
    weekday: str
    time: str
    days_left: int
    working_days_left: str
    status: str
    status_zh: str
    status_en: str
    icon: str
    stand_out: bool
    title_zh: str
    title_en: str
    obligation: str
    clause: str
    details: tuple[tuple[str, str], ...]
    estimated: bool


class LicencePage(NamedTuple):
    """One licence's part of the report."""

    anchor: str
    number: str
    holder: str
    kind: str
    state: str
    state_zh: str
    state_en: str
    state_icon: str
    notice_zh: str | None
    notice_en: str | None
    periods: tuple[tuple[str, str], ...]
    timeline: Timeline
    rows: tuple[Row, ...]
    history: tuple[Row, ...]
    attention: int
    late: tuple[Row, ...]  # the current deadlines that stand out (overdue, missed, expired, grace)
    next_row: Row | None  # the next one not yet due


def row(d: Deadline) -> Row:
    """The table's words for one deadline."""
    details: list[tuple[str, str]] = []
    if d.window_start is not None:
        details.append(
            (f"办理期 {d.window_start} 至 {d.due_date}", f"window {d.window_start} – {d.due_date}")
        )
    if d.grace_until is not None:
        details.append((f"补报至 {d.grace_until}", f"late filing accepted until {d.grace_until}"))
    if d.event_date is not None:
        at = f" {d.event_at}" if d.event_at else ""
        details.append((f"事件日期 {d.event_date}{at}", f"event on {d.event_date}{at}"))
    if d.done_on is not None:
        details.append((f"已办理 {d.done_on}", f"done on {d.done_on}"))
    if d.estimated:
        details.append(("日期为估算（放假安排未公布）", "estimated date (no published holiday schedule)"))
    if d.source == "regulation":
        details.append(
            (source_line(d.clause, d.source, d.basis, "zh"), source_line(d.clause, d.source, d.basis, "en"))
        )
    en, zh = STATUS_LABELS[d.status]
    left = ("≈" if d.working_days_left_estimated else "") + str(d.working_days_left)
    return Row(
        due=d.due_date.isoformat(),
        weekday=f"{WEEKDAYS['zh'][d.due_date.weekday()]} {WEEKDAYS['en'][d.due_date.weekday()]}",
        time=d.due_at.strftime("%H:%M") if d.due_at is not None else "",
        days_left=d.days_left,
        working_days_left=left,
        status=d.status,
        status_zh=zh,
        status_en=en,
        icon=ICONS[d.status],
        stand_out=d.status in STAND_OUT,
        title_zh=d.title.zh,
        title_en=d.title.en,
        obligation=d.obligation,
        clause=d.clause,
        details=tuple(details),
        estimated=d.estimated,
    )


def licence_page(
    index: int, lic: License, life: Life, rows: Sequence[tuple[Deadline, bool]], as_of: dt.date
) -> LicencePage:
    """What the report shows of one licence: its state, the notice, the drawing and the tables."""
    ordered = sorted(rows, key=lambda item: (item[0].due_date, item[0].obligation))
    shown = tuple(row(d) for d, by_default in ordered if by_default)
    en, zh = STATE_LABELS[life.state]
    attention = [r for r in shown if r.status in STAND_OUT or r.status in SOON]
    upcoming = [r for r in shown if r.days_left >= 0 and r.status not in ("done", "passed")]
    return LicencePage(
        anchor=f"licence-{index}",
        number=lic.number,
        holder=lic.holder,
        kind=lic.kind,
        state=life.state,
        state_zh=zh,
        state_en=en,
        state_icon=STATE_ICONS[life.state],
        notice_zh=life_notice(lic.number, life, "zh"),
        notice_en=life_notice(lic.number, life, "en"),
        periods=tuple((p.start.isoformat(), p.end.isoformat()) for p in life.periods),
        timeline=timeline(life, rows, as_of),
        rows=shown,
        history=tuple(row(d) for d, by_default in ordered if not by_default),
        attention=len(attention),
        late=tuple(r for r in shown if r.stand_out),
        next_row=upcoming[0] if upcoming else None,
    )


class Subject(NamedTuple):
    """A licence, its life on the as-of day and every dated deadline with whether it is current
    (engine.license_deadlines)."""

    licence: License
    life: Life
    deadlines: Sequence[tuple[Deadline, bool]]


def render(subjects: Sequence[Subject], as_of: dt.date, estimated_years: str, version: str) -> str:
    """The whole report as one HTML document (no network: inline CSS, inline SVG)."""
    from licensecli.output.words import estimate_warning

    pages = [licence_page(i, s.licence, s.life, s.deadlines, as_of) for i, s in enumerate(subjects, 1)]
    estimate = None
    if estimated_years:
        estimate = tuple(
            estimate_warning(estimated_years, lang).removeprefix("warning: ") for lang in ("zh", "en")
        )
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            pages=pages,
            as_of=as_of.isoformat(),
            as_of_weekday=day_words(as_of).partition(" ")[2],
            estimate=estimate,
            version=version,
            status_labels=STATUS_LABELS,
            icons=ICONS,
        )
    )


def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("licensecli.output", "templates"),
        autoescape=True,  # every value is text: a holder named <script> is shown, never run
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
