"""The open-data page and its zip."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core.cache import cache

from proposals import dataset
from proposals.models import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _snapshot_root(settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "snapshots"
    cache.clear()


def zip_href(client) -> str:
    page = client.get("/data/")
    assert page.status_code == 200
    hrefs = re.findall(r'href="([^"]+\.zip)"', page.content.decode())
    assert hrefs, "no link to a zip"
    return hrefs[0]


def test_the_page_links_a_zip_that_downloads_at_once(client, corpus):
    page = client.get("/data/").content.decode()
    assert "The first download prepares the snapshot." in page
    assert "proposers_names" in page  # every column is described
    href = zip_href(client)

    response = client.get(href)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert re.fullmatch(
        r'attachment; filename="tracker-dataset-\d{4}-\d{2}-\d{2}\.zip"',
        response["Content-Disposition"],
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    package = json.loads(archive.read("tracker-dataset/datapackage.json"))
    assert [resource["name"] for resource in package["resources"]][:5] == [
        "proposals",
        "changes",
        "citations",
        "sources",
        "actors",
    ]
    assert "Snapshot of" in client.get("/data/").content.decode()


def test_a_current_zip_answers_304_to_its_etag_and_a_write_makes_it_stale(client, db):
    first = client.get("/data/tracker-dataset.zip")
    etag = first["ETag"]
    assert client.get("/data/tracker-dataset.zip", HTTP_IF_NONE_MATCH=etag).status_code == 304

    Actor.objects.create(slug="new", name="New", kind="person")
    assert dataset.current_snapshot() is None
    page = client.get("/data/").content.decode()
    assert "a new one is being prepared" in page
    # The last snapshot is served at once while the new one is queued.
    assert client.get("/data/tracker-dataset.zip")["ETag"] == etag


def test_only_reads_are_allowed(client, db):
    assert client.post("/data/tracker-dataset.zip").status_code == 405
