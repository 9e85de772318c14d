"""Page editing rules: a save made from an outdated copy of a page is refused.

Wagtail 8 posts the revision the editor opened (``loaded_revision_id``, or the autosave
revision it keeps overwriting, ``overwrite_revision_id``) and shows who else is editing,
but a plain save or publish from an outdated form still overwrites a colleague's newer
revision. Here it is refused and nothing is saved; the editor reloads the page and
applies their changes to the newer version.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages

STALE_SAVE_MESSAGE = _(
    "Another editor saved this page after you opened it, so your changes were not "
    "saved. Reload the page to see the newer version, then make your changes again."
)


def is_out_of_date(request, page):
    """Whether the posted form was loaded from a revision older than the page's latest."""
    latest = page.get_latest_revision()
    if latest is None:
        return False
    if overwritten := request.POST.get("overwrite_revision_id"):
        return overwritten != str(latest.pk)
    loaded = request.POST.get("loaded_revision_id")
    if not loaded:
        return False  # Nothing to compare with (not Wagtail's edit form).
    if loaded != str(latest.pk):
        return True
    loaded_at = request.POST.get("loaded_revision_created_at")
    return bool(loaded_at) and loaded_at != latest.created_at.isoformat()


@hooks.register("before_edit_page")
def refuse_stale_save(request, page):
    if request.method != "POST" or not request.accepts("text/html"):
        # Autosave asks for JSON, and Wagtail already refuses an outdated autosave.
        return None
    if not is_out_of_date(request, page):
        return None
    messages.error(request, STALE_SAVE_MESSAGE)
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
