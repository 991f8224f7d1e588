"""An OpenAPI 3.0 description of the GeoReport v2 JSON endpoints, served at
`/open311/v2/openapi.json`. The XML twins of the endpoints answer the same way."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from civicline.directory.models import Question
from civicline.open311.selectors import MAX_PAGE_SIZE

JSON = "application/json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(name: str) -> dict:
    return {"type": "array", "items": _ref(name)}


def _ok(description: str, schema: dict, status: str = "200") -> dict:
    return {status: {"description": description, "content": {JSON: {"schema": schema}}}}


def _errors(*statuses: int) -> dict:
    return {str(status): {"$ref": f"#/components/responses/Error{status}"} for status in statuses}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}  # fmt: skip


def _moment(name: str, description: str) -> dict:
    return _query(name, {"type": "string", "format": "date-time"}, description)


# A path parameter is one segment: it never holds a slash.
SEGMENT = {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[^/]+$"}

TEXT = {"type": "string"}
MOMENT = {"type": "string", "format": "date-time"}
STATUS = {"type": "string", "enum": ["open", "closed"]}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": TEXT},
    },
    "Errors": {"type": "array", "minItems": 1, "items": _ref("Error")},
    "Discovery": {
        "type": "object",
        "required": ["changeset", "contact", "key_service", "endpoints"],
        "properties": {
            "changeset": MOMENT,
            "contact": TEXT,
            "key_service": TEXT,
            "endpoints": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["specification", "url", "changeset", "type", "formats"],
                    "properties": {
                        "specification": TEXT,
                        "url": TEXT,
                        "changeset": MOMENT,
                        "type": {"type": "string", "enum": ["production", "test"]},
                        "formats": {"type": "array", "items": TEXT},
                    },
                },
            },
        },
    },
    "Service": {
        "type": "object",
        "required": ["service_code", "service_name", "metadata", "type"],
        "properties": {
            "service_code": TEXT,
            "service_name": TEXT,
            "description": TEXT,
            "metadata": {"type": "boolean", "description": "Whether the service has attributes."},
            "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
            "keywords": TEXT,
            "group": TEXT,
        },
    },
    "ServiceDefinition": {
        "type": "object",
        "required": ["service_code", "attributes"],
        "properties": {
            "service_code": TEXT,
            "attributes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["variable", "code", "datatype", "required", "order"],
                    "properties": {
                        "variable": {"type": "boolean"},
                        "code": TEXT,
                        "datatype": {"type": "string", "enum": list(Question.Datatype.values)},
                        "required": {"type": "boolean"},
                        "datatype_description": TEXT,
                        "order": {"type": "integer", "minimum": 0},
                        "description": TEXT,
                        "values": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["key", "name"],
                                "properties": {"key": TEXT, "name": TEXT},
                            },
                        },
                    },
                },
            },
        },
    },
    "ServiceRequest": {
        "type": "object",
        "required": ["service_request_id", "status", "service_code", "requested_datetime"],
        "properties": {
            "service_request_id": TEXT,
            "status": STATUS,
            "status_notes": TEXT,
            "service_name": TEXT,
            "service_code": TEXT,
            "description": TEXT,
            "agency_responsible": TEXT,
            "service_notice": TEXT,
            "requested_datetime": MOMENT,
            "updated_datetime": MOMENT,
            "expected_datetime": {**MOMENT, "nullable": True},
            "address": TEXT,
            "address_id": TEXT,
            "zipcode": TEXT,
            "lat": {"type": "number", "nullable": True},
            "long": {"type": "number", "nullable": True},
            "media_url": {"type": "string", "description": "The first public photo's URL."},
            "extended_attributes": {
                "type": "object",
                "description": "Only with extensions=true.",
                "properties": {
                    "channel": TEXT,
                    "area": TEXT,
                    "duplicate_of": TEXT,
                    "photos": {
                        "type": "array",
                        "items": {"type": "string", "description": "A public photo's URL."},
                    },
                    "public_notes": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["datetime", "note"],
                            "properties": {"datetime": MOMENT, "note": TEXT},
                        },
                    },
                },
            },
        },
    },
    "Created": {
        "type": "object",
        "description": "service_request_id when the case is registered at once; token when an "
        "operator checks the report first (see tokens/{token}.json).",
        "properties": {
            "service_request_id": TEXT,
            "token": TEXT,
            "service_notice": TEXT,
            "account_id": TEXT,
        },
    },
    "Token": {
        "type": "object",
        "required": ["service_request_id", "token"],
        "properties": {
            "service_request_id": {
                "type": "string",
                "description": "Empty until an operator approves the report.",
            },
            "token": TEXT,
        },
    },
    "Update": {
        "type": "object",
        "required": ["update_id", "service_request_id", "status", "updated_datetime"],
        "properties": {
            "update_id": {"type": "integer"},
            "service_request_id": TEXT,
            "status": STATUS,
            "updated_datetime": MOMENT,
            "description": TEXT,
            "media_url": TEXT,
        },
    },
}

REASONS = {
    400: "The request is not valid (a NUL character, a bad filter or form): every problem "
    "is listed.",
    403: "api_key is missing, unknown or revoked.",
    404: "Unknown jurisdiction, format or item.",
    429: "Too many POSTs from this application or address in a minute.",
}


def _error_response(status: int) -> dict:
    response = {"description": REASONS[status],
                "content": {JSON: {"schema": _ref("Errors")}}}  # fmt: skip
    if status == 429:
        response["headers"] = {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}}
        }
    return response


def _report_fields(jurisdiction: dict) -> dict:
    """POST requests: the fields of the form (Open311's names)."""
    return {
        "type": "object",
        "required": ["api_key", "service_code"],
        # A location is required: lat and long, address_string or address_id.
        "anyOf": [
            {"required": ["lat", "long"]},
            {"required": ["address_string"]},
            {"required": ["address_id"]},
        ],
        "properties": {
            "api_key": TEXT,
            "jurisdiction_id": jurisdiction,
            "service_code": TEXT,
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "long": {"type": "number", "minimum": -180, "maximum": 180},
            "address_string": TEXT,
            "address_id": TEXT,
            "email": {"type": "string", "maxLength": 254},
            "device_id": TEXT,
            "account_id": TEXT,
            "first_name": TEXT,
            "last_name": TEXT,
            "phone": TEXT,
            "description": {"type": "string", "maxLength": 4000},
            "media_url": {
                "type": "string",
                "format": "uri",
                "description": "An http(s) address of a photo the app keeps.",
            },
        },
        # Answers to the service's attributes: attribute[CODE] (one value) or
        # attribute[CODE][] (several), as the service definition lists them.
        "additionalProperties": {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
        },
    }


def document() -> dict:
    jurisdiction = {"type": "string", "enum": [settings.OPEN311_JURISDICTION]}
    jurisdiction_param = _query(
        "jurisdiction_id", jurisdiction, "Optional; another jurisdiction gets a 404."
    )
    reports = _report_fields(jurisdiction)
    multipart = {
        **reports,
        "properties": {
            **reports["properties"],
            "media": {
                "type": "string",
                "format": "binary",
                "description": "A photo: JPEG, PNG or WebP.",
            },
        },
    }
    get_errors = _errors(400, 404)
    paths = {
        "/discovery.json": {
            "get": {
                "operationId": "discovery",
                "summary": "Where the endpoints are and what they speak",
                "responses": {**_ok("Discovery", _ref("Discovery")), **get_errors},
            }
        },
        "/services.json": {
            "get": {
                "operationId": "services",
                "summary": "What can be reported",
                "parameters": [jurisdiction_param],
                "responses": {**_ok("The services", _array("Service")), **get_errors},
            }
        },
        "/services/{service_code}.json": {
            "get": {
                "operationId": "service_definition",
                "summary": "A service's attributes (extra questions)",
                "parameters": [
                    {"name": "service_code", "in": "path", "required": True, "schema": SEGMENT},
                    jurisdiction_param,
                ],
                "responses": {
                    **_ok("The definition", _ref("ServiceDefinition")),
                    **get_errors,
                },  # fmt: skip
            }
        },
        "/requests.json": {
            "get": {
                "operationId": "requests",
                "summary": "Public service requests, newest first",
                "description": "Without service_request_id, the last 90 days before end_date "
                "(or now) unless start_date is given.",
                "parameters": [
                    _query(
                        "service_request_id",
                        TEXT,
                        "Comma-separated ids; other filters are then ignored.",
                    ),  # fmt: skip
                    _query("service_code", TEXT, "Comma-separated service codes."),
                    _moment("start_date", "Requested at or after (W3C, with a time zone)."),
                    _moment("end_date", "Requested at or before."),
                    _query("status", STATUS, "open or closed."),
                    _moment("updated_after", "Changed after."),
                    _moment("updated_before", "Changed before."),
                    _query(
                        "page",
                        {"type": "integer", "minimum": 1, "maximum": 100_000},
                        "Page number, from 1.",
                    ),  # fmt: skip
                    _query(
                        "page_size",
                        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                        "Requests per page.",
                    ),  # fmt: skip
                    _query("extensions", {"type": "boolean"}, "true adds extended_attributes."),
                    jurisdiction_param,
                ],
                "responses": {**_ok("The requests", _array("ServiceRequest")), **get_errors},
            },
            "post": {
                "operationId": "request_create",
                "summary": "Report a problem",
                "description": "An application's report becomes a case at once, or waits for "
                "an operator when the service is moderated (then a token is returned).",
                "parameters": [
                    _query("api_key", TEXT, "The application's key (or as a form field)."),
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {"schema": reports},
                        "multipart/form-data": {
                            "schema": multipart,
                            "encoding": {
                                "media": {"contentType": "image/jpeg, image/png, image/webp"}
                            },
                        },
                    },
                },
                "responses": {
                    **_ok("Registered, or waiting for an operator", _array("Created"), "201"),
                    **_errors(400, 403, 404, 429),
                },
            },
        },
        "/requests/{service_request_id}.json": {
            "get": {
                "operationId": "request",
                "summary": "One public service request",
                "parameters": [
                    {
                        "name": "service_request_id",
                        "in": "path",
                        "required": True,
                        "schema": SEGMENT,
                    },  # fmt: skip
                    _query("extensions", {"type": "boolean"}, "true adds extended_attributes."),
                    jurisdiction_param,
                ],
                "responses": {**_ok("The request", _array("ServiceRequest")), **get_errors},
            }
        },
        "/servicerequestupdates.json": {
            "get": {
                "operationId": "updates",
                "summary": "Public changes since start_date, oldest first (at most 1000)",
                "parameters": [
                    {**_moment("start_date", "Since (W3C, with a time zone)."), "required": True},
                    _moment("end_date", "Until."),
                    jurisdiction_param,
                ],
                "responses": {**_ok("The updates", _array("Update")), **get_errors},
            }
        },
        "/tokens/{token}.json": {
            "get": {
                "operationId": "token",
                "summary": "What became of a report that waited for an operator",
                "parameters": [
                    {"name": "token", "in": "path", "required": True, "schema": SEGMENT},
                    jurisdiction_param,
                ],
                "responses": {**_ok("The token", _array("Token")), **get_errors},
            }
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "civicline Open311 GeoReport v2",
            "version": "2",
            "description": "The city's GeoReport v2 endpoints (JSON; each also answers as "
            ".xml). Errors are Open311's: a list of {code, description}.",
        },
        "servers": [{"url": "/open311/v2"}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "responses": {f"Error{s}": _error_response(s) for s in REASONS},
        },
    }


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(document(), json_dumps_params={"ensure_ascii": False})
