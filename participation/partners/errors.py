"""JSON error bodies of the partner API: a status, a stable code and a translated message."""

from django.http import JsonResponse
from ninja import Schema


class FieldError(Schema):
    loc: list[str | int]
    msg: str


class ErrorBody(Schema):
    """Every 4xx answer of the partner API has this shape."""

    status: int
    code: str
    detail: str
    errors: list[FieldError] = []


class ApiError(Exception):
    """A refusal with an HTTP status, a machine-readable code and a translated message."""

    def __init__(self, status, code, detail, errors=None, headers=None):
        super().__init__(str(detail))
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}

    def body(self):
        return {
            "status": self.status,
            "code": self.code,
            "detail": str(self.detail),
            "errors": [
                {"loc": list(error["loc"]), "msg": str(error["msg"])} for error in self.errors
            ],
        }

    def response(self):
        response = JsonResponse(self.body(), status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def form_errors(form, prefix=("body",)):
    """A Django form's errors as ``[{"loc": [...], "msg": ...}]``."""
    return [
        {"loc": [*prefix, *([name] if name != "__all__" else [])], "msg": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]
