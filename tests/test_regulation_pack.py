"""The regulation pack (data/regulations.yaml): a profile opts a licence in; each duty names its
source, the day it took effect and how sure licensecli is of the text; show, deadlines and due
say where a duty comes from.

The expected sources below were written from the legal research (the documents' texts and the
regulators' notices), not read back from the pack: a pack entry that changes its article or
confidence without the research changing fails here.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from licensecli import loader, pack

from .conftest import BUNDLED, run

FULL_PROFILE = (
    "profile: {protection_level: 3, number_resources: true, personal_information_over_10m: true, "
    "cross_border: [security_assessment, standard_contract]}"
)


def licence_file(
    tmp_path: Path, profile: str | None = FULL_PROFILE, events: str = "[]", extra: str = ""
) -> Path:
    """The bundled licence, valid 2024-03-01 … 2029-03-01, with a profile and events."""
    text = BUNDLED.read_text(encoding="utf-8")
    text = text.replace("issued_on: 2023-05-31", "issued_on: 2024-03-01").replace(
        "valid_until: 2026-01-21", "valid_until: 2029-03-01"
    )
    text = text.replace("events: []", "\n".join(filter(None, [profile, extra, f"events: {events}"])))
    path = tmp_path / "lic.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def show(path: Path) -> dict[str, dict]:
    result = run("show", "--json", str(path))
    assert result.exit_code == 0, result.stderr
    (lic,) = json.loads(result.stdout)["licenses"]
    return {
        ob["id"]: {**ob, "clause": clause["ref"], "source": clause["source"]}
        for clause in lic["clauses"]
        for ob in clause["obligations"]
    }


# (obligation, document, number or None, article or None, in force, confidence of the first basis)
SOURCES = [
    (
        "annual-report",
        "电信业务经营许可管理办法",
        "工业和信息化部令第42号",
        "第三十五条",
        "2017-09-01",
        "secondary",
    ),
    # The date comes from the bureaus' notices (confirmed); the rules themselves come second.
    (
        "number-resources-annual-report",
        "四川省通信管理局码号年报通知（依据工信管函〔2026〕7号）",
        None,
        None,
        None,
        "confirmed",
    ),
    (
        "protection-level-filing",
        "信息安全等级保护管理办法",
        "公通字〔2007〕43号",
        "第十五条",
        "2007-06-22",
        "secondary",
    ),
    (
        "conformity-test",
        "通信网络安全防护管理办法",
        "工业和信息化部令第11号",
        None,
        "2010-03-01",
        "secondary",
    ),
    (
        "risk-assessment",
        "通信网络安全防护管理办法",
        "工业和信息化部令第11号",
        None,
        "2010-03-01",
        "secondary",
    ),
    ("pi-compliance-audit", "个人信息保护合规审计管理办法", None, "第四条", "2025-05-01", "confirmed"),
    ("incident-report", "国家网络安全事件报告管理办法", None, "第四条", "2025-11-01", "secondary"),
    (
        "cross-border-assessment-extension",
        "促进和规范数据跨境流动规定",
        "国家互联网信息办公室令第16号",
        "第九条",
        "2024-03-22",
        "secondary",
    ),
    (
        "standard-contract-filing",
        "个人信息出境标准合同办法",
        "国家互联网信息办公室令第13号",
        None,
        "2023-06-01",
        "secondary",
    ),
]


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    return show(licence_file(tmp_path_factory.mktemp("pack")))


@pytest.mark.parametrize(("obligation", "document", "number", "article", "in_force", "confidence"), SOURCES)
def test_each_pack_duty_names_its_source(
    shown: dict[str, dict],
    obligation: str,
    document: str,
    number: str | None,
    article: str | None,
    in_force: str,
    confidence: str,
) -> None:
    basis = shown[obligation]["basis"][0]
    assert basis["document"] == document
    if number is not None:  # the 码号 rules' number is written with its amendment
        assert basis["number"] == number
    assert basis.get("article") == article
    assert basis.get("in_force") == in_force
    assert basis["confidence"] == confidence
    if obligation != "annual-report":  # the annual report is the licence's 十四, amended
        assert shown[obligation]["source"] == "regulation"


def test_the_annual_report_keeps_its_clause_and_gains_the_grace(shown: dict[str, dict]) -> None:
    report = shown["annual-report"]
    assert report["clause"] == "十四" and report["source"] == "license"
    assert report["rule"]["window"] == {"start": "01-01", "end": "03-31", "grace_until": "04-30"}
    assert [b["article"] for b in report["basis"]] == ["第三十五条", "第三十八条"]
    assert "不良名单" in report["note"]["zh"]


def test_the_number_resources_date_rests_on_official_notices(shown: dict[str, dict]) -> None:
    notice, rules = shown["number-resources-annual-report"]["basis"]
    assert notice["confidence"] == "confirmed" and notice["source"].startswith("https://scca.miit.gov.cn/")
    # No article of the number-resource rules requiring the report was found: none is claimed.
    assert (rules["document"], rules.get("article"), rules["in_force"]) == (
        "电信网码号资源管理办法",
        None,
        "2003-03-01",
    )


def test_pack_duties_carry_the_day_they_took_effect(shown: dict[str, dict]) -> None:
    assert shown["incident-report"]["in_force"] == "2025-11-01"
    assert shown["pi-compliance-audit"]["in_force"] == "2025-05-01"
    assert shown["standard-contract-filing"]["in_force"] == "2023-06-01"


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        # No profile: the licence as before, no pack duty and no grace.
        (None, {}),
        ("profile: {}", {"incident-report": 4}),
        ("profile: {critical_information_infrastructure: true}", {"incident-report": 1}),
        ("profile: {protection_level: 1}", {"incident-report": 4}),
        (
            "profile: {protection_level: 2}",
            {
                "incident-report": 4,
                "protection-level-filing": None,
                "conformity-test": 2,
                "risk-assessment": 2,
            },
        ),
        (
            "profile: {protection_level: 4}",
            {
                "incident-report": 4,
                "protection-level-filing": None,
                "conformity-test": 1,
                "risk-assessment": 1,
            },
        ),
        (
            "profile: {cross_border: [standard_contract]}",
            {"incident-report": 4, "standard-contract-filing": None},
        ),
    ],
)
def test_the_profile_decides_which_duties_apply(tmp_path: Path, profile: str | None, expected: dict) -> None:
    duties = show(licence_file(tmp_path, profile))
    pack_duties = {
        k: v for k, v in duties.items() if v["source"] == "regulation" and v["clause"] != "令42号 第二十九条"
    }
    got = {k: v["rule"].get("hours", v["rule"].get("every")) for k, v in pack_duties.items()}
    assert got == expected
    grace = duties["annual-report"]["rule"]["window"].get("grace_until")
    assert grace == (None if profile is None else "04-30")


def test_every_profile_gives_a_valid_licence(tmp_path: Path) -> None:
    """Each combination of profile keys loads: the pack's data is valid wherever it applies."""
    keys = ["number_resources", "personal_information_over_10m", "critical_information_infrastructure"]
    for level, flags, cross in itertools.product(
        [None, 1, 2, 3, 5],
        itertools.product([False, True], repeat=3),
        [[], ["security_assessment", "standard_contract"]],
    ):
        profile = {k: v for k, v in zip(keys, flags, strict=True)} | {"cross_border": cross}
        if level is not None:
            profile["protection_level"] = level
        path = licence_file(tmp_path, "profile: " + json.dumps(profile))
        loader.load_license(path)


