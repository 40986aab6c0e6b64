"""Read the YAML data files shipped in the package (rules, secret patterns, the package
catalog) through a JSON cache.

Parsing YAML (and importing PyYAML) costs tens of milliseconds per process, which matters
when a hook scans one file per edit; JSON loads in a few. Each YAML file has one cache entry
(named by its path) that records the file's size, mtime and auditor's version: any edit or
upgrade misses and re-reads the YAML. Callers still validate what they get, every time.
The cache is best effort: an unwritable cache directory only costs speed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from auditor.fsutil import UnreadableFile, read_text_strict

CACHE_LIMIT = 32_000_000  # the largest data file (the package catalog) is well under 1 MB


class DataFileError(ValueError):
    """A data file is not valid YAML; the message names the file."""


def _stamp(path: Path) -> str:
    from auditor import __version__

    st = path.stat()
    return f"{__version__}:{st.st_size}:{st.st_mtime_ns}"


def _entry(path: Path) -> Path:
    from auditor.cachedir import cache_dir

    name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / "data" / f"{name}.json"


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML safely (the C loader when present; both are safe loaders)."""
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as exc:
        raise DataFileError(f"{source}: not valid YAML ({str(exc).splitlines()[0]})") from None


def load_yaml(path: Path, source: str | None = None) -> Any:
    """The parsed content of a YAML data file, from the cache when it is current."""
    stamp = _stamp(path)
    entry = _entry(path)
    try:
        cached = json.loads(read_text_strict(entry, CACHE_LIMIT))
        if cached.get("stamp") == stamp:
            return cached["data"]
    except (UnreadableFile, ValueError, AttributeError, KeyError, RecursionError):
        pass  # no entry, or a damaged one: read the YAML again
    try:
        text = read_text_strict(path, CACHE_LIMIT)
    except UnreadableFile as exc:
        raise DataFileError(f"{source or path.name}: {exc}") from None
    data = parse_yaml(text, source or path.name)
    try:
        from auditor.fsutil import atomic_write

        atomic_write(entry, json.dumps({"stamp": stamp, "data": data}))
    except Exception:  # noqa: BLE001 - caching must never break loading
        pass
    return data
