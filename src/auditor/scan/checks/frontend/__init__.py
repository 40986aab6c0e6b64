"""Frontend framework checks (detector prefix `fe.`): Vue `v-html`, Svelte `{@html}`,
Angular `[innerHTML]` bindings and `DomSanitizer.bypassSecurityTrust*` calls."""

# Vue single-file components, Svelte components, HTML templates (Angular, Vue from a CDN),
# and TS/JS sources (Angular inline templates and component code).
LANGUAGES = frozenset({"vue", "svelte", "html", "javascript", "typescript", "tsx"})
