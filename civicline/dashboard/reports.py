"""The supervisor's call reports: a period's queue figures by hour, day or week, on a page
with charts or as a CSV or XLSX file. The view parses, checks access, reads one report
and renders it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civicline.dashboard import report_exports
from civicline.dashboard.report_forms import MOST_DAYS, call_report_form
from civicline.dashboard.report_tables import call_report, chart_data, default_threshold_s, tables
from civicline.directory.pages import supervisors

EXPORTS = {"csv": report_exports.csv_response, "xlsx": report_exports.xlsx_response}


@supervisors
@require_GET
def call_reports(request: HttpRequest) -> HttpResponse:
    form = call_report_form(request.GET)
    export = request.GET.get("format", "")
    context = {"form": form, "most_days": MOST_DAYS, "default_threshold_s": default_threshold_s()}
    if export and export not in EXPORTS:
        context["format_error"] = _("A report is exported as CSV or XLSX.")
        return render(request, "dashboard/call_reports.html", context, status=400)
    if not form.is_valid():
        return render(request, "dashboard/call_reports.html", context, status=400)
    report = call_report(form.report_query())
    found = tables(report)
    if export:
        return EXPORTS[export](report, found)
    context.update(
        report=report,
        tables={table.name: table for table in found},
        chart=chart_data(report),
        query=form.query(),
    )
    return render(request, "dashboard/call_reports.html", context)
