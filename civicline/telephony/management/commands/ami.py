"""`civicline manage ami`: follow Asterisk's queues until stopped (Ctrl+C or SIGTERM)."""

import asyncio
import signal

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicline.telephony.ami import AmiConnector, AmiLoginError, AmiSettings


class Command(BaseCommand):
    help = gettext_lazy(
        "Connect to Asterisk's manager interface (CIVICLINE_AMI_HOST, _PORT, _USER, _SECRET): "
        "mirror its queues into civicline and send click-to-call, pause and transfer."
    )

    def handle(self, *args, **options):
        try:
            settings = AmiSettings.from_env()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Following Asterisk at %(host)s:%(port)s (Ctrl+C stops)...")
            % {"host": settings.host, "port": settings.port}
        )
        try:
            asyncio.run(self._run(AmiConnector(settings)))
        except AmiLoginError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Stopped."))

    async def _run(self, connector: AmiConnector) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await connector.run(stop)
