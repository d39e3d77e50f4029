"""report: the timeline's geometry with hand-worked dates, the page of a folder of three licences
(lapsed, renewal pending, healthy) in both languages, escaping, no network, and the page as a real
browser (headless Chromium) renders it."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from licensecli.engine import Deadline
from licensecli.life import Life
from licensecli.loader import load_license
from licensecli.models import Period
from licensecli.output import report
from licensecli.output.report import PLOT_LEFT, PLOT_RIGHT, Scale, timeline

from .conftest import BUNDLED, run, run_process

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
AS_OF = "2025-06-01"
D = dt.date


# --- geometry ----------------------------------------------------------------------------------
# A drawing from 2021-01-01 to 2023-01-01 (730 days) over the plot's 765 units: a day is 765/730
# units, and x(day) = 210 + (day - 2021-01-01) * 765 / 730, rounded to a tenth.


def _deadline(obligation: str, due: dt.date, status: str, **fields: object) -> Deadline:
    lic = load_license(BUNDLED)
    found = lic.obligation(obligation)
    assert found is not None
    clause, ob = found
    values: dict[str, object] = {
        "license": lic.number,
        "obligation": ob.id,
        "clause": clause.ref,
        "title": ob.title,
        "due_date": due,
        "days_left": 0,
        "working_days_left": 0,
        "status": status,
        "estimated": False,
        "working_days_left_estimated": False,
        "rule": ob.rule,
        "steps": (),
        **fields,
    }
    return Deadline(**values)  # type: ignore[arg-type]


def _life() -> Life:
    """Valid 2021; lapsed January and February 2022 (granted again late); valid from 2022-03-01."""
    first = Period(0, D(2021, 1, 1), D(2021, 12, 31), None)
    second = Period(1, D(2022, 3, 1), D(2022, 12, 31), None, continuous=False)
    return Life(D(2022, 7, 2), "valid", second, (first, second), None, False, None, False)


def _drawing() -> report.Timeline:
    rows = [
        (
            _deadline(
                "annual-report",
                D(2022, 3, 31),
                "grace",
                window_start=D(2022, 1, 1),
                grace_until=D(2022, 4, 30),
            ),
            True,
        ),
        (_deadline("renewal-application", D(2022, 10, 2), "upcoming", estimated=True), True),
    ]
    return timeline(_life(), rows, D(2022, 7, 2))


def _rects(drawing: report.Timeline, kind: str) -> list[report.Rect]:
    return [r for r in drawing.rects if r.kind == kind]


def test_the_scale_runs_over_whole_years() -> None:
    drawing = _drawing()
    assert (drawing.start, drawing.end) == (D(2021, 1, 1), D(2023, 1, 1))
    scale = Scale(drawing.start, drawing.end)
    assert scale.x(D(2021, 1, 1)) == PLOT_LEFT == 210
    assert scale.x(D(2023, 1, 1)) == PLOT_RIGHT == 975
    assert scale.x(D(2022, 1, 1)) == 592.5  # 365 days: 210 + 382.5


def test_each_period_is_a_band_over_its_days_and_the_lapse_between_shows() -> None:
    first, second = _rects(_drawing(), "period")
    assert (first.x, first.width) == (210, 382.5)  # 2021-01-01 … 2021-12-31
    # 2022-03-01 is day 424: 210 + 444.3 = 654.3; it runs to the plot's end, 2022-12-31 included.
    assert (second.x, round(second.x + second.width, 1)) == (654.3, 975)
    (lapse,) = _rects(_drawing(), "lapse")  # 2022-01-01 … 2022-02-28
    assert (lapse.x, round(lapse.x + lapse.width, 1)) == (592.5, 654.3)
    assert "已失效 lapsed" in lapse.title


def test_the_as_of_line_stands_on_the_as_of_day() -> None:
    drawing = _drawing()
    (today,) = [line for line in drawing.lines if line.kind == "today"]
    assert today.x1 == today.x2 == 783.2  # 2022-07-02 is day 547: 210 + 573.2
    (label,) = [a for a in drawing.labels if a.kind == "today"]
    assert label.text == "截至 As of 2022-07-02" and label.x == 783.2


def test_the_annual_report_window_and_its_grace_month_are_spans() -> None:
    drawing = _drawing()
    (window,) = _rects(drawing, "window")
    # 2022-01-01 … 2022-03-31: days 365 to 455 (exclusive): 592.5 to 686.8.
    assert (window.x, round(window.x + window.width, 1)) == (592.5, 686.8)
    (grace,) = _rects(drawing, "grace")
    # 2022-04-01 … 2022-04-30: days 455 to 485 (exclusive): 686.8 to 718.3.
    assert (grace.x, round(grace.x + grace.width, 1)) == (686.8, 718.3)
    assert grace.status == "grace" and "2022-04-30" in grace.title
    (stands_out,) = [a for a in drawing.labels if a.kind == "status"]
    assert stands_out.text == "⚠ 补报期内 LATE, ACCEPTED"


def test_an_estimated_deadline_is_marked_as_one() -> None:
    drawing = _drawing()
    marks = {m.title.split(" — ")[1]: m for m in drawing.marks if m.kind == "deadline"}
    estimated = marks["截止 due 2022-10-02 周日 Sun"]
    assert estimated.estimated and estimated.x == 879.6  # day 639: 210 + 669.6
    assert "≈ 估算 estimated" in estimated.title
    assert any(a.kind == "date" and a.text == "≈2022-10-02 估算 est." for a in drawing.labels)
    assert not marks["截止 due 2022-03-31 周四 Thu"].estimated


def test_labels_under_close_marks_take_the_next_row() -> None:
    rows = [
        (_deadline("renewal-application", D(2021, 6, 1), "done"), False),
        (_deadline("renewal-application", D(2021, 6, 20), "missed"), True),
    ]
    drawing = timeline(_life(), rows, D(2022, 7, 2))
    dates = [a for a in drawing.labels if a.kind == "date"]
    assert [a.text for a in dates] == ["2021-06-01", "2021-06-20"]
    assert dates[1].y == dates[0].y + report.ROW_HEIGHT  # 19 days apart: too close for one row
    (missed,) = [a for a in drawing.labels if a.kind == "status"]
    assert missed.text == "⚠ 已错过 MISSED" and missed.y == dates[1].y + report.ROW_HEIGHT


def test_lane_names_are_cut_to_fit() -> None:
    assert report.fitted("Cancel or change the provincial licence", 30) == "Cancel or change the provinci…"
    assert report.text_units(report.fitted("注销或变更省级许可证注销或变更省级许可证", 20)) <= 20


# --- a folder of three licences ------------------------------------------------------------------


def _licence(folder: Path, name: str, **replace: str) -> Path:
    """The bundled licence with top-level lines replaced (a line `events: []` can carry more)."""
    text = BUNDLED.read_text(encoding="utf-8")
    for key, value in replace.items():
        line = f"{key}: {value}"
        text, found = re.subn(rf"(?m)^{key}: .*$", lambda _, line=line: line, text)
        assert found == 1, key
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """As of 2025-06-01: one lapsed (valid until 2024-06-29, no renewal), one whose renewal was
    filed in time (2025-05-15; valid until 2025-08-30, so the 90-day deadline is 2025-06-01), one
    healthy (the bundled licence, valid until 2026-01-21)."""
    folder = tmp_path / "licences"
    folder.mkdir()
    _licence(
        folder,
        "lapsed.yaml",
        number="B2-20190001",
        holder="已失效科技有限公司",
        issued_on="2019-06-30",
        valid_until="2024-06-29",
    )
    _licence(
        folder,
        "pending.yaml",
        number="B2-20200002",
        holder='"<script>alert(1)</script> 待审批有限公司"',
        issued_on="2020-08-31",
        valid_until="2025-08-30",
        events="[]\nrenewals: [{filed_on: 2025-05-15}]",
    )
    _licence(folder, "healthy.yaml")
    return folder


def _sections(page: str) -> dict[str, str]:
    """Each licence's part of the page, by number, as text (tags dropped, entities read)."""
    parts = page.split('<section class="licence')[1:]
    found = {}
    for part in parts:
        number = re.search(r'data-licence="([^"]+)"', part)
        assert number is not None
        found[number.group(1)] = html.unescape(re.sub(r"<[^>]+>", " ", part))
    return found


