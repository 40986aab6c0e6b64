"""Template checks: frontend frameworks (detector prefix `fe.`: Vue `v-html`, Svelte
`{@html}`, Angular `[innerHTML]` and `DomSanitizer.bypassSecurityTrust*`) and server-side
template engines (prefix `tpl.`: raw output tags in EJS, Pug, Handlebars, Jinja/Django/
Nunjucks, HAML and Slim)."""

# Vue single-file components, Svelte components, HTML templates (Angular, Vue from a CDN),
# and TS/JS sources (Angular inline templates and component code).
LANGUAGES = frozenset({"vue", "svelte", "html", "javascript", "typescript", "tsx",
                       "ejs", "pug", "handlebars", "jinja", "haml", "slim"})
