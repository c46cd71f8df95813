"""The benchmark harness runs end to end on a little data (it times nothing that is asserted)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings

from bench import runner
from tests.factories import ProposalFactory
from tests.perf.conftest import generate

pytestmark = pytest.mark.django_db


def test_benchmark_command_writes_every_figure(tmp_path):
    generate(30)
    output = tmp_path / "benchmark.json"
    out = io.StringIO()
    call_command(
        "benchmark",
        "--repeat",
        "2",
        "--warmup",
        "1",
        "--no-gc-freeze",
        "--output",
        str(output),
        stdout=out,
    )
    data = json.loads(output.read_text())
    assert [item["name"] for item in data["results"]] == list(runner.NAMES)
    for item in data["results"]:
        assert item["queries"] > 0
        assert (item["floor_median_ms"] is None) == (item["name"] == "api transition")
    assert "as-of list / plain list" in out.getvalue()


@override_settings(ROOT_URLCONF="bench.urls")
def test_floor_list_returns_the_rows_of_the_api_list():
    generate(12)
    client = Client()
    api = client.get("/api/v1/proposals/?page_size=100&as_of=2012-06-30").json()
    floor = client.get("/__floor__/proposals/?page_size=100&as_of=2012-06-30").json()
    assert floor["count"] == api["count"]
    assert [row["slug"] for row in floor["results"]] == [row["slug"] for row in api["results"]]
    assert [row["shown_status"] for row in floor["results"]] == [
        row["status"] for row in api["results"]
    ]


def test_benchmark_refuses_real_data_and_unknown_endpoints():
    ProposalFactory()
    with pytest.raises(CommandError, match="not synthetic"):
        call_command("benchmark", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Unknown endpoint"):
        call_command("benchmark", "--force", "--only", "nothing", stdout=io.StringIO())


def test_scale_targets_are_the_stricter_ones_and_search_is_held_to_the_list_floor():
    list_page = runner.Measurement("api list", "api-list", "/", 10.0, 12.0, 4, floor_median_ms=8.0)
    search = runner.Measurement("api list q", "api-list", "/?q=", 15.0, 18.0, 4)
    as_of = runner.Measurement("api list as_of", "api-list", "/?as_of=", 13.0, 15.0, 4)
    scale = runner.Options(scale=True)
    assert scale.targets["api-list"] == 1.5 and scale.targets["api-detail"] == 1.5
    assert runner.Options().targets["api-list"] == 3.0

    found = {
        label: (ratio, target)
        for label, ratio, target in runner.extras([list_page, search, as_of], None, scale)
    }

    assert found["as-of list / plain list (median)"] == (1.3, 1.2)
    assert found[f"search {runner.SEARCH_TEXT!r} / plain list floor"] == (15.0 / 8.0, 2.0)


def test_a_common_word_search_is_printed_without_a_target():
    list_page = runner.Measurement("api list", "api-list", "/", 10.0, 12.0, 4, floor_median_ms=8.0)
    common = runner.Measurement("api list q common", "api-list", "/?q=", 80.0, 90.0, 4)
    found = runner.extras([list_page, common], None, runner.Options(scale=True))
    assert [(ratio, target) for _label, ratio, target in found] == [(10.0, None)]
    line = runner.table([list_page, common], found).splitlines()[-1]
    assert line.startswith(f"search {runner.COMMON_SEARCH_TEXT!r}") and line.endswith("-  -")