def test_the_licence_files_own_duty_wins(tmp_path: Path) -> None:
    own = (
        "clauses:\n  - ref: 应急预案\n    title: {zh: 事件报告, en: Incident report}\n    text: 本公司规定。\n"
        "    obligations:\n      - id: incident-report\n        title: {zh: 两小时报告, en: Two hours}\n"
        "        rule: {kind: hours_after, hours: 2, anchor: event}"
    )
    duties = show(licence_file(tmp_path, "profile: {}", extra=own))
    assert duties["incident-report"]["rule"]["hours"] == 2
    assert duties["incident-report"]["clause"] == "应急预案"


def test_a_bad_profile_is_named_with_its_line(tmp_path: Path) -> None:
    path = licence_file(tmp_path, "profile: {protection_level: 7, cloud: true}")
    result = run("validate", str(path))
    assert result.exit_code != 0
    assert f"{path}:" in result.stderr and "profile.protection_level" in result.stderr
    assert "profile.cloud" in result.stderr


def test_an_event_before_the_duty_took_effect_is_refused(tmp_path: Path) -> None:
    path = licence_file(
        tmp_path, "profile: {}", events="[{obligation: incident-report, on: 2025-10-31, at: '09:00'}]"
    )
    result = run("validate", str(path))
    assert result.exit_code != 0
    assert "took effect on 2025-11-01" in result.stderr


