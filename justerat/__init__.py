"""Justerat: a static site generator for the public meeting archives of Swedish public bodies."""

__version__ = "0.1.0"
