"""The batch path gives exactly the answers of the single-query path (repeated questions, which
the batch answers from memory, included), and the calendar index agrees with chinese-calendar's
own day-by-day answer over every year it publishes."""

from __future__ import annotations

import datetime as dt
import json
import random
import warnings

import pytest

from licensecli.workdays import Calendar

from .conftest import run

REFS = [
    "9",
    "illegal-info-report",
    "十一",
    "15.8",
    "8",
    "local-office-change-report",
    "registration-change-application",
]


def test_batch_equals_single_queries() -> None:
    rng = random.Random(7)
    queries = [
        {
            "obligation": rng.choice(REFS),
            "on": (dt.date(2023, 6, 1) + dt.timedelta(rng.randrange(1300))).isoformat(),
        }
        for _ in range(25)
    ]
    queries += queries[:5]  # asked again: answered from the batch's memory
    queries += [{"obligation": "renewal-application"}, {"obligation": "annual-report", "year": 2025}]
    text = "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries)
    batch = run("due", "--batch", "-", "--as-of", "2026-11-28", input=text)
    assert batch.exit_code == 0
    lines = batch.stdout.splitlines()
    assert len(lines) == len(queries)
    for query, line in zip(queries, lines, strict=True):
        args = ["due", query["obligation"], "--json", "--as-of", "2026-11-28"]
        if "on" in query:
            args += ["--on", query["on"]]
        if "year" in query:
            args += ["--year", str(query["year"])]
        single = run(*args)
        assert single.exit_code == 0
        assert json.loads(line) == json.loads(single.stdout)


@pytest.mark.parametrize("year", range(2004, 2027))
def test_index_agrees_with_chinese_calendar(year: int) -> None:
    import chinese_calendar

    calendar = Calendar()
    start = dt.date(year, 1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        days = [start + dt.timedelta(n) for n in range(366) if (start + dt.timedelta(n)).year == year]
        assert [calendar.is_workday(d) for d in days] == [chinese_calendar.is_workday(d) for d in days]
        if year < 2026:  # n = 10 from each month's first working day, as chinese-calendar finds it
            for month in range(1, 13):
                # find_workday(0, d) is the first working day on or after d; from a working day,
                # find_workday(10, d) is the 10th working day after it, as licensecli counts (R4).
                first = chinese_calendar.find_workday(0, dt.date(year, month, 1))
                assert calendar.add(first, 10).date == chinese_calendar.find_workday(10, first)
