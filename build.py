#!/usr/bin/env python3
"""Justerat's entry point: `python build.py check|build` (see README.md)."""

import sys

from justerat.cli import main

if __name__ == "__main__":
    sys.exit(main())
