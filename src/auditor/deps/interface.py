"""Records shared by the dependency checks, and the small base class each registry implements.

A registry answer is boiled down to `PackageInfo` (what the checks need, small enough to
cache). A failed lookup is `status="unknown"` with the reason: never mistaken for "no risk".
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.deps.config import DepsConfig
    from auditor.deps.http import Http

FOUND = "found"
MISSING = "missing"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class PackageInfo:
    """What a registry says about one package name.

    Dates are ISO 8601 strings (UTC). `downloads` is the registry's own count over
    `downloads_period` (`week`, `month`, `90d`, `total`), None where the registry has none
    (PyPI: pypistats is a separate service; release history stands in for it)."""

    status: str
    error: str = ""
    latest: str | None = None
    first_release: str | None = None
    last_release: str | None = None
    release_count: int | None = None
    downloads: int | None = None
    downloads_period: str | None = None
    deprecated: str | None = None  # package-wide: deprecated, abandoned, archived
    deprecated_versions: dict[str, str] = field(default_factory=dict)  # version -> message
    yanked_versions: tuple[str, ...] = ()
    holding: bool = False
    # Published versions, where the registry lists them (npm, PyPI): to resolve a range that
    # no lockfile pins to the version a fresh install would get.
    versions: tuple[str, ...] = ()  # npm replaced a malicious package with a security placeholder

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["yanked_versions"] = list(self.yanked_versions)
        data["versions"] = list(self.versions)
        return {k: v for k, v in data.items() if v not in (None, "", {}, [], False)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PackageInfo:
        data = dict(data)
        data["yanked_versions"] = tuple(data.get("yanked_versions", ()))
        data["versions"] = tuple(data.get("versions", ()))
        return cls(**data)

    @classmethod
    def missing(cls) -> PackageInfo:
        return cls(status=MISSING)

    @classmethod
    def unknown(cls, why: str) -> PackageInfo:
        return cls(status=UNKNOWN, error=why)


def parse_time(value: Any) -> datetime | None:
    """Registry timestamps (ISO 8601 with Z or offset, or epoch seconds) as aware UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    text = str(value).strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def span(times: list[datetime]) -> tuple[str | None, str | None]:
    """(first, last) of a list of release times as ISO strings."""
    if not times:
        return None, None
    return iso(min(times)), iso(max(times))


class Registry(ABC):
    """One package registry. `lookup` turns its answer for one name into PackageInfo;
    HTTP errors other than "not found" raise LookupFailed (via Http) and become unknown."""

    ecosystem: str = ""
    service: str = ""

    def __init__(self, config: DepsConfig) -> None:
        self.config = config
        self.base = config.url(self.service)

    @abstractmethod
    async def lookup(self, http: Http, name: str) -> PackageInfo:
        """Ask the registry about `name` (as written in the manifest)."""
