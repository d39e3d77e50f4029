"""Licence templates: the bundled special provisions, and licence files that refer to them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from licensecli import loader, templates
from licensecli.models import Clause

from .conftest import BUNDLED, REPO, run
from .test_models import NUMERALS

TEMPLATES = REPO / "data" / "templates"
NOW = {"LICENSECLI_NOW": "2025-11-01T10:00"}

# The special provisions (特别规定事项) printed on licence B2-20210247: 一 … 十五, and 十五's
# fourteen sub-items 十五（一） … 十五（十四）.
PROVISIONS = NUMERALS
SUB_ITEMS = [f"十五（{n}）" for n in NUMERALS[:14]]
# Besides them, a template holds the header's expiry (正文) and a duty from 令42号.
ALL_TOP = ["正文", *PROVISIONS, "令42号 第二十九条"]

# A few phrases of the certificate's own text, so that the comparison below is not only the
# template against itself (the bundled licence now reads its clauses from the template).
CERTIFICATE_PHRASES = {
    "九": "对发现的违法信息立即进行处置，保存有关记录，并在处置后的10个工作日内向电信主管部门上报",
    "十一": "应当自公司作出决定之日起30日内向我部提出申请",
    "十二": "应当提前90日向原发证机关提出续办申请",
    "十三": "应当在取得我部颁发的许可证后30日内",
    "十四": "你公司应当在每年第一季度参加电信主管部门组织的经营许可证年报",
    "十五（八）": "并在安全评估完成30日内向电信主管部门提交书面评估报告",
    "十五（十一）": "对违法违规应用软件及时依法处理",
}

HEADER = """\
schema_version: 1
template: {template}
number: B2-99999999
holder: 示例信息服务有限公司
legal_representative: 张三
services:
  - service: 信息服务业务（不含互联网信息服务）
    coverage: 全国
