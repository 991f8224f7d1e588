"""A generic HTTP SMS gateway: the URL, method, auth header and body come from settings.

The body template holds `{to}`, `{text}` and `{key}`; each value is escaped for the body's
format (JSON string content, or URL encoding for forms and GET). Any 2xx answer means the
gateway took the message; anything else, or no answer in time, is a failure to retry.
"""

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request

from civicline.notifications.gateways.base import RESPONSE_CHARS, Delivery

_PLACEHOLDER = re.compile(r"\{(to|text|key)\}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST would come back as a GET without the message: report it instead.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


class HttpGateway:
    def __init__(
        self,
        *,
        url: str,
        method: str,
        auth_header: str,
        body_template: str,
        content_type: str,
        timeout: int,
    ) -> None:
        self.url, self.method, self.auth_header = url, method, auth_header
        self.body_template, self.content_type, self.timeout = body_template, content_type, timeout

    def _body(self, values: dict[str, str]) -> str:
        as_json = self.method != "GET" and "json" in self.content_type
        escape = _json_string if as_json else urllib.parse.quote_plus
        return _PLACEHOLDER.sub(lambda m: escape(values[m.group(1)]), self.body_template)

    def send(self, *, to: str, text: str, key: str) -> Delivery:
        body = self._body({"to": to, "text": text, "key": key})
        headers = {"Idempotency-Key": key}
        if self.auth_header:
            headers["Authorization"] = self.auth_header
        url, data = self.url, None
        if self.method == "GET":
            url += ("&" if "?" in url else "?") + body
        else:
            data = body.encode("utf-8")
            headers["Content-Type"] = self.content_type
        request = urllib.request.Request(url, data=data, headers=headers, method=self.method)
        try:
            with _opener.open(request, timeout=self.timeout) as response:
                answer = f"{response.status} {_text(response.read())}"
        except urllib.error.HTTPError as exc:
            return Delivery(accepted=False, response=f"{exc.code} {_text(exc.read())}")
        # Refused, unreachable, timed out (URLError is an OSError), or a garbled answer.
        except (OSError, http.client.HTTPException) as exc:
            return Delivery(
                accepted=False, response=f"{type(exc).__name__}: {exc}"[:RESPONSE_CHARS]
            )
        return Delivery(accepted=True, response=answer)


def _json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _text(raw: bytes) -> str:
    return raw[:RESPONSE_CHARS].decode("utf-8", errors="replace")
