"""A stand-in for Asterisk's manager interface on loopback.

It greets like Asterisk (`Asterisk Call Manager/5.0.x`), checks the Login, records every
action it receives and answers each with `Response: Success`, and replays a script of
events after the login: AMI messages (dicts) or raw bytes (for garbage). Then it waits for
the number of actions the test expects and closes the connection, as Asterisk going away.
"""

import asyncio

BANNER = b"Asterisk Call Manager/5.0.4\r\n"


def message(fields: dict) -> bytes:
    return "".join(f"{key}: {value}\r\n" for key, value in fields.items()).encode() + b"\r\n"


class AmiServer:
    def __init__(self, *, username="civicline", secret="s3cret", script=(), expect_actions=0):
        self.username = username
        self.secret = secret
        self.script = list(script)
        self.expect_actions = expect_actions
        self.actions: list[dict] = []  # every action received, Login included
        self.connections = 0
        self._server = None
        self._enough = asyncio.Event()

    @property
    def port(self) -> int:
        return self._server.sockets[0].getsockname()[1]

    async def __aenter__(self):
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc):
        self._server.close()
        await self._server.wait_closed()

    def sent(self, action: str) -> list[dict]:
        return [a for a in self.actions if a.get("Action") == action]

    async def _read(self, reader) -> dict | None:
        fields = {}
        while True:
            line = await reader.readline()
            if not line:
                return None
            text = line.decode().rstrip("\r\n")
            if not text:
                return fields
            key, _, value = text.partition(": ")
            fields[key] = value

    async def _answer(self, reader, writer) -> None:
        while (action := await self._read(reader)) is not None:
            self.actions.append(action)
            reply = {"Response": "Success", "ActionID": action.get("ActionID", "")}
            writer.write(message(reply))
            await writer.drain()
            if len(self.actions) - self.connections >= self.expect_actions:
                self._enough.set()

    async def _serve(self, reader, writer) -> None:
        self.connections += 1
        writer.write(BANNER)
        login = await self._read(reader)
        self.actions.append(login or {})
        accepted = (
            login and login.get("Username") == self.username and login.get("Secret") == self.secret
        )
        reply = {"ActionID": (login or {}).get("ActionID", "")}
        if not accepted:
            # Asterisk answers and hangs up.
            writer.write(
                message({"Response": "Error", **reply, "Message": "Authentication failed"})
            )
            await writer.drain()
            writer.close()
            return
        writer.write(
            message({"Response": "Success", **reply, "Message": "Authentication accepted"})
        )
        writer.write(
            message({"Event": "FullyBooted", "Privilege": "system,all", "Status": "Fully Booted"})
        )
        for item in self.script:
            writer.write(item if isinstance(item, bytes) else message(item))
            await writer.drain()
        answering = asyncio.create_task(self._answer(reader, writer))
        if self.expect_actions:
            await asyncio.wait_for(self._enough.wait(), 5)
        answering.cancel()
        writer.close()
