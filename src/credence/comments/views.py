"""The comment forms posted from any page's comments panel. Without JavaScript each form posts and the
page reloads at the comment; with htmx the panel is swapped in place."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from credence.web.htmx import is_htmx, vary_on_htmx

from . import selectors, services
from .models import Comment
from .registry import label_of, subject_type


def panel_context(
    request: HttpRequest | None, subject: Any, errors: dict[str, list[str]] | None = None,
    values: dict[str, str] | None = None,
) -> dict[str, Any]:
    user = getattr(request, "user", None)
    kind = subject_type(type(subject))
    if kind is None or user is None or not user.is_authenticated or not kind.can_view(user, subject):
        return {"visible": False}
    anchors = kind.anchors_of(subject)
    anchor_labels = dict(anchors)
    threads = list(selectors.threads_on(user, subject))
    for thread in threads:
        thread.anchor_label = anchor_labels.get(thread.anchor, thread.anchor)  # type: ignore[attr-defined]
        thread.user_can_resolve = services.can_resolve(user, thread)  # type: ignore[attr-defined]
    return {
        "visible": True,
        "request": request,
        "subject": subject,
        "subject_label": label_of(type(subject)),
        "threads": threads,
        "open_count": sum(1 for t in threads if not t.resolved_at),
        "anchors": anchors,
        "can_comment": kind.can_comment(user, subject),
        "user": user,
        "next": kind.url(subject),
        "errors": errors or {},
        "values": values or {},
    }


def _answer(
    request: HttpRequest, subject: Any, comment: Comment | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    kind = subject_type(type(subject))
    assert kind is not None
    if is_htmx(request):
        values = {"body": request.POST.get("body", ""), "anchor": request.POST.get("anchor", "")} if errors else {}
        return vary_on_htmx(
            render(request, "comments/panel.html", panel_context(request, subject, errors, values),
                   status=422 if errors else 200)
        )
    if errors:
        for messages_ in errors.values():
            for message in messages_:
                messages.error(request, f"The comment was not saved: {message}")
    url = kind.url(subject)
    return redirect(url + (f"#comment-{comment.pk}" if comment is not None else "#comments"))


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": list(error.messages)}


@login_required
@require_POST
def add(request: HttpRequest) -> HttpResponse:
    subject = selectors.subject_from(request.POST.get("subject_type", ""), request.POST.get("subject_id", ""))
    try:
        comment = services.add_comment(
            actor=request.user,  # type: ignore[arg-type]
            subject=subject,
            body=request.POST.get("body", ""),
            anchor=request.POST.get("anchor", ""),
        )
    except ValidationError as error:
        return _answer(request, subject, errors=_errors(error))
    return _answer(request, subject, comment)


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = selectors.comment_of(request.user, pk)
    try:
        comment = services.reply(actor=request.user, parent=parent, body=request.POST.get("body", ""))  # type: ignore[arg-type]
    except ValidationError as error:
        return _answer(request, parent.subject, errors={f"reply-{parent.thread.pk}": _errors(error).get("body", [])})
    return _answer(request, parent.subject, comment)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_of(request.user, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied("You can edit only your own comments.")
    error_list: list[str] = []
    if request.method == "POST":
        try:
            services.edit_comment(actor=request.user, comment=comment, body=request.POST.get("body", ""))  # type: ignore[arg-type]
        except ValidationError as error:
            error_list = _errors(error).get("body", [])
        else:
            return _answer(request, comment.subject, comment)
    return render(request, "comments/edit.html", {"comment": comment, "errors": error_list,
                                                   "next": subject_type(type(comment.subject)).url(comment.subject)})  # type: ignore[union-attr]


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_of(request.user, pk)
    try:
        if request.POST.get("reopen"):
            services.reopen(actor=request.user, comment=comment)  # type: ignore[arg-type]
        else:
            services.resolve(actor=request.user, comment=comment)  # type: ignore[arg-type]
    except ValidationError as error:
        return _answer(request, comment.subject, errors=_errors(error))
    return _answer(request, comment.subject, comment.thread)
