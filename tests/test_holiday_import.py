"""`holidays import` / `holidays diff` (issue 14): a published schedule in one command, checked,
stored in the user holiday folder, with the deadlines it moves; sources in `--explain`; staleness.

Test data: tests/data/README.md. holiday-cn-2026.json is written by hand from the State Council's
2026 notice, holiday-cn-2019.json is holiday-cn's own 2019 file, fictional-2027.json is made up
(NOT the real 2027 schedule). Today is 2026-11-28 and the package's data ends with 2026 (conftest),
so 2027 is estimated until a test imports it; the user holiday folder starts empty in every test.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from licensecli import holidayfiles
from licensecli.workdays import Calendar

from .conftest import run

DATA = Path(__file__).parent / "data"
CN_2026 = DATA / "holiday-cn-2026.json"
CN_2019 = DATA / "holiday-cn-2019.json"
FICTIONAL_2027 = DATA / "fictional-2027.json"
FICTIONAL_URL = "https://example.invalid/FICTIONAL-2027-not-a-real-schedule"
NOTICE_2026_TITLE = "国务院办公厅关于2026年部分节假日安排的通知"
NOTICE_2026_URL = "https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"
PAPERS_2019 = [
    "http://www.gov.cn/zhengce/zhengceku/2018-12/06/content_5346276.htm",  # the 2019 notice
    "http://www.gov.cn/zhengce/zhengceku/2019-03/22/content_5375877.htm",  # 劳动节 amended in March
]
ONE_DAY = dt.timedelta(days=1)

# A test licence (fictional) on the cross-region template, valid through 2028, with five recorded
# illegal-info-report events (九: 10 working days after the handling, R1 + R4, no rollover).
LICENCE = """\
schema_version: 1
template: cross-region
number: B2-TEST-2027
kind: 跨地区增值电信业务经营许可证
holder: 测试公司（虚构，仅用于测试）
legal_representative: 张三
services:
  - service: 信息服务业务（不含互联网信息服务）
    coverage: 全国
issuer: 工业和信息化部
issued_on: 2023-07-01
valid_until: 2028-06-30
events:
  - {obligation: illegal-info-report, on: 2026-11-20}
  - {obligation: illegal-info-report, on: 2026-12-24}
  - {obligation: illegal-info-report, on: 2027-01-29}
  - {obligation: illegal-info-report, on: 2027-02-03}
  - {obligation: illegal-info-report, on: 2027-02-15}
  - {obligation: illegal-info-report, on: 2027-07-01}
"""


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LICENSECLI_NOW", "2026-11-28T10:00:00+08:00")


def folder() -> Path:
    """The user holiday folder (under the test's own XDG_CONFIG_HOME, conftest)."""
    return holidayfiles.user_holiday_folder()


def folder_files() -> list[str]:
    """Every entry of the user holiday folder, hidden ones included; [] if it does not exist."""
    return sorted(os.listdir(folder())) if folder().exists() else []


def licence(tmp_path: Path) -> Path:
    path = tmp_path / "b2-test-2027.yaml"
    path.write_text(LICENCE, encoding="utf-8")
    return path


def fictional() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FICTIONAL_2027.read_text(encoding="utf-8"))
    return data


def days_of(year: int) -> list[dt.date]:
    day, found = dt.date(year, 1, 1), []
    while day.year == year:
        found.append(day)
        day += ONE_DAY
    return found


def import_json(*args: str, input: str | None = None) -> dict[str, Any]:
    result = run("holidays", "import", *args, "--json", input=input)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def deadline_rows(path: Path) -> list[tuple[str, str | None, str, bool]]:
    result = run("deadlines", str(path), "--all", "--json")
    assert result.exit_code == 0, result.stderr
    rows = [
        (d["obligation"], d["event_date"], d["due_date"], d["estimated"])
        for d in json.loads(result.stdout)["deadlines"]
    ]
    return sorted(rows, key=lambda r: (r[2], r[0], r[1] or ""))


def change_rows(changes: list[dict[str, Any]]) -> list[tuple[object, ...]]:
    return [
        (
            c["license"],
            c["obligation"],
            c["event_date"],
            c["before"]["due_date"],
            c["before"]["estimated"],
            c["after"]["due_date"],
            c["after"]["estimated"],
            c["day"],
        )
        for c in changes
    ]


