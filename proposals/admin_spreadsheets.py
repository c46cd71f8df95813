"""
The admin's spreadsheet export and import of proposals, through django-import-export.

Export gives the proposals download (the API's columns, with the bulk columns empty) as CSV or
XLSX; import reads the same file back as bulk status changes. django-import-export's preview is
the dry run and its confirmation the real run; both call proposals.bulk, so every row passes
through the transition service, all or nothing, and each change is written to the admin's log.
"""

from __future__ import annotations

from typing import Any

import tablib
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from import_export import resources
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.forms import ExportForm
from import_export.results import Error, Result, RowResult

from proposals import bulk, errors, exports, spreadsheet
from proposals.models import Proposal, StatusChange
from proposals.roles import is_editor


def _log_change(user: Any) -> Any:
    """A bulk `on_change` callback writing each change to the admin's log as `user`."""
    # The admin module imports this one: take its message helper when called.
    from proposals.admin import status_change_message

    def log(proposal: Proposal, change: StatusChange) -> None:
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[proposal],
            action_flag=CHANGE,
            change_message=f"{status_change_message(change)} Bulk import.",
            single_object=True,
        )

    return log


class ProposalSpreadsheetResource(resources.Resource):
    """Proposals as a spreadsheet; importing it records the status changes it carries."""

    # Declared so that the import page names the columns it reads.
    slug = Field(column_name="slug")
    version = Field(column_name="version")
    to_status = Field(column_name="to_status")
    effective_date = Field(column_name="effective_date")
    effective_precision = Field(column_name="effective_precision")
    note = Field(column_name="note")
    evidence = Field(column_name="evidence")

    @classmethod
    def get_display_name(cls) -> str:
        return "Proposals with bulk status changes"

    def import_data(
        self,
        dataset: tablib.Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = False,
        **kwargs: Any,
    ) -> Result:
        """Run the rows through proposals.bulk and report them as django-import-export does."""
        user = kwargs.get("user")
        result = Result()
        result.diff_headers = list(bulk.BULK_COLUMNS)
        result.total_rows = len(dataset)
        cells = [
            [spreadsheet.restore(value) if isinstance(value, str) else value for value in row]
            for row in dataset
        ]
        try:
            rows = bulk.rows_from_table(
                dataset.headers or [], cells, other_columns=exports.proposal_download_columns()
            )
            outcome = bulk.apply_transitions(
                rows=rows,
                user=user,
                dry_run=dry_run,
                on_change=_log_change(user) if user is not None else None,
            )
        except errors.DomainError as exc:
            result.append_base_error(Error(exc))
            return result
        raw_rows = dict(rows)
        for row in outcome.rows:
            raw = raw_rows[row.row]
            values = {name: raw.get(name, "") for name in result.diff_headers}
            row_result = RowResult()
            row_result.object_repr = row.slug
            row_result.row_values = values
            row_result.diff = [values[name] for name in result.diff_headers]
            if row.ok:
                row_result.import_type = (
                    RowResult.IMPORT_TYPE_SKIP if row.skipped else RowResult.IMPORT_TYPE_UPDATE
                )
            else:
                row_result.import_type = RowResult.IMPORT_TYPE_INVALID
                row_result.validation_error = ValidationError(row.errors)
                result.append_invalid_row(row.row, values, row_result.validation_error)
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)
        return result


class ProposalSpreadsheetMixin(ImportExportMixin):
    """Export proposals as CSV or XLSX, and import the same file as bulk status changes."""

    resource_classes = [ProposalSpreadsheetResource]
    import_formats = [base_formats.CSV, base_formats.XLSX]
    export_formats = [base_formats.CSV, base_formats.XLSX]
    # The columns are fixed (those of the API's download): choose a format only.
    export_form_class = ExportForm
    # Each change is logged by the bulk service's callback, with its statuses.
    skip_admin_log = True
    from_encoding = "utf-8-sig"

    def has_import_permission(self, request: HttpRequest) -> bool:
        return is_editor(request.user)

    def get_export_data(
        self, file_format: Any, request: HttpRequest, queryset: QuerySet, **kwargs: Any
    ) -> bytes:
        """The proposals of the changelist, with the columns of the API's download."""
        table = exports.TABLES["proposals"]
        selected = table.queryset().filter(pk__in=queryset.values("pk"))
        rows = table.stream(selected, context={"request": request})
        if isinstance(file_format, base_formats.CSV):
            return spreadsheet.csv_bytes(table.header(), rows)
        data = tablib.Dataset(headers=table.header())
        for row in rows:
            data.append([spreadsheet.cell(value) for value in row])
        return file_format.export_data(data)

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        """After the confirmed import: say what moved, or why nothing did."""
        url = reverse(
            "admin:{}_{}_changelist".format(*self.get_model_info()),
            current_app=self.admin_site.name,
        )
        if result.has_errors() or result.has_validation_errors():
            refused = [
                f"row {row.number}: {'; '.join(row.error.messages)}" for row in result.invalid_rows
            ] + [str(error.error) for error in result.base_errors]
            messages.error(request, "Nothing was written. " + " ".join(refused[:20]))
            return HttpResponseRedirect(url)
        moved = result.totals[RowResult.IMPORT_TYPE_UPDATE]
        left = result.totals[RowResult.IMPORT_TYPE_SKIP]
        messages.success(
            request, f"{moved} proposal{'s' if moved != 1 else ''} moved; {left} left as they were."
        )
        return HttpResponseRedirect(url)
