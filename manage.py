#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

import site_package

if __name__ == "__main__":
    site_package.activate()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.dev")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
