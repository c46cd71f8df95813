"""Dates in each language's usual form, to the precision the source gives."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from proposals.dates import format_precise_date, machine_date

DAY = datetime.date(2021, 8, 27)


@pytest.mark.parametrize(
    ("language", "precision", "expected"),
    [
        ("en", "day", "27 August 2021"),
        ("en", "month", "August 2021"),
        ("en", "year", "2021"),
        ("ja", "day", "2021年8月27日"),
        ("ja", "month", "2021年8月"),
        ("ja", "year", "2021年"),
        ("zh-hant", "day", "2021年8月27日"),
        ("zh-hant", "month", "2021年8月"),
        ("zh-hant", "year", "2021年"),
    ],
)
def test_each_language_and_precision(language, precision, expected):
    assert format_precise_date(DAY, precision, language) == expected
    with translation.override(language):
        assert format_precise_date(DAY, precision) == expected


def test_the_machine_form_keeps_the_precision():
    assert [machine_date(DAY, p) for p in ("day", "month", "year")] == [
        "2021-08-27",
        "2021-08",
        "2021",
    ]


def test_no_date_is_empty():
    assert format_precise_date(None, "day", "ja") == ""


def test_template_filter_and_time_tag_follow_the_active_language():
    template = Template(
        "{% load tracker_site %}{{ day|precise_date:'month' }} {% time_tag day 'day' %}"
    )
    with translation.override("ja"):
        html = template.render(Context({"day": DAY}))
    assert html == '2021年8月 <time datetime="2021-08-27">2021年8月27日</time>'
