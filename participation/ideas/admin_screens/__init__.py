"""The editors' side of idea calls in the Wagtail admin.

Screens per call: the submissions (filtered, paginated, screened one by one or several at
once), one submission with everything about it and its next workflow steps, the jury
(jurors, their load and conflicts, assigning reviewers), the ranking (where the shortlist
and winners are chosen) and the XLSX export. A menu item lists the calls with the
submissions awaiting screening.

Only people who may edit the call's page see or act on it (403 otherwise); changes are
POST-only. Every step an editor takes — a workflow move (``workflow.take_step``), a juror
added or removed, reviewers assigned (``jury``), an export (``exports.record_export``) — is
written by those services to the page's Wagtail history, the ``hadaf.ideas`` logger and
the audit log (``participation.audit``), in the step's transaction; workflow moves are
also :class:`IdeaEvent` rows. Opening a submission is audited here; refusals go to the
``hadaf.security`` logger.

One module per screen; ``common`` holds what they share."""
