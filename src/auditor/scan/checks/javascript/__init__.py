"""JavaScript / TypeScript / TSX checks (detector prefix `js.`).

Modules: `syntax` (tree helpers and the per-file node index, built once per tree),
`taint_data` (sources, sinks and sanitizers as data), `taint` (intra-procedural dataflow),
`patterns` (configuration and API-misuse patterns), `access` (object-level access control),
`routes` (login routes and security middleware, per file and per project).
"""

# The registry imports this package's modules only when a file of these languages is scanned.
LANGUAGES = ("javascript", "typescript", "tsx")
