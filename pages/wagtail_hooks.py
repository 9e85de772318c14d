"""Page editing rules: a save made from an outdated copy of a page is refused.

Wagtail 8 posts the revision the editor opened (``loaded_revision_id``, or the autosave
revision it keeps overwriting, ``overwrite_revision_id``) and shows who else is editing,
but a plain save or publish from an outdated form still overwrites a colleague's newer
revision. Here it is refused and nothing is saved; the editor reloads the page and
applies their changes to the newer version.

Wagtail only checks its background autosaves, and sends ``overwrite_revision_id`` only
with them: after an autosave, the editor's own "Save draft" carried the revision the
page was opened with, now replaced by that autosave, and was refused as if a colleague
had saved. ``static/js/admin-autosave-revision.js`` keeps the autosaved revision's id in
the form, so the full save is judged as Wagtail judges its autosaves.

Also here: the admin's date fields in Jalali (``participation.jalali``), and Persian digits
in the numbers drawn in the browser (``static/js/admin-persian-digits.js``), and a name
for each rich text editor, its field's label (``static/js/admin-draftail-names.js``).
"""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages

from participation.jalali import register_admin_date_fields
from participation.persian import is_persian

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


@hooks.register("insert_editor_js")
def keep_autosaved_revision():
    """The editor's form remembers the revision its autosave made (see the module docs)."""
    return format_html('<script src="{}"></script>', static("js/admin-autosave-revision.js"))


@hooks.register("insert_global_admin_js")
def persian_digits_in_drawn_numbers():
    """Counts, badges and number fields in Persian digits (server numbers: admin_digits)."""
    if not is_persian():
        return ""
    return format_html('<script src="{}"></script>', static("js/admin-persian-digits.js"))


@hooks.register("insert_global_admin_js")
def name_rich_text_editors():
    """Draftail's textbox named by its field's label (Wagtail leaves it unnamed)."""
    return format_html('<script src="{}"></script>', static("js/admin-draftail-names.js"))


register_admin_date_fields()