issued_on: 2023-05-31
valid_until: 2026-01-21
"""


def raw_template(name: str) -> dict[str, Any]:
    data = yaml.safe_load((TEMPLATES / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def flat_raw(clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for clause in clauses:
        found.append(clause)
        found.extend(flat_raw(clause.get("items", [])))
    return found


def flat_model(clauses: tuple[Clause, ...]) -> list[Clause]:
    found: list[Clause] = []
    for clause in clauses:
        found.append(clause)
        found.extend(flat_model(clause.items))
    return found


def shown_clauses(path: str) -> list[dict[str, Any]]:
    result = run("show", "--json", path, env=NOW)
    assert result.exit_code == 0, result.stderr
    clauses: list[dict[str, Any]] = json.loads(result.stdout)["licenses"][0]["clauses"]
    return clauses


def obligation_ids(clause: dict[str, Any]) -> list[str]:
    return [ob["id"] for ob in clause.get("obligations", [])]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path, so that messages name files as given (`lic.yaml:7: …`)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- the bundled templates ------------------------------------------------------------------


def test_the_bundled_templates_are_cross_region_and_provincial() -> None:
    assert templates.names() == ["cross-region", "provincial"]
    assert sorted(p.stem for p in TEMPLATES.glob("*.yaml")) == ["cross-region", "provincial"]


@pytest.mark.parametrize("name", ["cross-region", "provincial"])
def test_each_template_loads_and_a_licence_using_it_validates(name: str, here: Path) -> None:
    data = templates.template(name)
    assert data["template"] == name
    assert data["clauses"]
    text = HEADER.format(template=name) + ("issuer: 北京市通信管理局\n" if name == "provincial" else "")
    lic = loader.license_from_text(text, here / "lic.yaml")
    assert lic.template == name
    (here / "lic.yaml").write_text(text, encoding="utf-8")
    result = run("validate", "lic.yaml", env=NOW)
    assert result.exit_code == 0, result.stderr


def test_cross_region_template_holds_exactly_the_provisions_of_the_bundled_licence() -> None:
    raw = raw_template("cross-region")
    assert raw["kind"] == "跨地区增值电信业务经营许可证"
    assert raw["issuer"] == "工业和信息化部"
    assert [c["ref"] for c in raw["clauses"]] == ALL_TOP
    fifteen = next(c for c in raw["clauses"] if c["ref"] == "十五")
    assert [c["ref"] for c in fifteen["items"]] == SUB_ITEMS
    provisions = [c for c in raw["clauses"] if c.get("source", "license") == "license" and c["ref"] != "正文"]
    assert [c["ref"] for c in provisions] == PROVISIONS  # 15 provisions

    lic = loader.load_license(BUNDLED)
    assert lic.template == "cross-region"
    model = flat_model(lic.clauses)
    file = flat_raw(raw["clauses"])
    assert len(model) == len(file) == len(ALL_TOP) + len(SUB_ITEMS)
    for got, want in zip(model, file, strict=True):
        assert got.ref == want["ref"]
        assert got.text == want["text"]
        assert (got.title.zh, got.title.en) == (want["title"]["zh"], want["title"]["en"])
        assert [ob.id for ob in got.obligations] == obligation_ids(want)
    texts = {c.ref: c.text for c in model}
    for ref, phrase in CERTIFICATE_PHRASES.items():
        assert phrase in texts[ref], ref


def test_provincial_is_cross_region_without_thirteen() -> None:
    raw = raw_template("provincial")
    assert raw["based_on"] == "cross-region"
    assert raw["omit"] == ["十三"]
    assert raw["kind"] == "增值电信业务经营许可证"
    assert "issuer" not in raw  # each province's 通信管理局 issues its own: no default

    cross = templates.template("cross-region")
    provincial = templates.template("provincial")
    assert provincial["kind"] == "增值电信业务经营许可证"
    assert "issuer" not in provincial
    # Exactly the cross-region clauses, 十三 left out, nothing else dropped or changed.
    assert provincial["clauses"] == [c for c in cross["clauses"] if c["ref"] != "十三"]
    assert len(provincial["clauses"]) == len(cross["clauses"]) - 1


def test_a_provincial_licence_has_no_thirteen_and_needs_an_issuer(here: Path) -> None:
    (here / "p.yaml").write_text(HEADER.format(template="provincial"), encoding="utf-8")
    result = run("validate", "p.yaml", env=NOW)
    assert result.exit_code == 1
    assert "issuer" in result.stderr
    (here / "p.yaml").write_text(
        HEADER.format(template="provincial") + "issuer: 北京市通信管理局\n", encoding="utf-8"
    )
    clauses = shown_clauses("p.yaml")
    assert [c["ref"] for c in clauses] == [r for r in ALL_TOP if r != "十三"]
    result = run("due", "provincial-license-cancellation", "-l", "p.yaml", env=NOW)
    assert result.exit_code == 1


def test_init_provincial_without_issuer_is_a_usage_error_off_a_terminal(here: Path) -> None:
    result = run(
        "init",
        "p.yaml",
        "--kind",
        "provincial",
        "--number",
        "京B2-20250001",
        "--holder",
        "示例有限公司",
        "--legal-representative",
        "张三",
        "--issued-on",
        "2025-03-03",
        "--valid-until",
        "2030-03-02",
        "--service",
        "信息服务业务（不含互联网信息服务）:北京",
        env=NOW,
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "--issuer" in result.stderr
    for given in ("--number", "--holder", "--service", "--issued-on", "--valid-until"):
        assert given not in result.stderr.split("(")[0]
    assert not (here / "p.yaml").exists()


# --- a licence file that refers to a template ----------------------------------------------


def test_show_lists_the_resolved_clauses(here: Path) -> None:
    (here / "lic.yaml").write_text(HEADER.format(template="cross-region"), encoding="utf-8")
    clauses = shown_clauses("lic.yaml")
    assert [c["ref"] for c in clauses] == ALL_TOP
    fifteen = clauses[ALL_TOP.index("十五")]
    assert [c["ref"] for c in fifteen["items"]] == SUB_ITEMS
    raw = {c["ref"]: c for c in flat_raw(raw_template("cross-region")["clauses"])}
    for clause in [*clauses, *fifteen["items"]]:
        assert clause["text"] == raw[clause["ref"]]["text"]


def test_kind_and_issuer_default_from_the_template(here: Path) -> None:
    (here / "lic.yaml").write_text(HEADER.format(template="cross-region"), encoding="utf-8")
    result = run("show", "--json", "lic.yaml", env=NOW)
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)["licenses"][0]
    assert shown["kind"] == "跨地区增值电信业务经营许可证"
    assert shown["issuer"] == "工业和信息化部"
    # What the file says wins.
    text = HEADER.format(template="cross-region") + "kind: 自定义许可证\nissuer: 某某管理局\n"
    (here / "lic.yaml").write_text(text, encoding="utf-8")
    shown = json.loads(run("show", "--json", "lic.yaml", env=NOW).stdout)["licenses"][0]
    assert (shown["kind"], shown["issuer"]) == ("自定义许可证", "某某管理局")


def test_an_unknown_template_is_named_with_its_line(here: Path) -> None:
    # Line 2 of HEADER is `template: …`.
    (here / "lic.yaml").write_text(HEADER.format(template="nonsense"), encoding="utf-8")
    result = run("validate", "lic.yaml", env=NOW)
    assert result.exit_code == 1
    assert "lic.yaml:2: template: no template 'nonsense'" in result.stderr
    assert "cross-region, provincial" in result.stderr


def test_omit_drops_a_sub_item(here: Path) -> None:
    (here / "lic.yaml").write_text(
        HEADER.format(template="cross-region") + "omit: [十五（十）]\n", encoding="utf-8"
    )
    assert run("validate", "lic.yaml", env=NOW).exit_code == 0
    clauses = shown_clauses("lic.yaml")
    assert [c["ref"] for c in clauses] == ALL_TOP  # the top level is untouched
    fifteen = clauses[ALL_TOP.index("十五")]
    assert [c["ref"] for c in fifteen["items"]] == [r for r in SUB_ITEMS if r != "十五（十）"]
    # Its duty is gone with it.
    assert run("due", "no-forced-push", "-l", "lic.yaml", env=NOW).exit_code == 1


def test_omit_of_a_clause_the_template_lacks_is_an_error(here: Path) -> None:
    # Line 11: after the ten lines of HEADER.
    (here / "lic.yaml").write_text(
        HEADER.format(template="cross-region") + "omit: [十六]\n", encoding="utf-8"
    )
    result = run("validate", "lic.yaml", env=NOW)
    assert result.exit_code == 1
    assert "lic.yaml:11: omit:" in result.stderr
    assert "'十六'" in result.stderr


OWN_CLAUSES = """\
clauses:
  - ref: 十一
    title: {zh: 经营主体变更（本证措辞）, en: Entity changes as worded on this certificate}
    text: 本证自己的第十一条。
    obligations:
      - id: entity-change-application
        title: {zh: 经营主体变更申请, en: Apply for a change of operating entity}
        rule: {kind: after, days: 20, unit: days, anchor: event, rollover: forward}
  - ref: 十六
    title: {zh: 本证新增条款, en: A provision of this certificate only}
    text: 本证新增的第十六条。
    obligations:
      - id: own-report
        title: {zh: 自有报告, en: Own report}
        rule: {kind: after, days: {days}, unit: days, anchor: event, rollover: forward}
