"""PHP and Laravel checks (detector prefix `php.`): taint flows, Laravel patterns,
configuration files and Blade templates."""

# Languages whose files this package checks: the registry imports it only for those.
LANGUAGES = frozenset({"php"})
