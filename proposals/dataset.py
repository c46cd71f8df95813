"""
The open-data snapshot: every table as CSV, a Frictionless data package, the sources' texts.

`write_dataset` writes the files into a directory (`manage.py export_dataset DIR`);
`build_snapshot` zips them into OPEN_DATA_ROOT under a name that carries a fingerprint of the
data, so a snapshot stays current until the next write and the `/data/` page can tell whether
it is. `snapshot_for_download` never makes a visitor wait for a worker: it serves the current
snapshot, or the last one while a background build is queued, or builds one at once.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from proposals import exports, selectors, spreadsheet
from proposals.routing import slug_url

# Bump when the layout or the columns of a snapshot change: older snapshots are then stale.
LAYOUT_VERSION = 1
ZIP_PREFIX = "tracker-dataset-"
FOLDER = "tracker-dataset"
KEEP_SNAPSHOTS = 2
BUILD_QUEUED_KEY = "opendata:build-queued"
BUILD_QUEUED_SECONDS = 600

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    path: Path
    fingerprint: str
    created: datetime.datetime

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @property
    def filename(self) -> str:
        """The name a download is saved under: the snapshot's date, not its fingerprint."""
        return f"{FOLDER}-{self.created:%Y-%m-%d}.zip"


def root() -> Path:
    return Path(settings.OPEN_DATA_ROOT)


def licence() -> dict[str, str]:
    """The licence of the tracker's own data: `name`, `title` and `path` (its address)."""
    return dict(settings.OPEN_DATA_LICENSE)


# --- Fingerprint ----------------------------------------------------------------------------


def fingerprint() -> str:
    """A short hash of the state of the data: it changes with every write the tracker makes.

    See selectors.data_state for what it reads.
    """
    parts: list[Any] = [LAYOUT_VERSION, *selectors.data_state()]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


# --- Writing the files ----------------------------------------------------------------------


def _write_annotations(path: Path) -> bool:
    """Write every citation as a W3C Web Annotation, all in one AnnotationCollection.

    Only where the API speaks Web Annotations (proposals.api.annotations, the shape of
    `GET /api/v1/citations/?format=jsonld`); return whether the file was written. Items are
    written one by one: a large tracker's citations never sit in memory together.
    """
    if importlib.util.find_spec("proposals.api.annotations") is None:
        return False
    from proposals.api import annotations

    proposal_url = slug_url("api:proposal-detail")
    source_url = slug_url("api:source-detail")
    citations_url = reverse("api:citation-list")
    total = 0
    with path.open("w", encoding="utf-8") as file:
        file.write(
            f'{{"@context": {json.dumps(annotations.ANNOTATION_CONTEXT)}, '
            '"type": "AnnotationCollection", "label": "Citations of the proposal tracker", '
            '"first": {"type": "AnnotationPage", "startIndex": 0, "items": ['
        )
        for data in exports.TABLES["citations"].representations():
            item = annotations.annotation(
                data,
                url=f"{citations_url}{data['id']}/",
                proposal_url=proposal_url,
                source_url=source_url,
                context=False,
            )
            file.write(("," if total else "") + "\n" + json.dumps(item, ensure_ascii=False))
            total += 1
        file.write(f'\n]}}, "total": {total}}}\n')
    return True


