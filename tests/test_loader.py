"""YAML → models: every problem is reported as `file:line: field: what is wrong`."""

from __future__ import annotations

from pathlib import Path

import pytest

from licensecli.errors import DataFileError, InputError
from licensecli.loader import (
    bundled_license_path,
    duplicate_numbers,
    expand_paths,
    load_license,
    load_licenses,
    load_one,
    load_with_paths,
    validate_files,
)
from licensecli.yamlfile import MAX_BYTES, excerpt, number_hint, printable, shown

from .conftest import BUNDLED, licence_text


def write(tmp_path: Path, text: str, name: str = "lic.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, fragment: str) -> int:
    """The line where `fragment` starts (a leading newline: at the start of a line)."""
    if fragment.startswith("\n"):
        return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(fragment[1:]))
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def error_of(path: Path) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        load_license(path)
    return info.value


def test_bundled_file_loads() -> None:
    assert load_license(BUNDLED).number == "B2-20210247"


def test_wrong_date_names_file_and_line(tmp_path: Path) -> None:
    text = licence_text(valid_until="2026-02-30")
    path = write(tmp_path, text)
    message = error_of(path).message
    assert message == (
        f"{path}:{line_of(text, 'valid_until')}: valid_until: '2026-02-30' is not a real date (YYYY-MM-DD)"
    )


def test_every_problem_is_listed_after_a_date_that_does_not_exist(tmp_path: Path) -> None:
    text = licence_text(valid_until="2026-02-30", renewal_filed_on="2025-13-01").replace("holder:", "holdr:")
    path = write(tmp_path, text)
    details = error_of(path).details
    first, holdr, valid_until, filed = (
        line_of(text, key) for key in ("schema_version:", "holdr:", "valid_until:", "\nrenewal_filed_on:")
    )
    assert set(details) == {
        f"{path}:{first}: holder: missing (this field is required)",  # the line where the mapping starts
        f"{path}:{holdr}: holdr: unknown key (check the spelling; `licensecli schema` lists the fields)",
        f"{path}:{valid_until}: valid_until: '2026-02-30' is not a real date (YYYY-MM-DD)",
        f"{path}:{filed}: renewal_filed_on: '2025-13-01' is not a real date (YYYY-MM-DD)",
    }
    numbers = [int(d.removeprefix(f"{path}:").split(":")[0]) for d in details]
    assert numbers == sorted(numbers)  # in the order of the file


def test_missing_field(tmp_path: Path) -> None:
    text = licence_text(holder="")
    path = write(tmp_path, text)
    expected = f"{path}:{line_of(text, 'schema_version')}: holder: missing (this field is required)"
    assert error_of(path).message == expected


def test_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    text = licence_text().replace("issuer: 工业和信息化部", "issuer: 工业和信息化部\nissuerr: typo")
    path = write(tmp_path, text)
    assert error_of(path).message.startswith(f"{path}:{line_of(text, 'issuerr')}: issuerr: unknown key")


def test_nested_problem_has_a_dotted_path(tmp_path: Path) -> None:
    text = licence_text().replace("rule: {kind: before, days: 90,", "rule: {kind: before, days: -90,")
    path = write(tmp_path, text)
    message = error_of(path).message
    line = line_of(text, "days: -90")
    assert message.startswith(f"{path}:{line}: clauses[12].obligations[1].rule.days: ")
    assert "greater than or equal to 0" in message


def test_every_problem_is_listed(tmp_path: Path) -> None:
    text = licence_text(holder="", issuer="", valid_until="20260121")
    error = error_of(write(tmp_path, text))
    assert len(error.details) == 3
    assert "(and 2 more)" in error.message
    assert any("valid_until: should be a date written YYYY-MM-DD" in d for d in error.details)


