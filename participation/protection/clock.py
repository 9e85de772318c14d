"""The time, read in one place so tests can move it (no sleeping in tests)."""

import time


def now():
    """Seconds since the epoch, as a float."""
    return time.time()
