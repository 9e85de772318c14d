#!/usr/bin/env python3
"""Type-check the call kernel and the services with mypy and django-stubs (``[tool.mypy]`` in
pyproject.toml).

``make lint`` runs this instead of the bare ``mypy`` command because django-stubs' plugin
loads the settings, ``site.settings.test``, and ``./site`` shares its name with the standard
library's ``site`` module (site_package.py explains): the module is made a package first,
in this process, as manage.py does. Arguments go to mypy.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    sys.path.insert(0, str(ROOT))
    import site_package

    site_package.activate()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.test")
    from mypy import api

    out, err, status = api.run(sys.argv[1:])
    sys.stdout.write(out)
    sys.stderr.write(err)
    return status


if __name__ == "__main__":
    sys.exit(main())
