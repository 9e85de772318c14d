"""An editor's actions on a survey's submissions: each logged, in the page's history and the
``hadaf.report`` logger, and audited, in the same transaction as the action itself."""

import logging

from django.db import transaction
from wagtail.log_actions import log

from participation import audit
from participation.audit.choices import AuditAction
from participation.questions.schema import read_questions
from participation.submissions.services import set_counted

logger = logging.getLogger("hadaf.report")

EXCLUDED_ACTION = "hadaf.submission_excluded"
INCLUDED_ACTION = "hadaf.submission_included"
EXPORTED_ACTION = "hadaf.submissions_exported"


def set_counted_by_editor(page, submission, *, counted, editor):
    """Exclude ``submission`` from ``page``'s results or count it again; the new submission.

    A change is written to the page's history, the logger and the audit log; asking for
    what already holds changes nothing and leaves no trace.
    """
    before = submission.excluded_from_results
    with transaction.atomic():
        submission = set_counted(submission, read_questions(page.questions), counted=counted)
        if submission.excluded_from_results != before:
            action = INCLUDED_ACTION if counted else EXCLUDED_ACTION
            data = {
                "submission": str(submission.uuid),
                "speeder": submission.is_speeder,
                "straightliner": submission.is_straightliner,
            }
            log(instance=page, action=action, user=editor, data=data)
            logger.info("%s %s by user %s", action, submission.uuid, editor.pk)
            audit_action = AuditAction.INCLUDE_RESPONSE if counted else AuditAction.EXCLUDE_RESPONSE
            audit.record(editor, audit_action, target=submission, call=page, **data)
    return submission


def record_export(page, editor, *, file_format, identity):
    """Log and audit that ``editor`` exported ``page``'s submissions (before the file is made)."""
    with transaction.atomic():
        log(
            instance=page,
            action=EXPORTED_ACTION,
            user=editor,
            data={"format": file_format, "identity": identity},
        )
        logger.info("%s %s by user %s", EXPORTED_ACTION, file_format, editor.pk)
        audit.record(
            editor,
            AuditAction.EXPORT,
            target=page,
            call=page,
            format=file_format,
            identity=identity,
        )
