"""Project-wide API plumbing: errors as the services raise them, turned into HTTP answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from credence.errors import StaleWrite
from credence.microcredentials.models import FrozenVersionError


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as {field path: [messages]} (`learning_outcomes[2].text`)."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            path = (
                (f"{prefix}.{key}" if prefix else str(key))
                if key != "non_field_errors"
                else (prefix or "__all__")
            )
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