def test_an_incident_needs_its_time(tmp_path: Path) -> None:
    path = licence_file(tmp_path, "profile: {}", events="[{obligation: incident-report, on: 2026-11-28}]")
    result = run("validate", str(path))
    assert result.exit_code != 0 and "at: 'HH:MM'" in result.stderr


def test_due_incident_report_at_a_time(tmp_path: Path) -> None:
    path = licence_file(tmp_path, "profile: {}")
    result = run("due", "incident-report", "--at", "2026-11-28 22:30", "-l", str(path), "--explain")
    assert result.exit_code == 0, result.stderr
    assert "Due: 2026-11-29 02:30 (Sun)" in result.stdout
    assert (
        "Source: regulation 《国家网络安全事件报告管理办法》 第四条, in force from 2025-11-01 (secondary sources)"
        in result.stdout
    )
    data = json.loads(
        run("due", "incident-report", "--at", "2026-11-28 22:30", "-l", str(path), "--json").stdout
    )
    assert data["due_at"] == "2026-11-29T02:30:00+08:00" and data["due_date"] == "2026-11-29"
    assert (
        data["source"] == "regulation"
        and data["basis"][0]["citation"] == "《国家网络安全事件报告管理办法》 第四条"
    )
    # Without the time, or with a day only: told what to give.
    for args in (["--on", "2026-11-28"], []):
        refused = run("due", "incident-report", *args, "-l", str(path))
        assert refused.exit_code != 0 and "--at" in refused.stderr


def test_due_at_for_an_immediate_duty_is_that_moment() -> None:
    result = run("due", "major-incident-report", "--at", "2026-11-28 14:05", "--json")
    data = json.loads(result.stdout)
    assert (data["due_date"], data["due_at"]) == ("2026-11-28", "2026-11-28T14:05:00+08:00")
    refused = run("due", "illegal-info-report", "--at", "2026-11-28 14:05")
    assert refused.exit_code != 0 and "not hours" in refused.stderr
    for bad in ("2026-11-28", "2026-11-28 24:00", "28.11.2026 14:05"):
        assert run("due", "major-incident-report", "--at", bad).exit_code != 0


def test_event_add_records_a_time_and_a_filing(tmp_path: Path) -> None:
    path = licence_file(tmp_path, "profile: {}")
    env = {"LICENSECLI_NOW": "2026-11-28T23:00"}
    added = run(
        "event", "add", "incident-report", "--on", "2026-11-28", "--at", "22:30", "-l", str(path), env=env
    )
    assert added.exit_code == 0, added.stderr
    filed = run("event", "add", "annual-report", "--on", "2026-04-20", "-l", str(path), env=env)
    assert filed.exit_code == 0, filed.stderr
    text = path.read_text(encoding="utf-8")
    # The time is quoted: unquoted, a YAML 1.1 reader takes 22:30 for the number 1350.
    assert "- {obligation: incident-report, on: 2026-11-28, at: '22:30'}" in text
    assert "- {obligation: annual-report, on: 2026-04-20}" in text
    refused = run("event", "add", "incident-report", "--on", "2026-11-28", "-l", str(path), env=env)
    assert refused.exit_code != 0 and "--at HH:MM" in refused.stderr
    data = json.loads(run("deadlines", "--json", "--all", "--as-of", "2026-11-28", str(path)).stdout)
    incident = next(d for d in data["deadlines"] if d["obligation"] == "incident-report")
    assert (incident["due_at"], incident["event_at"], incident["status"]) == (
        "2026-11-29T02:30:00+08:00",
        "22:30",
        "due_soon",
    )
    report = next(
        d for d in data["deadlines"] if d["obligation"] == "annual-report" and d["due_date"] == "2026-03-31"
    )
    assert (report["status"], report["done_on"]) == ("done", "2026-04-20")


