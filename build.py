#!/usr/bin/env python3
"""Justerat's entry point: `python build.py check|build` (see README.md)."""

from justerat.app.cli import run

if __name__ == "__main__":
    run()
