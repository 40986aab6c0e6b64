"""Java / Spring checks.

Every check here works from one shared, lazily built view of the file (`model.JavaFile`):
one walk over the tree indexes classes, methods, calls, `new` expressions and annotations,
and each check family (taint, patterns, access control) reads that index instead of
walking the tree again. Spring config files (application*.properties / .yml) have no
grammar and are read as text by `config`.
"""

# Languages whose files this package checks: the registry imports it only for those.
LANGUAGES = frozenset({"java", "properties", "yaml"})
