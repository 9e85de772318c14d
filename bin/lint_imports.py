#!/usr/bin/env python3
"""Check the import contracts in pyproject.toml (``[tool.importlinter]``) with import-linter.

``make lint`` runs this instead of the bare ``lint-imports`` command, for one reason: the
project package in ``./site`` shares its name with the standard library's ``site``
module, which Python imports at start-up (site_package.py explains). import-linter finds
a root package through ``importlib.util.find_spec``, which answers with the standard
library's module spec, a single file, and so refuses ``site`` as a root package. Here the
already-imported module is given a package spec pointing at ``./site`` first; nothing is
imported from the project and nothing else changes. Arguments go to ``lint-imports``.
"""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def give_site_a_package_spec():
    """Make ``find_spec("site")`` describe ``./site`` as a package (for this process only)."""
    import site  # The standard library's module, imported at start-up.

    package_dir = ROOT / "site"
    site.__spec__ = importlib.util.spec_from_file_location(
        "site", package_dir / "__init__.py", submodule_search_locations=[str(package_dir)]
    )


def main():
    sys.path.insert(0, str(ROOT))
    give_site_a_package_spec()
    from importlinter.cli import lint_imports_command

    return lint_imports_command(args=sys.argv[1:], prog_name="lint-imports")


if __name__ == "__main__":
    sys.exit(main())