"""


def test_own_clause_replaces_the_template_one_in_place_and_a_new_one_is_appended(here: Path) -> None:
    text = HEADER.format(template="cross-region") + OWN_CLAUSES.replace("{days}", "5")
    (here / "lic.yaml").write_text(text, encoding="utf-8")
    assert run("validate", "lic.yaml", env=NOW).exit_code == 0
    clauses = shown_clauses("lic.yaml")
    assert [c["ref"] for c in clauses] == [*ALL_TOP, "十六"]
    eleven = clauses[ALL_TOP.index("十一")]
    assert eleven["text"] == "本证自己的第十一条。"
    assert obligation_ids(eleven) == ["entity-change-application"]
    assert clauses[-1]["text"] == "本证新增的第十六条。"
    # The file's 20 days count, not the template's 30: 2025-06-10 + 20 days = 2025-06-30, a Monday.
    result = run("due", "11", "--on", "2025-06-10", "--json", "-l", "lic.yaml", env=NOW)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["due_date"] == "2025-06-30"


def test_an_error_in_the_files_own_clause_is_reported_at_its_line(here: Path) -> None:
    # HEADER is lines 1–10; OWN_CLAUSES (15 lines) is lines 11–25, and its last line, the rule of
    # own-report with the negative days, is line 25.
    text = HEADER.format(template="cross-region") + OWN_CLAUSES.replace("{days}", "-5")
    assert text.splitlines()[24].strip().startswith("rule: {kind: after, days: -5")
    (here / "lic.yaml").write_text(text, encoding="utf-8")
    result = run("validate", "lic.yaml", env=NOW)
    assert result.exit_code == 1
    assert "lic.yaml:25: clauses[1].obligations[0].rule.days" in result.stderr
    assert "1 problem found" in result.stderr


# --- the new obligations of 九 and 十五（十一） --------------------------------------------------


def test_clause_nine_has_handling_then_report() -> None:
    lic = loader.load_license(BUNDLED)
    nine = lic.clause("九")
    assert nine is not None
    assert [ob.id for ob in nine.obligations] == ["illegal-info-handling", "illegal-info-report"]
    handling, report = nine.obligations
    assert (handling.rule.kind, handling.rule.anchor) == ("immediately", "event")
    assert (report.rule.kind, report.rule.days, report.rule.anchor) == ("workdays_after", 10, "event")


def test_due_nine_still_answers_the_report_across_the_dragon_boat_holiday() -> None:
    # Handled on Mon 2025-06-02, the last day of 端午 (05-31 – 06-02 off, no adjusted working day in
    # June 2025). Working days after it: 06-03 (1), 06-04 (2), 06-05 (3), 06-06 (4), 06-09 (5),
    # 06-10 (6), 06-11 (7), 06-12 (8), 06-13 (9), 06-16 (10) → due Mon 2025-06-16.
    result = run("due", "9", "--on", "2025-06-02", "--json", env=NOW)
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["obligation"] == "illegal-info-report"
    assert answer["due_date"] == "2025-06-16"
    # The handling itself is due the same day (R8).
    result = run("due", "illegal-info-handling", "--on", "2025-06-02", "--json", env=NOW)
    assert json.loads(result.stdout)["due_date"] == "2025-06-02"


def test_fifteen_eleven_has_prompt_handling_of_illegal_apps() -> None:
    lic = loader.load_license(BUNDLED)
    item = lic.clause("十五（十一）")
    assert item is not None
    assert [ob.id for ob in item.obligations] == ["app-store-management", "illegal-app-handling"]
    assert item.obligations[1].rule.kind == "promptly"
    result = run("due", "illegal-app-handling", "--json", env=NOW)
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["due_date"] is None  # promptly: no date is invented (R8)
    assert answer["clause"] == "十五（十一）"


# --- a template's clauses are validated once (issue 17) ------------------------------------------


def test_template_clauses_are_validated_once_and_shared(tmp_path: Path) -> None:
    """Licences of one template share its validated clauses (a folder of thousands validates them
    once); what the licence changes (an omitted sub-item, the pack's amended annual report) is
    its own."""
    first = tmp_path / "a.yaml"
    second = tmp_path / "b.yaml"
    first.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    second.write_text(
        BUNDLED.read_text(encoding="utf-8")
        .replace("B2-20210247", "B2-20219999")
        .replace("events: []", "omit: [十五（十）]\nprofile: {}\nevents: []"),
        encoding="utf-8",
    )
    a, b = loader.load_license(first), loader.load_license(second)
    shared = [c for c in a.clauses if any(c is d for d in b.clauses)]
    assert len(shared) == len(a.clauses) - 2  # all but 十四 (amended) and 十五 (a sub-item omitted)
    assert a.clause("十四") is not b.clause("十四")
    assert b.obligation("annual-report")[1].rule.window.grace_until == "04-30"  # type: ignore[index,union-attr]
    assert a.obligation("annual-report")[1].rule.window.grace_until is None  # type: ignore[index,union-attr]
    assert b.clause("十五（十）") is None and a.clause("十五（十）") is not None


def test_a_template_licence_answers_as_the_same_licence_written_out(tmp_path: Path) -> None:
    """The shared, already-validated clauses give byte for byte what the full file gives."""
    from .conftest import full_licence_text

    full = tmp_path / "full.yaml"
    full.write_text(full_licence_text(), encoding="utf-8")
    deadlines = ["deadlines", "--json", "--all", "--as-of", "2025-06-01"]
    assert run(*deadlines, str(BUNDLED)).stdout == run(*deadlines, str(full)).stdout
    templated = json.loads(run("show", "--json", str(BUNDLED)).stdout)["licenses"][0]
    written = json.loads(run("show", "--json", str(full)).stdout)["licenses"][0]
    assert templated.pop("template") == "cross-region"
    assert templated == written
