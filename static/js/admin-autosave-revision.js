/*
 * The page editor's own autosaves are not "another editor's save".
 *
 * Wagtail's autosave keeps overwriting one revision of its own and sends its id as
 * `overwrite_revision_id` with each background save, but only there: the editor's
 * "Save draft" or "Publish" then posted the revision the page was opened with, which
 * autosave had since replaced, and the stale-save guard (pages/wagtail_hooks.py) refused
 * it. Here the autosaved revision's id is kept in the form itself, so the full save says
 * which revision this editing session made, exactly as autosave does; a colleague's newer
 * revision still makes it out of date.
 */
(function () {
  "use strict";

  function keepRevision(event) {
    var form = event.target;
    var data = event.detail && (event.detail.data || event.detail.response);
    if (!(form instanceof HTMLFormElement) || !data || !data.revision_id) {
      return;
    }
    var input = form.querySelector('input[name="overwrite_revision_id"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "overwrite_revision_id";
      form.appendChild(input);
    }
    input.value = String(data.revision_id);
  }

  // Capture phase: the id is in the form before Wagtail takes its "no unsaved changes"
  // snapshot of it (w-unsaved#clear), so it is not itself counted as an unsaved change.
  document.addEventListener("w-autosave:success", keepRevision, true);
})();
