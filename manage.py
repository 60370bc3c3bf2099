#!/usr/bin/env python
"""Django's command-line utility for the Quartiers network."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
    from django.core.management import execute_from_command_line

    from core.startup import refusal_in_one_line

    with refusal_in_one_line():
        execute_from_command_line(sys.argv)