# --- 1. the hand-written 2026 file gives exactly the package's 2026 -------------------------


def test_importing_the_2026_notice_gives_exactly_the_packages_2026() -> None:
    data = import_json(str(CN_2026))
    stored = folder() / "2026.yaml"
    assert data["format"] == "holiday-cn" and data["years"] == [2026]
    assert data["papers"] == [NOTICE_2026_URL]
    assert data["stored"] == str(stored) and stored.is_file()
    assert data["changes"] == []  # the same schedule moves nothing (the bundled licence)

    package, imported = Calendar(), Calendar.from_environment()
    assert imported.schedule(2026).origin == str(stored)  # really read from the stored file
    assert package.schedule(2026).origin == "package"
    year = days_of(2026)
    assert len(year) == 365
    for day in year:
        want, got = package.why(day), imported.why(day)
        assert (got.workday, got.kind, got.name) == (want.workday, want.kind, want.name), day
        assert not got.estimated
    # Hand count: 2026 starts and ends on a Thursday, so 52 weeks + 1 day = 261 Mondays–Fridays.
    # Weekday days off: 元旦 01-01, 02 (2); 春节 02-16–20, 02-23 (6); 清明 04-06 (1); 劳动节 05-01,
    # 04, 05 (3); 端午 06-19 (1); 中秋 09-25 (1); 国庆 10-01, 02, 05, 06, 07 (5) = 19. Adjusted
    # working days: 01-04, 02-14, 02-28, 05-09, 09-20, 10-10 = 6. 261 - 19 + 6 = 248.
    for calendar in (package, imported):
        assert calendar.count(dt.date(2025, 12, 31), dt.date(2026, 12, 31)).count == 248
    # The stored file keeps the notice's address as its paper; since that is the address of a
    # notice licensecli knows, --explain names the notice itself (title and number), as before.
    source = imported.why(dt.date(2026, 2, 16)).source or ""
    assert NOTICE_2026_URL in source and "国办发明电〔2025〕7号" in source


def test_a_schedule_without_a_gov_cn_paper_is_imported_with_a_warning() -> None:
    result = run("holidays", "import", str(FICTIONAL_2027), "--dry-run")
    assert result.exit_code == 0
    assert result.stderr.count("warning:") == 1
    assert "names no notice on www.gov.cn" in result.stderr and FICTIONAL_URL in result.stderr
    assert "warning" not in run("holidays", "import", str(CN_2026), "--dry-run").stderr


def test_the_real_2020_file_with_its_back_to_work_monday_is_accepted() -> None:
    # holiday-cn's 2020.json records the extension notice's "2月3日起正常上班" as
    # {"name": "春节", "date": "2020-02-03", "isOffDay": false}: a Monday, the first day after the
    # 春节 block (01-24 … 02-02). It is a working day anyway, so the file is accepted, and the
    # stored schedule gives every day of 2020 as the package has it (the extended 春节 included).
    data = import_json(str(DATA / "holiday-cn-2020.json"))
    assert data["years"] == [2020] and len(data["papers"]) == 2
    package, imported = Calendar(), Calendar.from_environment()
    assert imported.schedule(2020).origin == str(folder() / "2020.yaml")
    for day in days_of(2020):
        assert package.why(day).workday == imported.why(day).workday, day
    assert not imported.why(dt.date(2020, 1, 31)).workday  # Friday: a day of the extension
    assert imported.why(dt.date(2020, 2, 3)).workday


def test_a_weekday_marked_worked_is_refused_unless_it_ends_a_block() -> None:
    # The same entry on a Monday that follows no block of that name is not plausible.
    data = json.loads((DATA / "holiday-cn-2020.json").read_text(encoding="utf-8"))
    data["days"] = [{**d, "date": "2020-03-02"} if d["date"] == "2020-02-03" else d for d in data["days"]]
    result = run("holidays", "import", "-", "--dry-run", input=json.dumps(data, ensure_ascii=False))
    assert result.exit_code == 1
    assert (
        "2020-03-02 is a Monday; an adjusted working day (isOffDay: false) is a Saturday or Sunday"
        in result.stderr
    )


