"""Where auditor keeps its caches: $AUDITOR_CACHE_DIR, else $XDG_CACHE_HOME/auditor, else
~/.cache/auditor. Shared by the rule cache and the registry/advisory cache."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    env = os.environ.get("AUDITOR_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "auditor"
