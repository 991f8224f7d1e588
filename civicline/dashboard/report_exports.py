"""The call reports as files: CSV (one section per table) and XLSX (one sheet per table).

Numbers stay numbers: counts as integers, durations as seconds, rates as fractions (the
XLSX shows them as percentages). Times are the city's local time.
"""

import csv
import io
import re
from datetime import datetime

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import Cell as SheetCell
from openpyxl.utils import get_column_letter

from civicline.dashboard.report_tables import COUNT, RATE, SECONDS, TIME, CallReport, Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet reads a cell starting with one of these as a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_XLSX_FORMATS = {TIME: "yyyy-mm-dd hh:mm", SECONDS: "0.0", RATE: "0.0%", COUNT: "0"}


def filename(report: CallReport, extension: str) -> str:
    """calls-2026-11-16-2026-11-22.csv, with the queue's name when one was chosen."""
    query = report.query
    parts = ["calls"]
    if query.queue is not None:
        parts.append(query.queue.name)  # a slug: safe in a file name
    parts += [query.first_day.isoformat(), query.last_day.isoformat()]
    return f"{'-'.join(parts)}.{extension}"


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv_value(kind: str, value):
    if value is None:
        return ""
    if kind == TIME:
        return value.isoformat(timespec="minutes")
    if kind == RATE:
        return round(value, 4)
    if kind == SECONDS:
        return round(value, 1)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_response(report: CallReport, tables: list[Table]) -> HttpResponse:
    """A section per table: its title, its header, its rows, then an empty line. UTF-8
    with a byte order mark, so that Excel reads Cyrillic names right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for number, table in enumerate(tables):
        if number:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.file_headers)
        for row in table.rows:
            writer.writerow([_csv_value(cell.kind, cell.value) for cell in row.cells])
    content = out.getvalue().encode("utf-8-sig")
    return _attachment(content, "text/csv; charset=utf-8", filename(report, "csv"))


def _sheet_name(title: str, taken: set[str]) -> str:
    # Excel allows 31 characters and none of []:*?/\ in a sheet's name.
    name = _SHEET_NAME_BAD.sub(" ", title)[:31].strip() or "Sheet"
    base, number = name, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def _sheet_cell(sheet, kind: str, value) -> SheetCell:
    cell = SheetCell(sheet)
    if isinstance(value, datetime):
        # Excel has no time zones: the city's wall-clock time, as on the page.
        value = value.replace(tzinfo=None)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever a queue or agent is called
    if kind in _XLSX_FORMATS:
        cell.number_format = _XLSX_FORMATS[kind]
    return cell


def xlsx_response(report: CallReport, tables: list[Table]) -> HttpResponse:
    """A sheet per table, its header frozen above the rows."""
    book = Workbook()
    book.remove(book.active)
    book.properties.title = filename(report, "xlsx").removesuffix(".xlsx")
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, taken))
        sheet.append(table.file_headers)
        for row in table.rows:
            sheet.append([_sheet_cell(sheet, cell.kind, cell.value) for cell in row.cells])
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            width = 18 if column.kind == TIME else max(10, min(40, len(str(column.title)) + 2))
            sheet.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    book.save(out)
    return _attachment(out.getvalue(), XLSX_TYPE, filename(report, "xlsx"))
