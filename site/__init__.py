"""The Django project package (settings, URLs, WSGI/ASGI entry points).

This file is never executed: the standard library's ``site`` module stands in
for the package, and ``site_package.activate()`` points it at this folder.
Put nothing here; add modules beside it instead.
"""
