"""Make the project package in ``./site`` importable as ``site``.

Python imports the standard library's ``site`` module at start-up, before any of
our code runs, so ``import site.settings`` would fail with "'site' is not a
package". Rather than rename the folder, we give the already-imported module a
``__path__`` pointing at ``./site``: Python then treats it as a package and
finds ``site.settings``, ``site.urls`` and ``site.wsgi`` in our folder, while
every standard-library attribute of ``site`` (``getsitepackages`` and the rest)
keeps working for the tools that use it.

Everything that loads Django goes through :func:`activate`:

* ``manage.py`` calls it before handing over to Django;
* pytest loads this module as a plugin (``-p site_package`` in pyproject.toml);
* gunicorn calls it from ``gunicorn.conf.py``.
"""

from pathlib import Path

PROJECT_PACKAGE_DIR = Path(__file__).resolve().parent / "site"


def activate():
    """Let ``import site.<module>`` find the modules in ``./site``. Idempotent."""
    import site  # The standard library's module, imported at start-up.

    package_dir = str(PROJECT_PACKAGE_DIR)
    search_path = getattr(site, "__path__", None)
    if search_path is None:
        site.__path__ = [package_dir]
    elif package_dir not in search_path:
        search_path.append(package_dir)


# Importing the module is enough for pytest's ``-p site_package``.
activate()