def test_deadlines_and_show_say_where_a_duty_comes_from(tmp_path: Path) -> None:
    path = licence_file(
        tmp_path,
        "profile: {personal_information_over_10m: true}",
        events="[{obligation: pi-compliance-audit, on: 2025-05-01, done_on: 2026-06-10}]",
    )
    table = run("deadlines", "--as-of", "2026-11-28", str(path), env={"COLUMNS": "160"})
    assert table.exit_code == 0, table.stderr
    # Done 2026-06-10, next two years later: 2028-06-10 (a Saturday; an audit is not moved).
    line = [ln for ln in table.stdout.splitlines() if "2028-06-10" in ln]
    assert line, table.stdout
    assert "pi-compliance-audit · 个人信息保护合规审计管理办法 第四条 (regulation)" in table.stdout
    shown_table = run("show", str(path), env={"COLUMNS": "200"})
    # The clause column folds long references; the rule column has the citation on one line.
    assert "(regulation)" in shown_table.stdout
    assert "《个人信息保护合规审计管理办法》 第四条, in force from 2025-05-01" in shown_table.stdout


def test_the_pack_file_is_read_once_and_shipped() -> None:
    assert pack.duties() is pack.duties()
    assert (Path(loader.data_file("regulations.yaml"))).is_file()


@pytest.mark.parametrize(
    ("now", "status"), [("2026-11-29T02:29+08:00", "due_today"), ("2026-11-29T02:31+08:00", "overdue")]
)
def test_a_report_in_hours_is_overdue_once_its_hour_has_passed(tmp_path: Path, now: str, status: str) -> None:
    # Found at 22:30 on the 28th, due within 4 hours: 02:30 on the 29th (China time). Without
    # --as-of the clock decides; the same question as of the day is judged by the date.
    path = licence_file(
        tmp_path, "profile: {}", events="[{obligation: incident-report, on: 2026-11-28, at: '22:30'}]"
    )
    for command in (["deadlines", "--json", str(path)], ["event", "list", "--json", "-l", str(path)]):
        result = run(*command, env={"LICENSECLI_NOW": now})
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        rows = data["deadlines"] if "deadlines" in data else data["events"]
        (row,) = [r for r in rows if r["obligation"] == "incident-report"]
        assert row["status"] == status
    as_of = json.loads(run("deadlines", "--json", "--as-of", "2026-11-29", str(path)).stdout)
    assert (
        next(d for d in as_of["deadlines"] if d["obligation"] == "incident-report")["status"] == "due_today"
    )


