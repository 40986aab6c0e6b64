"""Ruby and Rails checks (detector prefix `rb.`): taint flows, Rails patterns,
configuration files, ERB views and a project-level throttle check."""

# Languages whose files this package checks: the registry imports it only for those.
LANGUAGES = frozenset({"ruby", "erb", "yaml", "haml", "slim"})  # HAML/Slim: Rails views (views.py)
