"""The PBX's door into the ASGI server: CTI requests handled on one thread of their own
that keeps its database connection.

Django's ASGI handler gives every request a new thread (a ThreadSensitiveContext), so a
new database connection, and hops between the event loop and threads several times on
the way (the request signals, the middleware, closing the response). For a person's page
that is well spent; for the PBX's events, which come in one after another and go through
the switchboard's lock one at a time anyway, it was more than a third of each event's
cost (bench/acd.py: 97 events/s before, about 160 after, the ORM still in the path).
Here the same middleware and views run as under WSGI, in one long-lived thread.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.urls import set_script_prefix

PATH_PREFIX = "/api/v1/cti/"


class Gateway(ASGIHandler):
    def __init__(self) -> None:
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="civicline-pbx")

    async def __call__(self, scope, receive, send) -> None:
        try:
            body = await self.read_body(receive)
        except RequestAborted:  # the bridge hung up before its body arrived
            return
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(self._thread, self._respond, scope, body)
        await self.send_response(response, send)

    def close_connections(self) -> None:
        """Let the kept connection go, e.g. before its database is dropped."""
        self._thread.submit(connections.close_all).result()

    def _respond(self, scope, body) -> HttpResponse:
        set_script_prefix(get_script_prefix(scope))
        _check_connections()
        try:
            request, refusal = self.create_request(scope, body)
            if request is None:
                return refusal
            response = self.get_response(request)
            # Not response.close(): its request_finished signal would close the connection
            # this thread keeps. A JSON answer holds nothing else to let go.
            response._handler_class = self.__class__
            return response
        finally:
            body.close()


def _check_connections() -> None:
    """The kept connection is tried before each event: one that failed in the last event,
    or that went away since (the database restarted), is replaced by a fresh one, so the
    PBX never gets an error for it."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        try:
            if connection.errors_occurred:
                raise DatabaseError
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            connection.close()
