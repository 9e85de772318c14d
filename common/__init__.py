"""Project-wide helpers below every other layer (issue 18: ``site`` → ``pages`` →
participation features → the call kernel → ``common``).

A module here imports Django and the standard library, never ``site``, ``pages`` or
``participation``.
"""