def _report(folder: Path, *extra: str) -> str:
    result = run("report", str(folder), "--as-of", AS_OF, "-o", "-", *extra)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_the_report_shows_each_licence_in_its_state_in_both_languages(three: Path) -> None:
    page = _report(three)
    sections = _sections(page)
    # In the order the folder lists them: healthy.yaml, lapsed.yaml, pending.yaml.
    assert list(sections) == ["B2-20210247", "B2-20190001", "B2-20200002"]
    healthy, lapsed, pending = sections.values()
    flat = {key: " ".join(text.split()) for key, text in sections.items()}
    assert "已失效 LAPSED" in flat["B2-20190001"]
    assert "B2-20190001已失效：有效期至2024-06-29，未续办" in lapsed
    assert "B2-20190001 has lapsed: its last valid day was 2024-06-29" in " ".join(lapsed.split())
    assert "已过期 EXPIRED" in flat["B2-20190001"]  # the expiry stands out, with its word
    assert "续办待审批 renewal pending" in flat["B2-20200002"]
    assert "B2-20200002已于2025-05-15按期提出续办申请，待审批" in pending
    assert "renewal filed in time on 2025-05-15, decision pending" in " ".join(pending.split())
    assert "待审批 pending" in flat["B2-20200002"]  # the renewal filing deadline's status
    assert "有效 valid" in flat["B2-20210247"]
    assert "已失效" not in healthy and "待审批" not in healthy
    assert "2025-10-23" in healthy and "未到期 upcoming" in flat["B2-20210247"]
    # The table's head is in both languages, and the overview lists all three.
    assert "状态 Status" in " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert page.count('<svg class="timeline"') == 3
    assert 'href="#licence-3"' in page


