"""Uploading, downloading and deleting a submission's attachments (see ``attachments``).

Uploads answer with a redirect to the editor and a message, or with JSON when the
client prefers it (``Accept: application/json``), for a script that uploads in place.
Downloads are streamed from the private storage, never linked to it.
"""

import re
import unicodedata
from urllib.parse import quote

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from participation.protection.guard import guard
from participation.security import refuse

from . import access, attachments
from .models import Idea, IdeaAttachment
from .services import Refused
from .views import sign_in_url

FILE_FIELD = "file"
# Headers of every download: a file is only ever saved, never shown or run by the browser.
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Referrer-Policy": "no-referrer",
}


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops taking in a file as soon as it grows past ``max_bytes`` (the rest is discarded).

    Inserted before Django's own handlers, so an oversized file is never written to a
    temporary file or kept in memory whole; ``exceeded`` tells the view why it is missing.
    """

    def __init__(self, max_bytes, request=None):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.exceeded = False
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def wants_json(request):
    """The client asked for JSON rather than a page (a browser's ``*/*`` does not count)."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _edit_url(idea):
    return reverse("ideas:edit", args=[idea.uuid]) + "#attachments"


def _answer(request, idea, message, *, ok, attachment=None, name=""):
    """The redirect to the editor with a message, or the JSON the uploader script reads."""
    if wants_json(request):
        data = {"ok": ok, "message": str(message)}
        if attachment is not None:
            data["attachment"] = {
                "id": attachment.pk,
                "name": name,
                "size": attachment.size,
                "url": reverse("ideas:attachment", args=[idea.uuid, attachment.pk]),
            }
        return JsonResponse(data, status=(201 if attachment else 200) if ok else 400)
    (messages.success if ok else messages.error)(request, message)
    return redirect(_edit_url(idea))


def _author_idea(request, idea_uuid):
    """The idea if the user is one of its authors; else 404 (logged)."""
    idea = Idea.objects.filter(uuid=idea_uuid).first()
    if idea is None or not access.is_author(idea, request.user):
        refuse(request, "attachment upload", idea=idea_uuid)
    return idea


@csrf_exempt  # only until the size limit is in place: _upload checks the CSRF token
def upload(request, idea_uuid):
    """Attach the posted ``file`` to a draft (authors only, while the call is open).

    The request body is parsed only after the call's size limit is installed as the
    first upload handler; CSRF protection, which reads the body, comes after that.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect(sign_in_url(reverse("ideas:edit", args=[idea_uuid])))
    # Counted before the body is read: the guard doesn't parse uploads.
    if (refusal := guard(request, "attachment")) is not None:
        return refusal
    idea = _author_idea(request, idea_uuid)
    page = access.call_page(idea)
    limiter = SizeLimitUploadHandler(attachments.max_bytes(page), request)
    request.upload_handlers.insert(0, limiter)
    return _upload(request, idea, page, limiter)


@csrf_protect
def _upload(request, idea, page, limiter):
    uploaded = request.FILES.get(FILE_FIELD)
    try:
        if limiter.exceeded:
            attachments.security_log.info(
                "refused attachment (too large, while receiving): user=%s idea=%s",
                request.user.pk,
                idea.uuid,
            )
            raise Refused(attachments.too_large_message(page))
        if uploaded is None:
            raise Refused(_("Choose a file to attach."))
        attachment = attachments.add_attachment(idea, page, request.user, uploaded)
    except Refused as refusal:
        return _answer(request, idea, refusal.message, ok=False)
    name = attachment.original_name
    return _answer(
        request,
        idea,
        _("Attached “%(name)s”.") % {"name": name},
        ok=True,
        attachment=attachment,
        name=name,
    )


def ascii_fallback(name):
    """An ASCII stand-in for ``name`` for old clients: "Resume.pdf", "attachment.pdf"."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, "bin"
    decomposed = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "", decomposed).strip(" .")
    if not re.search(r"[A-Za-z0-9]", stem):
        stem = "attachment"
    return f"{stem}.{extension}"


def content_disposition(name):
    """``attachment`` with an ASCII ``filename`` and, for any other name, RFC 6266 ``filename*``."""
    fallback = ascii_fallback(name)
    if fallback == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@require_safe
def download(request, idea_uuid, attachment_id):
    """Stream an attachment to its authors, its assigned jurors and the call's editors.

    Anyone else, and any id pair that does not match (another idea's file), gets a
    logged 404. In blind review jurors get a neutral name (``attachment-2.pdf``): the
    author's own file name often carries their name.
    """
    attachment = (
        IdeaAttachment.objects.select_related("idea")
        .filter(pk=attachment_id, idea__uuid=idea_uuid)
        .first()
    )
    if attachment is None or not access.can_view(attachment.idea, request.user):
        refuse(request, "attachment", idea=idea_uuid, attachment=attachment_id)
    idea = attachment.idea
    page = access.call_page(idea)
    hide = attachments.hides_names(idea, request.user, page)
    name = attachments.display_name(attachment, hide=hide)
    file_type = attachments.TYPES_BY_MIME.get(attachment.content_type)
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except FileNotFoundError:
        access.security_log.error(
            "attachment file missing: idea=%s attachment=%s", idea.uuid, attachment.pk
        )
        refuse(request, "attachment file", idea=idea_uuid, attachment=attachment_id)
    response = FileResponse(
        handle,
        as_attachment=True,
        content_type=file_type.mime if file_type else "application/octet-stream",
    )
    response["Content-Disposition"] = content_disposition(name)
    for header, value in DOWNLOAD_HEADERS.items():
        response[header] = value
    return response


@require_POST
def delete(request, idea_uuid, attachment_id):
    """Remove a file from a draft (its authors only)."""
    if not request.user.is_authenticated:
        return redirect(sign_in_url(reverse("ideas:edit", args=[idea_uuid])))
    attachment = (
        IdeaAttachment.objects.select_related("idea")
        .filter(pk=attachment_id, idea__uuid=idea_uuid)
        .first()
    )
    if attachment is None or not access.is_author(attachment.idea, request.user):
        refuse(request, "attachment deletion", idea=idea_uuid, attachment=attachment_id)
    idea = attachment.idea
    name = attachment.original_name
    try:
        attachments.delete_attachment(idea, request.user, attachment)
    except Refused as refusal:
        return _answer(request, idea, refusal.message, ok=False)
    return _answer(request, idea, _("Removed “%(name)s”.") % {"name": name}, ok=True)
