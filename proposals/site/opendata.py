"""The open-data page (/data/) and its zip, which downloads at once whatever the worker does."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from proposals import dataset, exports


@require_safe
def data_page(request: HttpRequest) -> HttpResponse:
    """What the dataset holds, column by column, and a link to its zip."""
    digest = dataset.fingerprint()
    tables = [
        {
            "table": exports.TABLES[name],
            "columns": exports.TABLES[name].columns(with_fill=False),
            "csv_url": f"{reverse(exports.TABLES[name].api_list)}?format=csv&download=1",
        }
        for name in exports.DATASET_TABLES
    ]
    context = {
        "current": dataset.current_snapshot(digest),
        "latest": dataset.latest_snapshot(),
        "tables": tables,
        "licence": dataset.licence(),
    }
    return render(request, "proposals/site/data.html", context)


@require_safe
def data_zip(request: HttpRequest) -> HttpResponse:
    """The current snapshot; else the last one while a build is queued; else one built now."""
    snapshot = dataset.snapshot_for_download()
    etag = f'"{snapshot.fingerprint}"'
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers={"ETag": etag})
    response = FileResponse(
        snapshot.path.open("rb"),
        as_attachment=True,
        filename=snapshot.filename,
        content_type="application/zip",
    )
    response["ETag"] = etag
    # The address stays the same from one snapshot to the next: ask again every time.
    response["Cache-Control"] = "no-cache"
    return response
