"""The audit log of what editors do with submissions: ``audit.record(request, action, …)``."""


def record(request_or_user, action, target=None, call=None, **details):
    """Append an audit event; see :func:`participation.audit.services.record`."""
    # Imported here: the package is imported before its models exist (apps, migrations).
    from .services import record as record_event

    return record_event(request_or_user, action, target=target, call=call, **details)