def _table_resource(name: str) -> dict[str, Any]:
    table = exports.TABLES[name]
    schema: dict[str, Any] = {
        "fields": [column.schema() for column in table.columns(with_fill=False)],
        "primaryKey": [table.primary_key],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [column], "reference": {"resource": resource, "fields": [key]}}
            for column, resource, key in table.foreign_keys
        ]
    return {
        "name": name,
        "title": table.title,
        "description": table.description,
        "path": f"data/{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def data_package(created: datetime.datetime) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of a snapshot: its tables (a tabular package)."""
    resources = [_table_resource(name) for name in exports.DATASET_TABLES]
    return {
        "profile": "tabular-data-package",
        "name": "proposal-tracker",
        "title": "Proposal tracker: proposals, citations and status histories",
        "description": "Policy proposals tied to the exact words of their sources, with the "
        "status history of each. The sources' full texts are in texts/, one file per source "
        "slug.",
        "created": created.isoformat(),
        "licenses": [licence()],
        "resources": resources,
    }


def _readme(created: datetime.datetime, *, with_annotations: bool) -> str:
    terms = licence()
    tables = "\n".join(
        f"- `data/{name}.csv`: {exports.TABLES[name].description}"
        for name in exports.DATASET_TABLES
    )
    annotations = (
        "- `annotations.jsonld`: every citation as a W3C Web Annotation (JSON-LD).\n"
        if with_annotations
        else ""
    )
    return f"""# Proposal tracker: open data

Snapshot of {created:%Y-%m-%d %H:%M} UTC.

{tables}
- `texts/<slug>.txt`: the full text of each source, exactly as the tracker holds it (UTF-8).
{annotations}- `datapackage.json`: a Frictionless Data Package describing every column of every
  table, its type, the primary keys and the links between tables.

The CSV files are UTF-8 with a byte order mark. A list in one cell is separated by `;` (slugs and
names) or by spaces (ids). A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return is prefixed with `'`, so that a spreadsheet shows it instead of running it as a formula;
drop that `'` to read the original text.

## Licence

The tracker's own data (the proposals, summaries, statuses, notes and citations' positions) is
published under {terms["title"]} ({terms["path"]}). The source texts are reproduced from
their publishers so that every quote can be checked against them; their publishers' terms apply
to them.
"""


def write_dataset(directory: Path, *, created: datetime.datetime | None = None) -> list[Path]:
    """Write a snapshot's files into `directory`; return their paths."""
    created = created or timezone.now().replace(microsecond=0)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    (directory / "data").mkdir(exist_ok=True)
    for name in exports.DATASET_TABLES:
        table = exports.TABLES[name]
        path = directory / "data" / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as file:
            spreadsheet.write_csv(
                file, table.header(with_fill=False), table.stream(with_fill=False)
            )
        written.append(path)
    (directory / "texts").mkdir(exist_ok=True)
    for slug, text in selectors.source_texts():
        path = directory / "texts" / f"{slug}.txt"
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    path = directory / "annotations.jsonld"
    with_annotations = _write_annotations(path)
    if with_annotations:
        written.append(path)
    path = directory / "datapackage.json"
    path.write_text(json.dumps(data_package(created), ensure_ascii=False, indent=1), "utf-8")
    written.append(path)
    path = directory / "README.md"
    path.write_text(_readme(created, with_annotations=with_annotations), encoding="utf-8")
    written.append(path)
    return written


# --- Snapshots ------------------------------------------------------------------------------


def _snapshots() -> Iterator[Snapshot]:
    folder = root()
    if not folder.is_dir():
        return
    for path in folder.glob(f"{ZIP_PREFIX}*.zip"):
        stamp, _, digest = path.stem.removeprefix(ZIP_PREFIX).partition("-")
        try:
            created = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(
                tzinfo=datetime.UTC
            )
        except ValueError:
            continue
        yield Snapshot(path=path, fingerprint=digest, created=created)


def latest_snapshot() -> Snapshot | None:
    """The newest snapshot built, current or not."""
    return max(_snapshots(), key=lambda snapshot: snapshot.created, default=None)


def current_snapshot(digest: str | None = None) -> Snapshot | None:
    """The snapshot of the data as it is now, if one has been built."""
    digest = digest or fingerprint()
    current = [snapshot for snapshot in _snapshots() if snapshot.fingerprint == digest]
    return max(current, key=lambda snapshot: snapshot.created, default=None)


def build_snapshot() -> Snapshot:
    """Write the dataset and zip it into OPEN_DATA_ROOT; keep the few newest snapshots."""
    digest = fingerprint()
    created = timezone.now().replace(microsecond=0)
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".build-") as work:
        files = write_dataset(Path(work) / FOLDER, created=created)
        partial = Path(work) / "snapshot.zip"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, path.relative_to(work).as_posix())
        target = folder / f"{ZIP_PREFIX}{created:%Y%m%dT%H%M%SZ}-{digest}.zip"
        # Atomic: a download never sees half a zip, and concurrent builds each write whole.
        os.replace(partial, target)
    _prune()
    return Snapshot(path=target, fingerprint=digest, created=created)


def _prune() -> None:
    ordered = sorted(_snapshots(), key=lambda snapshot: snapshot.created, reverse=True)
    for old in ordered[KEEP_SNAPSHOTS:]:
        old.path.unlink(missing_ok=True)
    for leftover in root().glob(".build-*"):
        # A build that crashed leaves its folder; one older than an hour is not running.
        if leftover.stat().st_mtime < timezone.now().timestamp() - 3600:
            shutil.rmtree(leftover, ignore_errors=True)


def schedule_build(digest: str) -> bool:
    """Queue a background build of the snapshot of `digest`; return whether one is queued.

    One build per state of the data: the cache remembers that it was queued, so a crowd of
    downloads while the data is stale queues one build, not one each.
    """
    from proposals.tasks import build_open_data_snapshot

    if not cache.add(f"{BUILD_QUEUED_KEY}:{digest}", True, timeout=BUILD_QUEUED_SECONDS):
        return True
    try:
        build_open_data_snapshot.enqueue()
    except Exception:
        # No usable tasks backend (a worker's queue down, say): the request builds it instead.
        cache.delete(f"{BUILD_QUEUED_KEY}:{digest}")
        logger.exception("Could not queue a build of the open-data snapshot.")
        return False
    return True


def snapshot_for_download() -> Snapshot:
    """The snapshot to serve now: the current one; else the last one while a build is queued;
    else one built at once (a first visitor, or no background worker to build it)."""
    digest = fingerprint()
    current = current_snapshot(digest)
    if current is not None:
        return current
    latest = latest_snapshot()
    if latest is not None and schedule_build(digest):
        return latest
    return build_snapshot()
