#!/usr/bin/env python
"""Django's command-line utility; the same commands are available as `shafa`."""

import sys

from shafa.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
