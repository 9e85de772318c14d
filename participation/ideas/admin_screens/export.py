"""The XLSX export of a call's submissions."""

from django.views.decorators.http import require_GET

from participation.access import call_for_editor
from participation.choices import CallKind

from .. import exports
from .common import editors_only


@editors_only
@require_GET
def export(request, page_id):
    """The submissions and the jury's scores as one XLSX workbook."""
    page = call_for_editor(request, page_id, CallKind.IDEA, "idea call")
    exports.record_export(page, request.user)
    return exports.workbook_response(page)
