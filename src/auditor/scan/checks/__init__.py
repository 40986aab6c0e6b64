"""Checks, one module (or package) per language or concern; each defines CHECKS."""