def test_the_lapsed_one_has_its_lapse_drawn_and_the_healthy_one_none(three: Path) -> None:
    page = _report(three)
    parts = dict(zip(_sections(page), page.split('<section class="licence')[1:], strict=True))
    assert 'class="r-lapse s-lapsed"' in parts["B2-20190001"]
    assert 'class="r-lapse' not in parts["B2-20210247"]
    assert 'class="m-done s-done"' in parts["B2-20200002"]  # the filing of 2025-05-15


def test_a_holder_named_script_is_shown_as_text(three: Path) -> None:
    page = _report(three)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 待审批有限公司" in page


def test_the_page_loads_nothing_from_the_network(three: Path, tmp_path: Path) -> None:
    rich = _licence(
        tmp_path,
        "profile.yaml",
        events="\n  - {obligation: illegal-info-report, on: 2025-05-20}\nprofile: {number_resources: true}",
    )
    pages = [_report(three), _report(rich)]
    for page in pages:
        assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
        assert "http://" not in page and "https://" not in page
        assert not re.search(r"<(script|link|img|iframe|object|embed|audio|video|source)\b", page, re.I)
        assert not re.search(r"\b(src|href|srcset|action|poster|xlink:href)=\"(?!#)", page)
        assert "url(" not in page and "@import" not in page and "@font-face" not in page
    assert "regulation" in pages[1]  # the pack's duty is there, its source named as text


def test_the_page_prints_on_a4_landscape_and_reads_on_a_phone(three: Path) -> None:
    page = _report(three)
    assert "@page { size: A4 landscape;" in page
    assert "break-inside: avoid" in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media (max-width: 600px)" in page
    assert re.search(r'<svg class="timeline" viewBox="0 0 1000 [\d.]+"', page)
    assert "svg.timeline { display: block; width: 100%; height: auto;" in page


# --- the command line ---------------------------------------------------------------------------


