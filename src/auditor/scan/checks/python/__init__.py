"""Python checks (detector prefix `py.`): Django + DRF, Flask, FastAPI and the libraries they use.

Modules:
  facts       one walk over a file's tree: imports, calls, functions, classes, assignments
  frameworks  which web framework a file is written for (stack first, then its imports)
  taint_data  sources, sinks, sanitizers and propagators, as data
  taint       intra-procedural taint over each function (injection, paths, SSRF, redirects,
              XSS, deserialization, mass assignment) plus object-level access checks
  patterns    single-call patterns: weak hashing, insecure random, JWT, TLS, YAML, XXE ...
  config      settings and app configuration: debug, secret keys, CORS, CSRF, cookies, headers
  drf         Django REST framework view sets and serializers
  ratelimit   login/token endpoints without a rate limiter (per file and per project)
  log_secrets secrets written to the log (logger calls, SQL statement tracing)
  raw_templates  templates of a Jinja engine set up with autoescape=False (project check)
  session_fixation  logins that keep the session id the browser came with (aiohttp_session)
"""

# Languages whose files this package checks: the registry imports it only for those.
LANGUAGES = frozenset({"python"})
