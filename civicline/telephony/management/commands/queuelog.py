"""`civicline manage queuelog export|import`: queue_log as Asterisk's text file."""

import contextlib
import sys
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from civicline.telephony import queuelog
from civicline.telephony.models import QueueLogEntry
from civicline.telephony.statistics import city_zone, day_start


def _when(value: str, *, end: bool = False) -> datetime:
    """A date (midnight in the city's time zone; for --to, the midnight after it, so the
    day is included) or a date and time (city time unless an offset is given)."""
    day = parse_date(value)
    if day is not None:
        return day_start(day + timedelta(days=1) if end else day)
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise CommandError(
            _("“%(value)s” is not a date (2026-11-23) or a date and time (2026-11-23T08:00).")
            % {"value": value}
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=city_zone())


class Command(BaseCommand):
    help = "Export civicline's queue_log as Asterisk's queue_log file, or import one."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser(
            "export",
            help="Write queue_log lines (time|callid|queue|agent|event|data...), oldest first.",
        )
        export.add_argument("--from", dest="start", help="First day (or date and time).")
        export.add_argument("--to", dest="end", help="Last day, included (or a time, excluded).")
        export.add_argument("--queue", help="Only this queue's lines.")
        export.add_argument("--output", help="File to write; standard output when left out.")
        read = actions.add_parser(
            "import", help="Store an Asterisk queue_log file; lines stored already are skipped."
        )
        read.add_argument("file", help="The queue_log file; - reads standard input.")

    def handle(self, *args, action, **options):
        if action == "export":
            self._export(**options)
        else:
            self._import(options["file"])

    def _export(self, *, start=None, end=None, queue=None, output=None, **options):
        entries = QueueLogEntry.objects.order_by("time", "id")
        if start:
            entries = entries.filter(time__gte=_when(start))
        if end:
            entries = entries.filter(time__lt=_when(end, end=True))
        if queue:
            entries = entries.filter(queue=queue)
        if output:
            try:
                with open(output, "w", encoding="utf-8", newline="\n") as target:
                    written = self._write(entries, target)
            except OSError as error:
                raise CommandError(
                    _("Cannot write %(file)s: %(error)s")
                    % {"file": output, "error": error.strerror}
                ) from None
            self.stderr.write(
                _("%(count)d lines written to %(file)s.") % {"count": written, "file": output}
            )
        else:
            # `| head` may stop reading once it has what it wanted.
            with contextlib.suppress(BrokenPipeError):
                self._write(entries, self.stdout)

    @staticmethod
    def _write(entries, target) -> int:
        written = 0
        for line in queuelog.export_lines(entries):
            target.write(line + "\n")
            written += 1
        return written

    def _import(self, path: str):
        try:
            if path == "-":
                stored = queuelog.import_file(sys.stdin.buffer, source="stdin")
            else:
                with open(path, "rb") as source:
                    stored = queuelog.import_file(source, source=path)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
            ) from None
        except queuelog.QueueLogError as error:
            raise CommandError(
                _("%(error)s Nothing was stored.") % {"error": error.message}
            ) from None
        self.stdout.write(_("%(count)d queue_log lines stored.") % {"count": stored})