def test_report_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = run("report", "--as-of", AS_OF, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_needs_a_target() -> None:
    result = run("report", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert "-o FILE" in result.stderr


@pytest.mark.parametrize("name", ["licence.yaml", "copy-of-licence.txt"])
def test_report_never_writes_over_a_licence(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    target.write_bytes(BUNDLED.read_bytes())
    result = run("report", "--as-of", AS_OF, "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert target.read_bytes() == BUNDLED.read_bytes()


def test_an_estimated_year_is_said_on_the_page_and_on_stderr(tmp_path: Path) -> None:
    path = _licence(tmp_path, "later.yaml", valid_until="2027-06-30")
    result = run("report", str(path), "--as-of", AS_OF, "-o", "-")
    assert result.exit_code == 0
    assert "warning: no published holiday schedule for 2027" in result.stderr
    assert "2027 年的放假安排尚未收录" in result.stdout and "≈ 估算 estimated date" in result.stdout
    quiet = run("report", str(path), "--as-of", AS_OF, "-q", "-o", "-")
    assert quiet.stderr == ""
    strict = run("report", str(path), "--as-of", AS_OF, "--strict-calendar", "-o", "-")
    assert strict.exit_code == 1 and strict.stdout == ""


def test_only_the_report_imports_jinja2_and_only_when_it_draws() -> None:
    from .test_layout import _uses, modules

    users = sorted(name for name, imported in modules().items() if _uses(imported, "jinja2"))
    assert users == ["output.report"]
    code = "import sys, licensecli.cli; import licensecli.output.report; print('jinja2' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- in a real browser ----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium; .ci/run does)"
)


def _browse(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM after load, and the browser's complaints about the page (console messages, CSP)."""
    assert CHROMIUM is not None
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    complaints = [
        line
        for line in result.stderr.splitlines()
        if "CONSOLE" in line
        or "Refused to" in line
        or "Uncaught" in line
        or "Content Security Policy" in line
    ]
    return result.stdout, complaints


class _Elements(HTMLParser):
    """Every element of a DOM with its classes and the licence section it is in."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str | None, str, frozenset[str]]] = []
        self.licence: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "section":
            self.licence = values.get("data-licence")
        self.found.append((self.licence, tag, frozenset((values.get("class") or "").split())))

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.licence = None

    def within(self, licence: str, tag: str, css: str) -> int:
        return sum(1 for lic, t, classes in self.found if lic == licence and t == tag and css in classes)


@needs_chromium
def test_the_report_renders_in_chromium_without_console_errors(three: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    assert run("report", str(three), "--as-of", AS_OF, "-o", str(target)).exit_code == 0
    dom, complaints = _browse(target, tmp_path / "profile")
    assert complaints == []
    elements = _Elements()
    elements.feed(dom)
    for number in ("B2-20190001", "B2-20200002", "B2-20210247"):
        assert elements.within(number, "svg", "timeline") == 1, number
        assert elements.within(number, "rect", "r-period") >= 1, number
        assert elements.within(number, "line", "l-today") == 1, number
        assert elements.within(number, "text", "t-today") == 1, number
        assert elements.within(number, "polygon", "m-deadline") >= 3, number
        assert elements.within(number, "rect", "r-window") >= 1, number
        assert elements.within(number, "table", "deadlines") >= 1, number
    assert elements.within("B2-20190001", "rect", "r-lapse") == 1
    assert elements.within("B2-20200002", "circle", "m-done") == 1
    assert elements.within("B2-20200002", "span", "state-pending") == 1
    # The holder named <script> stayed text: the browser found no script element in the page.
    assert not any(tag == "script" for _, tag, _ in elements.found)


@needs_chromium
def test_the_browser_check_sees_a_blocked_resource(tmp_path: Path) -> None:
    """The console check is not vacuous: a page that asks for an outside image is reported."""
    page = tmp_path / "bad.html"
    page.write_text(
        f'<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<img src="http://192.0.2.1/x.png" alt="">',
        encoding="utf-8",
    )
    _, complaints = _browse(page, tmp_path / "profile")
    assert complaints and "192.0.2.1" in complaints[0]


def test_the_screenshot_script_says_what_it_needs(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[1] / "scripts" / "report_screenshot.py"
    result = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0 and "--as-of" in result.stdout and "chromium" in result.stdout


def test_report_help_has_an_example() -> None:
    result = run_process("report", "--help", env={"COLUMNS": "80"})
    assert result.returncode == 0
    assert "licensecli report -o report.html" in result.stdout


# --- review fixes: wrapping, overdue in the overview, hidden labels, drawing order, print ------


def _css(page: str) -> str:
    found = re.search(r"<style>(.*)</style>", page, re.S)
    assert found is not None
    return found.group(1)


def test_status_cells_and_heads_wrap_instead_of_running_into_the_next_column(three: Path) -> None:
    css = _css(_report(three))
    assert not re.search(r"(^|\n)\s*th\s*\{[^}]*nowrap", css)  # a head wraps between its words
    assert not re.search(r"\.st\s*\{[^}]*nowrap", css)  # a status wraps between zh and en
    assert re.search(r"td, th \{ overflow-wrap: anywhere; \}", css)
    widths = dict(re.findall(r"col\.(c-[a-z]+) \{ width: (\d+)%; \}", css))
    assert int(widths["c-status"]) >= 17 and int(widths["c-num"]) >= 10
    assert (
        sum(int(widths[c]) for c in ("c-due", "c-status", "c-ob", "c-details")) + 2 * int(widths["c-num"])
        == 100
    )


def test_the_overview_puts_late_duties_first_with_a_word(tmp_path: Path) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    _licence(folder, "healthy.yaml")
    _licence(
        folder,
        "late.yaml",
        number="B2-20210009",
        events="\n  - {obligation: illegal-info-report, on: 2025-03-20}"
        "\n  - {obligation: illegal-info-report, on: 2025-03-28}",
    )
    result = run("report", str(folder), "--as-of", "2025-04-15", "-o", "-")
    assert result.exit_code == 0, result.stderr
    overview = result.stdout.split('<table class="overview')[1].split("</table>")[0]
    rows = {re.search(r">(B2-\d+)</a>", r).group(1): r for r in overview.split("<tr")[2:]}  # type: ignore[union-attr]
    late = rows["B2-20210009"]
    assert late.startswith(' class="stand-out"')  # the valid licence with late duties is tinted…
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", late)).split())
    assert "⚠ 2 项逾期 late" in text  # …and says so with a mark and a word
    assert text.index("2025-04-03") < text.index("2025-04-14") < text.index("next: 2025-10-23")
    assert text.count("已逾期 OVERDUE") == 2
    healthy = rows["B2-20210247"]
    assert not healthy.startswith(' class="stand-out"') and "项逾期" not in healthy


def test_labels_that_find_no_row_are_counted_never_dropped_silently() -> None:
    first = Period(0, D(2021, 1, 1), D(2022, 12, 31), None)
    life = Life(D(2022, 7, 2), "valid", first, (first,), None, False, None, False)
    days = [D(2022, 6, 1), D(2022, 6, 3), D(2022, 6, 5)]
    rows = [(_deadline("illegal-info-report", day, "overdue"), True) for day in days]
    drawing = timeline(life, rows, D(2022, 7, 2))
    shown = [a for a in drawing.labels if a.kind in ("date", "status")]
    assert len(shown) == 3  # three rows, six labels for three marks this close
    more = [a for a in drawing.labels if a.kind == "more"]
    assert len(more) == 1
    assert more[0].text.startswith("⚠ +3 未显示 hidden") and "OVERDUE" in more[0].text
    assert more[0].status == "overdue" and "2022-06-05" in more[0].title
    # one mark, nothing hidden: no count
    alone = timeline(life, rows[:1], D(2022, 7, 2))
    assert not [a for a in alone.labels if a.kind == "more"]


def test_grid_lines_lie_under_the_bands_and_the_as_of_line_over_them(three: Path) -> None:
    page = _report(three)
    svg = page.split('<svg class="timeline"')[1].split("</svg>")[0]
    order = re.findall(r'<(rect|line|polygon|circle|text) class="([a-z]+)-([a-z-]+)', svg)
    where = {(tag, kind): [] for tag, _, kind in order}  # type: dict[tuple[str, str], list[int]]
    for i, (tag, _, kind) in enumerate(order):
        where[(tag, kind)].append(i)
    assert max(where[("rect", "lane")]) < min(where[("line", "grid")])
    assert max(where[("line", "grid")]) < min(where[("rect", "period")])
    assert max(where[("rect", "window")]) < min(where[("line", "today")])
    assert max(where[("line", "today")]) < min(where[("polygon", "deadline")])
    assert max(where[("polygon", "deadline")]) < min(
        i for (tag, _), found in where.items() if tag == "text" for i in found
    )


def test_the_caption_does_not_ask_a_phone_to_hover_and_the_drawing_opens_at_the_as_of_day(
    three: Path,
) -> None:
    page = _report(three)
    assert "Hover a mark for its details." not in page
    assert "The tables below list every mark with its details" in page and "下表列出每个标记及其详情" in page
    assert re.search(r'<span class="as-of-target" style="left: [\d.]+%" aria-hidden="true"></span>', page)
    assert "scroll-initial-target: nearest" in _css(page)


def test_print_keeps_headings_with_what_follows(three: Path) -> None:
    page = _report(three)
    css = _css(page)
    print_css = css.split("@media print {")[1]
    keep = re.search(r"\n\s*([^{}\n]*)\{ break-after: avoid;", print_css)
    assert keep is not None
    assert {"h2", ".licence-head", ".facts", "caption", "thead", "figcaption"} <= set(
        keep.group(1).strip().split(", ")
    )
    assert re.search(r"[^{}]*\.licence-head[^{}]*\{ break-inside: avoid;", print_css)
    # the heading, the facts and any notice are one block
    for part in page.split('<section class="licence')[1:]:
        head = part.split('<div class="licence-head">')[1].split("<figure")[0]
        assert "<h2>" in head and 'class="facts"' in head


def test_a_folder_as_target_suggests_an_html_name(tmp_path: Path) -> None:
    result = run("report", "--as-of", AS_OF, "-o", str(tmp_path))
    assert result.exit_code == 1
    assert f"give a file name, e.g. {tmp_path / 'report.html'}" in result.stderr
    assert ".ics" not in result.stderr
    export = run("export", "--format", "ics", "--as-of", AS_OF, "-o", str(tmp_path))
    assert f"e.g. {tmp_path / 'deadlines.ics'}" in export.stderr


def test_the_screenshot_script_checks_the_folder_first(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[1] / "scripts" / "report_screenshot.py"
    target = tmp_path / "missing" / "x.png"
    result = subprocess.run(
        [sys.executable, str(script), "-o", str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == f"error: the folder {tmp_path / 'missing'} does not exist\n"