def test_the_pack_never_changes_the_shared_template(tmp_path: Path) -> None:
    """The annual report is amended in a copy: a licence read later without a profile, in the
    same process, keeps the template's rule (no grace)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with_profile = loader.load_license(licence_file(tmp_path / "a", "profile: {}"))
    without = loader.load_license(licence_file(tmp_path / "b", None))
    assert with_profile.obligation("annual-report")[1].rule.window.grace_until == "04-30"
    assert without.obligation("annual-report")[1].rule.window.grace_until is None


def test_show_json_gives_each_basis_as_one_citation(shown: dict[str, dict]) -> None:
    audit = shown["pi-compliance-audit"]["basis"][0]
    assert (audit["citation"], audit["confidence"]) == (
        "《个人信息保护合规审计管理办法》 第四条",
        "confirmed",
    )
    extension = shown["cross-border-assessment-extension"]["basis"][0]
    assert extension["citation"] == "《促进和规范数据跨境流动规定》（国家互联网信息办公室令第16号） 第九条"


def test_due_refuses_an_event_before_the_duty_took_effect(tmp_path: Path) -> None:
    path = licence_file(tmp_path, "profile: {cross_border: [security_assessment]}")
    refused = run("due", "incident-report", "--at", "2025-10-31 23:00", "-l", str(path))
    assert refused.exit_code == 1 and "took effect on 2025-11-01" in refused.stderr
    assert run("due", "incident-report", "--at", "2025-11-01 00:00", "-l", str(path)).exit_code == 0
    # A security assessment result issued before 令16号 (2024-03-22) is extended under it: accepted.
    early = run("due", "cross-border-assessment-extension", "--on", "2024-03-01", "-l", str(path), "--json")
    assert early.exit_code == 0, early.stderr
    assert json.loads(early.stdout)["window_start"] < json.loads(early.stdout)["due_date"]


def test_the_application_period_is_open_once_it_has_begun(tmp_path: Path) -> None:
    # A result issued 2024-10-15 is valid until 2027-10-15; the period opens 60 working days
    # before (on a day that rests on 2027's unpublished schedule): judge the status at its start.
    path = licence_file(
        tmp_path,
        "profile: {cross_border: [security_assessment]}",
        events="[{obligation: cross-border-assessment-extension, on: 2024-10-15}]",
    )
    data = json.loads(run("deadlines", "--json", "--as-of", "2026-06-01", str(path)).stdout)
    row = next(d for d in data["deadlines"] if d["obligation"] == "cross-border-assessment-extension")
    start, due = row["window_start"], row["due_date"]
    assert row["status"] == "upcoming" and start < due
    inside = json.loads(run("deadlines", "--json", "--as-of", start, str(path)).stdout)
    row = next(d for d in inside["deadlines"] if d["obligation"] == "cross-border-assessment-extension")
    assert row["status"] == "open"


@pytest.mark.parametrize(("written", "kept"), [("'9:05'", "09:05"), ("9:05", "09:05"), ("'22:30'", "22:30")])
def test_an_event_time_may_drop_the_leading_zero(tmp_path: Path, written: str, kept: str) -> None:
    path = licence_file(
        tmp_path, "profile: {}", events=f"[{{obligation: incident-report, on: 2026-11-28, at: {written}}}]"
    )
    lic = loader.load_license(path)
    assert lic.events[0].at == kept


def test_term_goes_only_with_working_days_before() -> None:
    from licensecli.models import Rule

    with pytest.raises(ValueError, match="'term' goes with kind 'workdays_before'"):
        Rule.model_validate(
            {
                "kind": "before",
                "days": 3,
                "unit": "months",
                "anchor": "event",
                "term": {"count": 2, "unit": "years"},
            }
        )


def test_rules_without_rollover_do_not_cite_r3(shown: dict[str, dict], tmp_path: Path) -> None:
    table = run("show", str(licence_file(tmp_path)), env={"COLUMNS": "220"}).stdout
    assert "2 years after the event (R1, R9), then every 2 years from each completion (R13)" in table
    assert "30 days after the event (R1–R3)" in table  # the licence's own 30-day periods roll forward


def _template_licence(path: Path, number: str, profile: str) -> Path:
    """A licence of the bundled cross-region template (FICTIONAL: a test's), with a profile."""
    path.write_text(
        "\n".join(
            [
                "schema_version: 1",
                "template: cross-region",
                f"number: {number}",
                "holder: 示例信息服务有限公司（虚构）",
                "legal_representative: 测试",
                "services:",
                "  - {service: 信息服务业务（不含互联网信息服务）, coverage: 全国}",
                "issued_on: 2024-03-01",
                "valid_until: 2029-03-01",
                profile,
                "events: []",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def test_licences_of_one_template_and_profile_share_the_packs_clauses(tmp_path: Path) -> None:
    """The pack's clauses for one template and profile are made and validated once (a folder of
    thousands of such licences reads them as small files): two licences share them, another
    profile gets its own, and each licence is the one it is when nothing is shared."""
    one = loader.load_license(_template_licence(tmp_path / "a.yaml", "B2-30000001", FULL_PROFILE))
    two = loader.load_license(_template_licence(tmp_path / "b.yaml", "B2-30000002", FULL_PROFILE))
    other = loader.load_license(_template_licence(tmp_path / "c.yaml", "B2-30000003", "profile: {}"))
    plain = loader.load_license(_template_licence(tmp_path / "d.yaml", "B2-30000004", ""))
    made = [c for c in one.clauses if not any(c is p for p in plain.clauses)]  # the pack's
    assert len(made) == 8  # seven duties added, the annual report (十四) amended
    assert all(a is b for a, b in zip(one.clauses, two.clauses, strict=True))
    assert one.obligation("annual-report")[1].rule.window.grace_until == "04-30"  # amended, shared
    assert one.obligation("annual-report")[0] is two.obligation("annual-report")[0]
    assert not {id(c) for c in made} & {id(c) for c in other.clauses}
    for lic, name in ((one, "a.yaml"), (two, "b.yaml"), (other, "c.yaml")):
        pack._APPLIED.clear()  # afresh: nothing shared
        pack._MADE.clear()
        alone = loader.load_license(tmp_path / name)
        assert not any(a is b for a in alone.clauses for b in made)
        assert alone.model_dump() == lic.model_dump()
