"""Dependency checks (`auditor deps`): invented, typosquatted, unmaintained and vulnerable
packages, from registry metadata and OSV advisories.

Layout follows DESIGN.md: `interface.py` holds the records and the registry base class, one
module per registry under `registries/`, the OSV sources under `osv/`, and `audit.py` ties
them together. Nothing here runs package code.
"""