# --- 2. holiday-cn's 2019 file: days of the December before, two papers ----------------------


def test_the_2019_file_is_accepted_with_its_december_2018_days() -> None:
    dry = run("holidays", "import", str(CN_2019), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "plausible" in dry.stdout and folder_files() == []

    data = import_json(str(CN_2019))
    assert data["years"] == [2019]
    assert data["papers"] == PAPERS_2019  # both: the notice and its March amendment
    stored = folder() / "2019.yaml"
    assert data["stored"] == str(stored)

    package, imported = Calendar(), Calendar([stored])
    expected = {
        dt.date(2018, 12, 29): (True, "adjusted_workday"),  # Sat, worked for 2019's 元旦
        dt.date(2018, 12, 30): (False, "holiday"),  # Sun, 元旦 12-30 – 01-01
        dt.date(2018, 12, 31): (False, "holiday"),  # Mon
    }
    for day, (workday, kind) in expected.items():
        for calendar in (imported, package):  # the package knows them too
            info = calendar.why(day)
            assert (info.workday, info.kind) == (workday, kind), (day, info)
    assert imported.schedule(2018).origin.endswith("2019.yaml (December)")
    assert "2019" in (imported.why(dt.date(2018, 12, 30)).source or "")

    # Every day of 2019 is the same working day or rest day. holiday-cn leaves out the weekends a
    # holiday merely joins (与周末连休: 清明 Fri 04-05, 端午 Fri 06-07, 中秋 Fri 09-13), which
    # chinese-calendar calls holidays: those six days differ in kind only.
    kind_only = []
    for day in days_of(2019):
        want, got = package.why(day), imported.why(day)
        assert got.workday == want.workday, day
        if got.kind != want.kind:
            kind_only.append(day)
            assert (got.kind, want.kind) == ("weekend", "holiday"), day
    assert kind_only == [
        dt.date(2019, 4, 6),
        dt.date(2019, 4, 7),
        dt.date(2019, 6, 8),
        dt.date(2019, 6, 9),
        dt.date(2019, 9, 14),
        dt.date(2019, 9, 15),
    ]
    # Hand count: 2019 starts and ends on a Tuesday: 261 Mondays–Fridays. Weekday days off: 01-01;
    # 02-04–08 (5); 04-05; 05-01–03 (3, as amended); 06-07; 09-13; 10-01–04, 10-07 (5) = 17.
    # Adjusted working days: 02-02, 02-03, 04-28, 05-05, 09-29, 10-12 = 6. 261 - 17 + 6 = 250.
    assert imported.count(dt.date(2018, 12, 31), dt.date(2019, 12, 31)).count == 250


def test_the_packages_december_2018_days_name_the_2019_notice() -> None:
    for day in (dt.date(2018, 12, 29), dt.date(2018, 12, 30), dt.date(2018, 12, 31)):
        source = Calendar().why(day).source or ""
        assert "国办发明电〔2018〕15号" in source, (day, source)
        assert "2018年部分节假日安排" not in source, (day, source)


def test_an_amended_day_of_an_imported_file_names_the_amendment() -> None:
    import_json(str(CN_2019))
    source = Calendar.from_environment().why(dt.date(2019, 5, 2)).source or ""
    assert PAPERS_2019[1] in source, source


# --- 3. the fictional 2027: what it moves, exactly ----------------------------------------------

# Hand counts (10 working days after the event, the event day not counted). The estimate has the
# statutory days only: 01-01, 02-05 (除夕), 02-06–08 (Sat–Mon), 04-05, 05-01/02, 06-09, 09-15,
# 10-01–03. The fictional file adds Tue 02-09 – Sat 02-13 to 春节 and works Sat 01-30 and Sat 02-20.
#   2026-11-20 (Fri): 11-23…27 (5), 11-30…12-04 (5) → 2026-12-04, published 2026: unchanged.
#   2026-12-24 (Thu): 12-25, 28, 29, 30, 31 (5), 01-01 off in both, 01-04…08 (5) → 2027-01-08 in
#     both; only the estimated flag changes.
#   2027-01-29 (Fri): estimate 02-01…04 (4), 02-05 off, 02-08 off, 02-09…12 (8), 02-15, 16 (10)
#     → 02-16; file: Sat 01-30 (1), 02-01…04 (5), 02-05…14 off, 02-15…19 (10) → 02-19. The first
#     day the calendars disagree on is 01-30.
#   2027-02-03 (Wed): estimate 02-04 (1), 02-09…12 (5), 02-15…19 (10) → 02-19; file: 02-04 (1),
#     02-15…19 (6), Sat 02-20 (7), 02-22…24 (10) → 02-24; first difference Tue 02-09.
#   2027-02-15 (Mon): estimate 02-16…19 (4), 02-22…26 (9), 03-01 (10) → 03-01; file: 02-16…19 (4),
#     Sat 02-20 (5), 02-22…26 (10) → 02-26, earlier; first difference 02-20.
#   2027-07-01 (Thu): 07-02 (1), 07-05…09 (6), 07-12…15 (10) → 07-15 in both: flag only.
#   annual-report 2027: window 01-01 – 03-31, 03-31 is a Wednesday in both: flag only.
#   renewal-application: 2028-06-30 - 90 days = Sat 2028-04-01 → back to Fri 03-31, 2028 still
#     estimated: unchanged. license-expiry 2028-06-30: no counting, unchanged.
BEFORE = [
    ("provincial-license-cancellation", None, "2023-07-31", False),  # issued_on + 30 days, a Monday
    ("annual-report", None, "2024-03-29", False),  # 03-31 is a Sunday → back to Fri 03-29
    ("annual-report", None, "2025-03-31", False),
    ("annual-report", None, "2026-03-31", False),
    ("illegal-info-report", "2026-11-20", "2026-12-04", False),
    ("illegal-info-report", "2026-12-24", "2027-01-08", True),
    ("illegal-info-report", "2027-01-29", "2027-02-16", True),
    ("illegal-info-report", "2027-02-03", "2027-02-19", True),
    ("illegal-info-report", "2027-02-15", "2027-03-01", True),
    ("annual-report", None, "2027-03-31", True),
    ("illegal-info-report", "2027-07-01", "2027-07-15", True),
    ("renewal-application", None, "2028-03-31", True),
    ("license-expiry", None, "2028-06-30", False),
]
AFTER = [
    ("provincial-license-cancellation", None, "2023-07-31", False),
    ("annual-report", None, "2024-03-29", False),
    ("annual-report", None, "2025-03-31", False),
    ("annual-report", None, "2026-03-31", False),
    ("illegal-info-report", "2026-11-20", "2026-12-04", False),
    ("illegal-info-report", "2026-12-24", "2027-01-08", False),
    ("illegal-info-report", "2027-01-29", "2027-02-19", False),
    ("illegal-info-report", "2027-02-03", "2027-02-24", False),
    ("illegal-info-report", "2027-02-15", "2027-02-26", False),
    ("annual-report", None, "2027-03-31", False),
    ("illegal-info-report", "2027-07-01", "2027-07-15", False),
    ("renewal-application", None, "2028-03-31", True),
    ("license-expiry", None, "2028-06-30", False),
]
N = "B2-TEST-2027"
CHANGES = [  # licence, obligation, event, before, estimated, after, estimated, day
    (N, "illegal-info-report", "2026-12-24", "2027-01-08", True, "2027-01-08", False, None),
    # Fri 01-29 + 10 working days. Estimate: 02-01…04 (4), 02-05 and 02-08 statutory 春节 off,
    # 02-09…12 (8), 02-15 (9), 02-16 (10). Fictional: Sat 01-30 worked (1), 02-01…04 (5), 02-05…13
    # off, 02-15…19 (10) → 02-19, three days later: the cause named is the first working day lost
    # (02-09 becomes 春节), not the gained Saturday, which pulls the other way.
    (N, "illegal-info-report", "2027-01-29", "2027-02-16", True, "2027-02-19", False, "2027-02-09"),
    (N, "illegal-info-report", "2027-02-03", "2027-02-19", True, "2027-02-24", False, "2027-02-09"),
    (N, "illegal-info-report", "2027-02-15", "2027-03-01", True, "2027-02-26", False, "2027-02-20"),
    (N, "annual-report", None, "2027-03-31", True, "2027-03-31", False, None),
    (N, "illegal-info-report", "2027-07-01", "2027-07-15", True, "2027-07-15", False, None),
]


def test_the_fictional_2027_lists_exactly_the_deadlines_it_moves(tmp_path: Path) -> None:
    path = licence(tmp_path)
    assert deadline_rows(path) == BEFORE

    data = import_json(str(FICTIONAL_2027), "-l", str(path))
    assert data["years"] == [2027] and data["papers"] == [FICTIONAL_URL]
    assert data["stored"] == str(folder() / "2027.yaml")
    assert change_rows(data["changes"]) == CHANGES
    because = {c["event_date"]: c["because"] for c in data["changes"]}
    assert because["2027-01-29"].startswith("2027-02-09 was estimated as a working day")
    assert "holiday 春节" in because["2027-01-29"]
    assert because["2027-02-03"].startswith("2027-02-09 was estimated as a working day")
    assert "holiday 春节" in because["2027-02-03"]
    assert because["2027-02-15"].startswith("2027-02-20 was estimated as a weekend day")
    assert "no longer estimated" in because["2027-07-01"]
    assert {c["clause"] for c in data["changes"]} == {"九", "十四"}

    assert deadline_rows(path) == AFTER
    after = json.loads(run("deadlines", str(path), "--all", "--json").stdout)
    assert after["calendar"]["estimated_years"] == [2028]
    assert all(not d["estimated"] for d in after["deadlines"] if d["due_date"].startswith("2027"))


def test_the_cause_is_a_working_day_that_pulls_the_way_the_date_moved(tmp_path: Path) -> None:
    # Fri 2027-02-12 + 10 working days. Estimate: 02-15…19 (5), 02-22…26 (10) → 02-26. Fictional:
    # 02-13 (Sat) becomes part of 春节 — a rest day either way, it moves nothing — and Sat 02-20 is
    # worked: 02-15…19 (5), 02-20 (6), 02-22…25 (10) → 02-25, one day earlier because of 02-20.
    path = tmp_path / "one.yaml"
    path.write_text(
        LICENCE.split("events:")[0] + "events:\n  - {obligation: illegal-info-report, on: 2027-02-12}\n"
    )
    data = import_json(str(FICTIONAL_2027), "-l", str(path), "--dry-run")
    [change] = [c for c in data["changes"] if c["event_date"] == "2027-02-12"]
    assert (change["before"]["due_date"], change["after"]["due_date"]) == ("2027-02-26", "2027-02-25")
    assert change["day"] == "2027-02-20"
    assert change["because"].startswith(
        "2027-02-20 was estimated as a weekend day; it is an adjusted working day"
    )


def test_the_impact_speaks_chinese_too(tmp_path: Path) -> None:
    path = licence(tmp_path)
    result = run("holidays", "diff", str(FICTIONAL_2027), "-l", str(path), "--json", "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    because = {c["event_date"]: c["because"] for c in json.loads(result.stdout)["changes"]}
    assert because["2027-02-03"].startswith("2027-02-09 原估算为工作日")
    assert "节假日 春节" in because["2027-02-03"]


# --- 4. refusals: the reason, exit 1, nothing stored ---------------------------------------------


def _without_spring_festival() -> str:
    data = fictional()
    data["days"] = [d for d in data["days"] if d["name"] != "春节"]
    return json.dumps(data, ensure_ascii=False)


def _with_extra_day(day: str, off: bool) -> str:
    data = fictional()
    data["days"].append({"name": "国庆节", "date": day, "isOffDay": off})
    return json.dumps(data, ensure_ascii=False)


MISSING_MID_AUTUMN = """\
# FICTIONAL: the fictional 2027 without 中秋节 (Wed 2027-09-15)
source: FICTIONAL test schedule
years: [2027]
days_off:
  - {from: 2027-01-01, to: 2027-01-03, name: 元旦}
  - {from: 2027-02-05, to: 2027-02-13, name: 春节}
  - {from: 2027-04-03, to: 2027-04-05, name: 清明节}
  - {from: 2027-05-01, to: 2027-05-05, name: 劳动节}
  - {date: 2027-06-09, name: 端午节}
  - {from: 2027-10-01, to: 2027-10-07, name: 国庆节}
working_days:
  - {date: 2027-01-30, name: 春节调休}
"""


@pytest.mark.parametrize(
    ("name", "text", "reasons"),
    [
        (
            "2027.json",
            '{"year": 2027, "papers": [], "days": []}',  # holiday-cn's placeholder until November
            ["lists no days", "not published yet", "never means 'no holidays'"],
        ),
        ("no-spring.json", _without_spring_festival(), ["2027-02-05 春节（除夕）", "2027-02-08 春节"]),
        ("wednesday.json", _with_extra_day("2027-10-13", False), ["2027-10-13 is a Wednesday"]),
        (
            "both.json",
            _with_extra_day("2027-10-09", True),
            ["2027-10-09 is both a day off and a working day"],
        ),
        ("twice.json", _with_extra_day("2027-10-09", False), ["2027-10-09 is listed twice"]),
        (
            "nager.json",
            '[{"date": "2027-01-01", "localName": "New Year\'s Day", "countryCode": "US"}]',
            ["not a holiday-cn year file", "another dataset's format is not read"],
        ),
        (
            "python-holidays.json",
            '{"2027-01-01": "New Year\'s Day"}',
            ["not a holiday-cn year file", "another dataset's format is not read"],
        ),
        (
            "broken.json",
            '{"year": 2027, "papers": [], "days": [\n  {"name": "元旦",}\n]}',
            ["not valid JSON"],
        ),
        ("2027.yaml", MISSING_MID_AUTUMN, ["2027 is declared", "2027-09-15 中秋节"]),
    ],
)
def test_an_implausible_schedule_is_refused_with_its_reason(
    tmp_path: Path, name: str, text: str, reasons: list[str]
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    for args in (["import", str(path)], ["import", str(path), "--dry-run"], ["diff", str(path)]):
        result = run("holidays", *args)
        assert result.exit_code == 1, (args, result.stdout)
        assert result.stdout == ""
        assert result.stderr.startswith(f"error: {path}")
        for reason in reasons:
            assert reason in result.stderr, (reason, result.stderr)
    assert not folder().exists()  # not even made


def test_the_placeholder_from_stdin_is_refused_too() -> None:
    result = run("holidays", "import", "-", input='{"year": 2027, "papers": [], "days": []}')
    assert result.exit_code == 1
    assert "standard input" in result.stderr and "not published yet" in result.stderr
    assert not folder().exists()


# --- 5. stdin, --dry-run, replacing atomically, one file per year -------------------------------


def test_import_reads_standard_input() -> None:
    data = import_json("-", input=FICTIONAL_2027.read_text(encoding="utf-8"))
    assert data["file"] == "standard input" and data["years"] == [2027]
    stored = folder() / "2027.yaml"
    assert folder_files() == ["2027.yaml"]
    text = stored.read_text(encoding="utf-8")
    assert "from standard input" in text and FICTIONAL_URL in text
    assert not Calendar.from_environment().why(dt.date(2027, 2, 10)).workday  # Wed, fictional 春节


def test_dry_run_stores_nothing() -> None:
    data = import_json(str(FICTIONAL_2027), "--dry-run")
    assert data["stored"] is None
    assert data["target"] == str(folder() / "2027.yaml")
    assert not folder().exists()
    text = run("holidays", "import", str(FICTIONAL_2027), "--dry-run")
    assert "nothing stored" in text.stdout and not folder().exists()
    assert Calendar.from_environment().is_estimated(2027)


SECOND_2027 = """\
# FICTIONAL: a second version of the fictional 2027 (国庆 without the 调休 Saturday 10-09)
source: FICTIONAL second version
papers: [https://example.invalid/FICTIONAL-2027-second-version]
years: [2027]
days_off:
  - {from: 2027-01-01, to: 2027-01-03, name: 元旦}
  - {from: 2027-02-05, to: 2027-02-13, name: 春节}
  - {from: 2027-04-03, to: 2027-04-05, name: 清明节}
  - {from: 2027-05-01, to: 2027-05-05, name: 劳动节}
  - {date: 2027-06-09, name: 端午节}
  - {date: 2027-09-15, name: 中秋节}
  - {from: 2027-10-01, to: 2027-10-07, name: 国庆节}
working_days:
  - {date: 2027-01-30, name: 春节调休}
  - {date: 2027-02-20, name: 春节调休}
  - {date: 2027-05-08, name: 劳动节调休}
  - {date: 2027-09-25, name: 国庆节调休}
"""


def test_a_second_import_replaces_the_first_atomically(monkeypatch: pytest.MonkeyPatch) -> None:
    import_json(str(FICTIONAL_2027))
    stored = folder() / "2027.yaml"
    first = stored.read_bytes()
    assert Calendar.from_environment().why(dt.date(2027, 10, 9)).kind == "adjusted_workday"

    replaced: list[tuple[Path, Path, bytes]] = []
    real_replace = os.replace

    def spy(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        # At the moment of the rename the target still holds the old file, whole.
        replaced.append((Path(src), Path(dst), Path(dst).read_bytes()))
        real_replace(src, dst, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", spy)
        data = import_json("-", input=SECOND_2027)

    assert data["format"] == "licensecli" and data["stored"] == str(stored)
    ((src, dst, old),) = replaced
    assert dst == stored and old == first
    assert src.parent == stored.parent and src.name.startswith(".")  # renamed within the folder
    assert stored.read_text(encoding="utf-8") == SECOND_2027  # our own format is stored as given
    assert folder_files() == ["2027.yaml"]  # no temporary file left
    assert Calendar.from_environment().why(dt.date(2027, 10, 9)).kind == "weekend"


def test_another_file_declaring_the_year_is_refused_naming_it() -> None:
    import_json(str(FICTIONAL_2027))
    mine = folder() / "mine.yaml"
    (folder() / "2027.yaml").rename(mine)  # the same schedule, under another name
    result = run("holidays", "import", str(FICTIONAL_2027))
    assert result.exit_code == 1
    assert f"{mine} already declares 2027" in result.stderr
    assert "remove it" in result.stderr
    assert folder_files() == ["mine.yaml"]


@pytest.mark.parametrize("command", ["import", "diff"])
def test_a_disagreeing_file_for_the_year_is_named_without_temporary_paths(command: str) -> None:
    folder().mkdir(parents=True)
    mine = folder() / "mine.yaml"
    mine.write_text(SECOND_2027, encoding="utf-8")  # 2027, but without the 调休 Saturday 10-09
    result = run("holidays", command, str(FICTIONAL_2027))
    assert result.exit_code == 1
    assert str(mine) in result.stderr
    assert "licensecli-import-" not in result.stderr, result.stderr
    assert folder_files() == ["mine.yaml"]


# --- 6. diff: as import --dry-run, never writes --------------------------------------------------


def test_diff_lists_what_import_dry_run_lists_and_writes_nothing(tmp_path: Path) -> None:
    path = licence(tmp_path)
    diff = run("holidays", "diff", str(FICTIONAL_2027), "-l", str(path), "--json")
    assert diff.exit_code == 0, diff.stderr
    dry = import_json(str(FICTIONAL_2027), "-l", str(path), "--dry-run")
    assert json.loads(diff.stdout) == dry
    assert change_rows(dry["changes"]) == CHANGES and dry["stored"] is None
    assert not folder().exists()

    text = run("holidays", "diff", str(FICTIONAL_2027), "-l", str(path))
    assert text.exit_code == 0
    assert "6 deadlines change:" in text.stdout
    assert "2027-02-16* → 2027-02-19" in text.stdout  # * marks the estimate
    assert "2027-03-01* → 2027-02-26" in text.stdout
    assert not folder().exists()

    # Once imported, the same file moves nothing, and diff leaves the stored file alone.
    import_json(str(FICTIONAL_2027), "-l", str(path))
    stored = folder() / "2027.yaml"
    before = (stored.read_bytes(), stored.stat().st_mtime_ns)
    again = run("holidays", "diff", str(FICTIONAL_2027), "-l", str(path), "--json")
    assert json.loads(again.stdout)["changes"] == []
    assert (stored.read_bytes(), stored.stat().st_mtime_ns) == before
    assert folder_files() == ["2027.yaml"]


# --- 7. sources in --explain ---------------------------------------------------------------------


def explain_steps(*args: str) -> tuple[dict[str, Any], list[str]]:
    result = run("due", "9", *args, "--explain", "--json")
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    return answer, [s["text"] for s in answer["steps"]]


def step(steps: list[str], start: str) -> str:
    (found,) = [s for s in steps if s.startswith(start)]
    return found


def test_explain_names_the_2026_notice() -> None:
    answer, steps = explain_steps("--on", "2026-02-12")
    assert answer["due_date"] == "2026-03-04" and not answer["estimated"]
    for start in ("2026-02-14:", "2026-02-15 – 2026-02-23:", "2026-02-28:"):
        text = step(steps, start)
        assert NOTICE_2026_TITLE in text and NOTICE_2026_URL in text, text
        assert "estimated" not in text
    assert "holiday 春节" in step(steps, "2026-02-15 – 2026-02-23:")


def test_explain_names_the_imported_file_or_says_estimated() -> None:
    # Hand count, estimate: 02-02…04 (3), 02-05 and 02-06…08 off, 02-09…12 (7), 02-15…17 (10).
    answer, steps = explain_steps("--on", "2027-02-01")
    assert (answer["due_date"], answer["estimated"]) == ("2027-02-17", True)
    for start in ("2027-02-05:", "2027-02-06 – 2027-02-08:"):
        text = step(steps, start)
        assert "estimated" in text and "no published schedule for 2027" in text, text

    import_json(str(FICTIONAL_2027))
    # Hand count, fictional file: 02-02…04 (3), 02-05…13 off, 02-15…19 (8), Sat 02-20 (9), 02-22 (10).
    answer, steps = explain_steps("--on", "2027-02-01")
    assert (answer["due_date"], answer["estimated"]) == ("2027-02-22", False)
    for start in ("2027-02-05 – 2027-02-13:", "2027-02-20:"):
        text = step(steps, start)
        assert "holiday-cn 2027" in text and FICTIONAL_URL in text, text
        assert "estimated" not in text


# --- 8. staleness ----------------------------------------------------------------------------------


def years_status() -> dict[int, dict[str, Any]]:
    result = run("holidays", "--json")
    assert result.exit_code == 0
    return {y["year"]: y for y in json.loads(result.stdout)["years"]}


def test_holidays_json_says_per_year_published_estimated_or_imported() -> None:
    years = years_status()
    assert (years[2026]["status"], years[2027]["status"]) == ("published", "estimated")
    assert years[2027]["source"] is None and years[2027]["papers"] == []
    assert max(years) == 2027  # up to next year

    import_json(str(FICTIONAL_2027))
    years = years_status()
    assert (years[2026]["status"], years[2027]["status"]) == ("published", "imported")
    assert years[2027]["papers"] == [FICTIONAL_URL]
    assert "holiday-cn 2027" in years[2027]["source"]


@pytest.mark.parametrize(
    ("moment", "warned"),
    [
        ("2026-10-31T23:59:00+08:00", False),
        ("2026-11-01T00:01:00+08:00", True),
        ("2026-11-28T10:00:00+08:00", True),
    ],
)
def test_holidays_warns_once_from_1_november(
    monkeypatch: pytest.MonkeyPatch, moment: str, warned: bool
) -> None:
    monkeypatch.setenv("LICENSECLI_NOW", moment)
    for args in (["holidays"], ["holidays", "--json"]):
        result = run(*args)
        assert result.exit_code == 0
        if not warned:
            assert result.stderr == ""
            continue
        (line,) = result.stderr.splitlines()
        assert line.startswith("warning:") and "2027" in line, line
        assert "licensecli holidays import" in line
    document = json.loads(result.stdout)
    assert (document["warning"] is not None) == warned
    assert document["next_year_missing"] is True


def test_no_warning_once_next_year_is_imported() -> None:
    import_json(str(FICTIONAL_2027))
    result = run("holidays", "--json")
    assert result.exit_code == 0 and result.stderr == ""
    document = json.loads(result.stdout)
    assert document["warning"] is None and document["next_year_missing"] is False
    assert document["estimated_from"] == 2028
