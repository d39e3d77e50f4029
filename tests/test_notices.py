"""data/notices.yaml, the State Council's holiday notices behind each year's schedule: every year
from 2004 to 2026 is named, and each entry agrees with itself (its year, its date, its number, its
address on www.gov.cn). The file is checked on its own; no outside dataset is read."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

NOTICES = Path(__file__).resolve().parents[1] / "data" / "notices.yaml"
YEARS = range(2004, 2027)
FIELDS = {"title", "number", "published", "url", "confidence", "sources", "note", "covers"}
# 国办发明电〔2024〕12号 from the General Office, 国发明电〔2015〕1号 from the State Council itself.
NUMBER = re.compile(r"^国(办)?发明电〔(\d{4})〕(\d+)号$")


def load() -> dict[str, Any]:
    with NOTICES.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    assert isinstance(document, dict)
    return document


def entries() -> list[tuple[int, int, dict[str, Any]]]:
    """(year, position within the year, entry) for every notice in the file."""
    return [
        (year, index, entry)
        for year, listed in sorted(load()["notices"].items())
        for index, entry in enumerate(listed)
    ]


def test_the_file_declares_its_schema() -> None:
    document = load()
    assert document["schema"] == 1
    assert set(document) == {"schema", "notices"}


def test_every_year_from_2004_to_2026_has_a_notice_and_no_other_year_is_listed() -> None:
    notices = load()["notices"]
    assert sorted(notices) == list(YEARS)
    for year in YEARS:
        assert isinstance(notices[year], list) and notices[year], year
        assert all(isinstance(entry, dict) for entry in notices[year]), year


def test_each_entry_carries_only_known_fields_and_always_a_title_and_a_confidence() -> None:
    for year, index, entry in entries():
        assert set(entry) <= FIELDS, (year, index, set(entry) - FIELDS)
        assert isinstance(entry.get("title"), str) and entry["title"].strip(), (year, index)
        assert entry.get("confidence") in {"confirmed", "secondary"}, (year, index)


def test_the_first_notice_of_each_year_is_the_general_offices_schedule_for_it() -> None:
    for year, listed in load()["notices"].items():
        assert listed[0]["title"] == f"国务院办公厅关于{year}年部分节假日安排的通知", year


def test_a_title_names_its_year_unless_the_notice_was_issued_within_it() -> None:
    # The 2015 Victory Day notice is titled by the anniversary, not the year; it was issued in May 2015.
    unnamed = []
    for year, index, entry in entries():
        if str(year) not in entry["title"]:
            unnamed.append((year, index))
            assert isinstance(entry.get("published"), datetime.date), (year, index)
            assert entry["published"].year == year, (year, index)
    assert all(index > 0 for _, index in unnamed)


def test_each_url_is_a_page_on_www_gov_cn_and_no_page_is_listed_twice() -> None:
    urls = []
    for year, index, entry in entries():
        if "url" in entry:
            url = entry["url"]
            assert isinstance(url, str), (year, index)
            assert url.startswith(("https://www.gov.cn/", "http://www.gov.cn/")), (year, index, url)
            assert not re.search(r"\s", url), (year, index, url)
            urls.append(url.split("://", 1)[1])
    assert len(urls) == len(set(urls))


def test_a_confirmed_entry_names_its_page() -> None:
    for year, index, entry in entries():
        if entry["confidence"] == "confirmed":
            assert "url" in entry, (year, index)


def test_each_date_falls_in_the_year_before_or_the_year_itself() -> None:
    for year, index, entry in entries():
        if "published" in entry:
            published = entry["published"]
            # safe_load reads an unquoted 2025-11-04 as a date; a quoted one would stay a string.
            assert type(published) is datetime.date, (year, index, published)
            assert published.year in (year - 1, year), (year, index, published)


def test_a_later_notice_for_a_year_came_after_the_first() -> None:
    for year, listed in load()["notices"].items():
        first = listed[0].get("published")
        for index, entry in enumerate(listed[1:], 1):
            if first is not None and "published" in entry:
                assert entry["published"] > first, (year, index)


def test_each_number_is_well_formed_and_of_the_year_the_notice_bears() -> None:
    seen = []
    for year, index, entry in entries():
        if "number" not in entry:
            continue
        match = NUMBER.match(entry["number"])
        assert match, (year, index, entry["number"])
        issued_in = int(match.group(2))
        assert issued_in in (year - 1, year), (year, index)
        if "published" in entry:
            assert issued_in == entry["published"].year, (year, index)
        # The General Office's numbers (国办发明电) belong to its own titles, and the State Council's to its.
        assert (match.group(1) is not None) == entry["title"].startswith("国务院办公厅"), (year, index)
        seen.append(entry["number"])
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize("field", ["sources", "note"])
def test_sources_and_notes_are_text(field: str) -> None:
    for year, index, entry in entries():
        if field not in entry:
            continue
        value = entry[field]
        if field == "sources":
            assert isinstance(value, list) and value, (year, index)
            assert all(isinstance(item, str) and item.strip() for item in value), (year, index)
        else:
            assert isinstance(value, str) and value.strip(), (year, index)


def test_an_entry_without_a_page_says_why() -> None:
    for year, index, entry in entries():
        if "url" not in entry:
            assert entry["confidence"] == "secondary", (year, index)
            assert "note" in entry, (year, index)
