"""Project-wide API plumbing: errors as the services raise them, turned into HTTP answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotAuthenticated
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from credence.errors import StaleWrite
from credence.microcredentials.models import FrozenVersionError
from credence.organisations.models import User


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as {field path: [messages]} (`learning_outcomes[2].text`)."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):  # a ListField (or a list serializer) keys its errors by the item's index
                path = f"{prefix}[{key}]"
            elif key == "non_field_errors":
                path = prefix or "__all__"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flatten(value, path).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[prefix or "__all__"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    for k, v in _flatten(item, f"{prefix}[{index}]").items():
                        out.setdefault(k, []).extend(v)
    else:
        out[prefix or "__all__"] = [str(detail)]
    return out


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            {
                "detail": f"The request body is larger than the {limit // (1024 * 1024)} MB this server accepts."
            },
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, ValidationError):
        errors = (
            {k: list(v) for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"__all__": list(exc.messages)}
        )
        return Response(
            {"detail": "The data is not valid.", "errors": errors}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, StaleWrite):
        serializer_class = getattr(context.get("view"), "stale_serializer_class", None)
        current = serializer_class(exc.current, context=context).data if serializer_class else None
        return Response(
            {"detail": str(exc), "lock_version": exc.actual, "current": current},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, FrozenVersionError):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, PermissionDenied | Http404):
        return drf_exception_handler(exc, context)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, APIException) and response.status_code == 400:
        response.data = {"detail": "The data is not valid.", "errors": _flatten(exc.detail)}
    return response


# --- shared pieces of the API's contract --------------------------------------------------------------
# The shapes the handler above produces, for the OpenAPI schema, and the small helpers every app's API
# uses to read a write request the same way.


class ErrorSerializer(serializers.Serializer[Any]):
    """A rejected request: what is wrong, and where (field paths such as `learning_outcomes[2].text`)."""

    detail = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]  # the field is named as the handler names it
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages keyed by the path of the field at fault, e.g. `learning_outcomes[2].text`; "
        "`__all__` for problems of the whole request.",
    )


class DetailSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()


def stale_write_serializer(name: str, current: type[serializers.Serializer[Any]]) -> Any:
    """The 409 answer to a stale write: the message, the current lock version and the current state."""
    return inline_serializer(
        name=name,
        fields={
            "detail": serializers.CharField(),
            "lock_version": serializers.IntegerField(help_text="The lock version the record is at now."),
            "current": current(help_text="The record as it is now; apply your change to it and try again."),
        },
    )


class Page(PageNumberPagination):
    """Pages of 25 by default; `?page_size=` asks for up to 100."""

    page_size_query_param = "page_size"
    max_page_size = 100


class LockVersionRequired:
    """Marks a write serializer whose `lock_version` is required even in a PATCH (see the schema extension)."""


class LockVersionRequiredExtension(OpenApiSerializerExtension):
    """In the OpenAPI schema, keep `lock_version` required in PATCH bodies, which are otherwise all optional."""

    target_class = LockVersionRequired
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: str) -> Any:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request" and "lock_version" in schema.get("properties", {}):
            schema["required"] = sorted({*schema.get("required", []), "lock_version"})
        return schema


def error_responses(*codes: int) -> dict[int, Any]:
    """OpenAPI responses for the error statuses an operation can answer with."""
    described = {
        400: OpenApiResponse(
            ErrorSerializer, description="The data is not valid; `errors` names each field."
        ),
        401: OpenApiResponse(DetailSerializer, description="Not signed in."),
        403: OpenApiResponse(DetailSerializer, description="Signed in, but not allowed to do this."),
        404: OpenApiResponse(DetailSerializer, description="No such record, or not one you may see."),
        409: OpenApiResponse(
            DetailSerializer, description="The record is in a state that does not allow this."
        ),
    }
    return {code: described[code] for code in codes}


def acting_user(request: Request) -> User:
    """The person making a write. Writes need signing in (the permission classes see to it first)."""
    if not isinstance(request.user, User) or not request.user.is_authenticated:
        raise NotAuthenticated()
    return request.user


def lock_version_of(data: Any) -> int:
    """The `lock_version` a write must carry: the revision the client read. Its absence is a 400."""
    value = data.get("lock_version") if isinstance(data, Mapping) else None
    if value is None:
        raise ValidationError(
            {
                "lock_version": "Give the lock_version of the record as you read it (it guards against overwriting "
                "someone else's change)."
            }
        )
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise ValidationError({"lock_version": "The lock_version is a whole number."})
    return int(value)


def json_object(data: Any) -> dict[str, Any]:
    """The request body as a JSON object, or a 400 saying that is what is expected."""
    if not isinstance(data, Mapping):
        raise ValidationError({"__all__": "Send a JSON object."})
    return dict(data)


def merge_parsed(raw: Mapping[str, Any], parsed: Mapping[str, Any]) -> dict[str, Any]:
    """The raw body with the values a serializer parsed (decimals, dates, numbers) put in place.

    Keys the serializer does not know stay in, so the service, which validates everything, can name them.
    Lists of objects are merged item by item.
    """
    merged = dict(raw)
    for key, value in parsed.items():
        original = raw.get(key)
        if (
            isinstance(value, list)
            and isinstance(original, list)
            and len(value) == len(original)
            and all(
                isinstance(v, Mapping) and isinstance(o, Mapping)
                for v, o in zip(value, original, strict=True)
            )
        ):
            merged[key] = [{**o, **v} for o, v in zip(original, value, strict=True)]
        else:
            merged[key] = value
    return merged