def test_broken_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "number: B2\nclauses: [a, b\nholder: x\n")
    message = error_of(path).message
    assert message.startswith(f"{path}:")
    assert "not valid YAML" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a\n- b\n", "not a list"),
        ("just a string\n", "not a single value"),
        ("", "the file is empty"),
        ("# only a comment\n", "no YAML document"),
        ("a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("a: !!python/object:os.system {}\n", "tag tag:yaml.org,2002:python/object:os.system is not allowed"),
        ("a: 1\na: 2\n", "the key 'a' appears twice"),
        ("a: 2026-01-01 10:00:00\n", "has a time"),
        ("a: " + "[" * 40 + "]" * 40 + "\n", "nested deeper than"),
    ],
)
def test_hostile_yaml_is_refused_with_a_line(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    message = error_of(path).message
    assert message.startswith(str(path))
    assert expected in message


def test_event_before_issue_date_is_located(tmp_path: Path) -> None:
    text = licence_text().replace(
        "events: []", "events:\n  - {obligation: illegal-info-report, on: 2022-01-05}"
    )
    path = write(tmp_path, text)
    message = error_of(path).message
    assert message.startswith(f"{path}:{line_of(text, 'on: 2022-01-05')}: events[0].on: ")
    assert "before the licence was issued" in message


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# x\n" * (MAX_BYTES // 4 + 1))
    assert "are refused" in error_of(path).message


def test_a_file_is_read_whole_through_short_reads_and_growth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read may come short (a network file system) and a file may grow after it was measured:
    either way the whole file is read, and one grown past the limit is refused."""
    import os

    from licensecli import yamlfile

    path = tmp_path / "lic.yaml"
    path.write_text(licence_text(), encoding="utf-8")
    whole = path.read_bytes()
    real_read, real_stat = os.read, os.stat
    monkeypatch.setattr(os, "read", lambda fd, n: real_read(fd, min(n, 7)))  # 7 bytes a read
    assert yamlfile.read_bytes(path) == whole
    monkeypatch.setattr(os, "read", real_read)

    def measured_small(target: object, *args: object, **kwargs: object) -> os.stat_result:
        found = real_stat(target, *args, **kwargs)  # type: ignore[arg-type]
        if target != path:
            return found
        return os.stat_result((*found[:6], 10, *found[7:]))  # as it was before it grew

    monkeypatch.setattr(os, "stat", measured_small)
    assert yamlfile.read_bytes(path) == whole
    path.write_bytes(whole + b"#" * MAX_BYTES)
    with pytest.raises(DataFileError, match="bytes are refused"):
        yamlfile.read_bytes(path)


def test_folder_given_as_file(tmp_path: Path) -> None:
    assert error_of(tmp_path).message == f"{tmp_path}: is a folder, not a file (give a .yaml file)"


def test_folders_expand_to_their_yaml_files(tmp_path: Path) -> None:
    write(tmp_path, licence_text(), "b.yaml")
    write(tmp_path, licence_text(), "a.yml")
    write(tmp_path, "not a licence", "notes.txt")
    assert [p.name for p in expand_paths([tmp_path])] == ["a.yml", "b.yaml"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataFileError, match="has no licence files"):
        expand_paths([empty])


def test_validate_files_collects_problems_of_every_file(tmp_path: Path) -> None:
    good = write(tmp_path, licence_text(), "good.yaml")
    bad1 = write(tmp_path, licence_text(holder=""), "bad1.yaml")
    bad2 = write(tmp_path, "- x\n", "bad2.yaml")
    problems = validate_files([good, bad1, bad2])
    assert len(problems) == 2
    assert problems[0].startswith(str(bad1)) and problems[1].startswith(str(bad2))


# --- issue 12: numbers as written, paths, folders, duplicates, escaping ----------------------


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("30", None),
        ("0", None),
        ("-4", None),
        ("-0", None),
        ("abc", None),
        ("B2-20210247", None),
        ("030", "has a leading zero, which YAML 1.1 takes as octal; write 30"),
        ("-030", "has a leading zero, which YAML 1.1 takes as octal; write -30"),
        ("0_30", "has a leading zero, which YAML 1.1 takes as octal; write 30"),
        ("+0", "has a plus sign; write 0"),
        ("0x1E", "is hexadecimal; write 30 in decimal"),
        ("-0b11", "is binary; write -3 in decimal"),
        ("0o9", "is not a whole number written in decimal; write it in decimal digits"),
        ("1:00:00", "is read by YAML 1.1 as the base-60 number 3600; write 3600"),
        ("1e3", "is not written as a whole number; write 1000"),
        ("30.5", "is not a whole number"),
        ("0" + "1" * 31, "has a leading zero, which YAML 1.1 takes as octal; write it plainly"),
    ],
)
def test_number_hint(raw: str, hint: str | None) -> None:
    assert number_hint(raw) == hint


def test_printable_and_excerpt_escape_what_a_terminal_would_obey() -> None:
    assert (
        printable("a\x1b[2Jb\nc\td\x7f\x9b\u202ee\u2028f") == "a\\x1b[2Jb\\nc\\td\\x7f\\x9b\\u202ee\\u2028f"
    )
    assert printable("许可证 B2-20210247（十五）") == "许可证 B2-20210247（十五）"  # text as it is
    assert excerpt("x" * 50, 10) == "x" * 10 + "…"
    assert shown(Path("a" * 300)) == "a" * 120 + "…" + "a" * 60


def test_a_nul_byte_in_a_path_is_an_error_not_a_crash() -> None:
    with pytest.raises(DataFileError) as info:
        load_one(Path("lic\x00.yaml"))
    assert info.value.message == "lic\\x00.yaml: a path cannot contain a NUL byte"


def test_folders_skip_hidden_files_and_keep_what_the_reader_must_report(tmp_path: Path) -> None:
    write(tmp_path, licence_text(), "b.yaml")
    write(tmp_path, licence_text(), ".hidden.yaml")
    write(tmp_path, licence_text(), "._b.yaml")
    (tmp_path / "sub.yml").mkdir()
    (tmp_path / "a.yml").symlink_to(tmp_path / "missing.yaml")
    assert [p.name for p in expand_paths([tmp_path])] == ["a.yml", "b.yaml"]
    assert validate_files(expand_paths([tmp_path])) == [
        f"{tmp_path / 'a.yml'}: a broken symlink (it points to {tmp_path / 'missing.yaml'}, which does not exist)"
    ]


def test_paths_that_are_no_folders_are_passed_on_for_the_reader(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    assert expand_paths([missing]) == [missing]
    assert error_of(missing).message == f"{missing}: no such file"


@pytest.mark.parametrize("value", [":", "a::b", "a:"])
def test_an_empty_entry_in_the_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("LICENSECLI_LICENSE", value)
    with pytest.raises(InputError, match=r"^LICENSECLI_LICENSE='.*' has an empty entry"):
        expand_paths(None)


def test_the_variable_unset_or_blank_means_the_bundled_licence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LICENSECLI_LICENSE", "  ")
    assert expand_paths(None) == [bundled_license_path()]


def test_duplicates_are_refused_by_load_licenses_only(tmp_path: Path) -> None:
    a = write(tmp_path, licence_text(), "a.yaml")
    b = write(tmp_path, licence_text(), "b.yaml")
    c = write(tmp_path, licence_text(number="B2-20990001"), "c.yaml")
    with pytest.raises(DataFileError) as info:
        load_licenses([tmp_path])
    assert info.value.message == f"B2-20210247 is in 2 files: {a}, {b} (a copy or an old version? keep one)"
    loaded = load_with_paths([tmp_path])
    assert [p for p, _ in loaded] == [a, b, c]  # renew-check reports them itself
    assert duplicate_numbers(loaded) == {"B2-20210247": [a, b]}
    assert [lic.number for lic in load_licenses([a, c])] == ["B2-20210247", "B2-20990001"]


def test_validate_files_reports_duplicates_at_the_number(tmp_path: Path) -> None:
    text = licence_text()
    a = write(tmp_path, text, "a.yaml")
    b = write(tmp_path, text, "b.yaml")
    bad = write(tmp_path, licence_text(holder=""), "bad.yaml")  # same number, but not loaded
    problems = validate_files([a, bad, b])
    assert problems == [
        f"{bad}:{line_of(text, 'schema_version')}: holder: missing (this field is required)",
        f"{b}:{line_of(text, chr(10) + 'number:')}: number: B2-20210247 is in 2 files: {a}, {b} "
        "(a copy or an old version? keep one)",
    ]


def test_a_number_in_a_text_field_is_taken_as_written(tmp_path: Path) -> None:
    path = write(tmp_path, licence_text(holder="0123", legal_representative="0x1e", issuer="on"))
    lic = load_license(path)
    assert (lic.holder, lic.legal_representative, lic.issuer) == ("0123", "0x1e", "on")


def test_an_unknown_key_with_a_misread_number_is_an_unknown_key(tmp_path: Path) -> None:
    text = licence_text(dayz="030")
    path = write(tmp_path, text)
    assert error_of(path).message == (
        f"{path}:{line_of(text, 'dayz:')}: dayz: unknown key (check the spelling; `licensecli schema` lists the fields)"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!int abc", "'abc' is not a whole number"),
        ("!!float abc", "'abc' cannot be read as float"),
        ("!!timestamp 2026-13-01", "'2026-13-01' is not a real date (YYYY-MM-DD)"),
        ("9" * 5000, "'999999999999…' is a number of 5,000 digits: far too large"),
    ],
)
def test_values_that_cannot_be_constructed_are_problems(tmp_path: Path, value: str, message: str) -> None:
    text = licence_text(holder=value)
    path = write(tmp_path, text)
    assert error_of(path).message == f"{path}:{line_of(text, 'holder:')}: holder: {message}"
