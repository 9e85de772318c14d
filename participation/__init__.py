"""Everything about taking part, one Django app per concern (people, surveys, ...)."""
