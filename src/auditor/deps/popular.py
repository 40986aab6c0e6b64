"""The popular-package lists shipped in `auditor/deps/data/` (one name a line, most used
first, a `#` header saying where and when the list comes from), and the name index the
typosquat check searches.

The index is built once per process per ecosystem: a set of the popular names, their
"skeletons" (separators, scope marks and look-alike characters removed) and, for edit
distance 1, every one-character deletion of each name (the symmetric-delete method: two
names are within one edit when their deletion sets meet, checked exactly afterwards).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from auditor.deps.names import fold

LIST_FILES: dict[str, str] = {
    "pypi": "popular-pypi.txt",
    "npm": "popular-npm.txt",
    "rubygems": "popular-rubygems.txt",
    "maven": "popular-maven.txt",
    "go": "popular-go.txt",
    "crates.io": "popular-crates.txt",
    "packagist": "popular-packagist.txt",
}

_SEPARATORS = str.maketrans("", "", "@/:._- \t")
# Characters that read alike in a terminal or a diff; folded on both sides of a comparison.
_CONFUSABLES = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"))
MIN_EDIT_LENGTH = 5  # shorter names are one edit away from too many real ones


def skeleton(name: str) -> str:
    return name.lower().translate(_SEPARATORS)


def confusable_skeleton(name: str) -> str:
    out = skeleton(name)
    for seen, means in _CONFUSABLES:
        out = out.replace(seen, means)
    return out


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def within_one_edit(a: str, b: str) -> bool:
    """Optimal-string-alignment distance <= 1: one substitution, insertion, deletion or
    swap of neighbours (the usual typing slips)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


@dataclass
class PopularIndex:
    """Popular names of one ecosystem, searchable for near misses."""

    names: list[str]
    source: str  # the list's header line: where and when it comes from
    rank: dict[str, int] = field(default_factory=dict)
    by_skeleton: dict[str, str] = field(default_factory=dict)
    by_confusable: dict[str, str] = field(default_factory=dict)
    by_deletion: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i, name in enumerate(self.names):
            self.rank.setdefault(name, i)

    def _build(self) -> None:
        """The look-alike tables: built on the first name that is not popular itself, so a
        project whose dependencies are all on the list never pays for them."""
        if self.by_skeleton:
            return
        for name in self.names:
            self.by_skeleton.setdefault(skeleton(name), name)
            self.by_confusable.setdefault(confusable_skeleton(name), name)
            if len(name) >= MIN_EDIT_LENGTH - 1:
                for d in deletions(name):
                    self.by_deletion.setdefault(d, []).append(name)

    def __contains__(self, folded_name: str) -> bool:
        return folded_name in self.rank

    def imitated(self, folded_name: str) -> tuple[str, str] | None:
        """(popular name, how) when `folded_name` is not popular itself but looks like a
        popular name: a separator or scope swap, look-alike characters, or one typing slip.
        The most popular candidate wins."""
        if folded_name in self.rank:
            return None
        self._build()
        target = self.by_skeleton.get(skeleton(folded_name))
        if target:
            return target, "separator or scope swap"
        target = self.by_confusable.get(confusable_skeleton(folded_name))
        if target:
            return target, "look-alike characters"
        if len(folded_name) < MIN_EDIT_LENGTH:
            return None
        candidates: set[str] = set()
        if folded_name in self.by_deletion:
            candidates.update(self.by_deletion[folded_name])  # a character left out
        for d in deletions(folded_name):
            if d in self.rank:
                candidates.add(d)  # a character added
            candidates.update(self.by_deletion.get(d, ()))  # replaced or swapped
        close = [c for c in candidates if within_one_edit(c, folded_name)]
        if not close:
            return None
        best = min(close, key=lambda c: self.rank[c])
        return best, "one character off"


def _read_list(ecosystem: str) -> tuple[str, list[str]]:
    text = (resources.files("auditor.deps") / "data" / LIST_FILES[ecosystem]).read_text(encoding="utf-8")
    header = ""
    names: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            header = header or line.lstrip("# ").strip()
        elif line:
            names.append(fold(ecosystem, line))
    return header, names


@cache
def popular_index(ecosystem: str) -> PopularIndex | None:
    """The index for `ecosystem`, built on first use; None when we ship no list for it."""
    if ecosystem not in LIST_FILES:
        return None
    header, names = _read_list(ecosystem)
    return PopularIndex(names=names, source=header)
