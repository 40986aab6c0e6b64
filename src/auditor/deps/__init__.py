"""Dependency checks (`auditor deps`): invented, typosquatted, unmaintained and vulnerable
packages, from registry metadata and OSV advisories.

Layout follows DESIGN.md: `interface.py` holds the records and the registry base class, one
module per registry under `registries/`, the OSV sources under `osv/`, and `audit.py` ties
them together. Nothing here runs package code.

Configuration (environment variables, see `config.ENDPOINT_ENV`):
  AUDITOR_PYPI_URL, AUDITOR_NPM_URL, AUDITOR_NPM_DOWNLOADS_URL, AUDITOR_RUBYGEMS_URL,
  AUDITOR_MAVEN_URL, AUDITOR_GOPROXY_URL, AUDITOR_CRATES_URL, AUDITOR_PACKAGIST_URL,
  AUDITOR_NUGET_URL, AUDITOR_OSV_URL: base URLs (default: the public services);
  AUDITOR_CACHE_DIR: cache directory (default ~/.cache/auditor);
  GOPRIVATE / GONOPROXY: Go modules never sent to the public proxy.
"""
