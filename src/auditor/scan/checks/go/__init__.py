"""Go checks (detector prefix `go.`) for net/http, gin and echo apps: taint flows,
configuration patterns (CORS, TLS, JWT, randomness, hashing) and access control."""

# Languages whose files this package checks: the registry imports it only for those.
LANGUAGES = frozenset({"go"})
