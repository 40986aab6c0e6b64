"""Taint data for Ruby (Rails, Sinatra, plain Ruby): sources, sinks and sanitizers.

Kept as data so that adding a sink or a sanitizer is a one-line change. The engine in
`taint.py` reads these tables; nothing here runs code.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bare identifiers that are request input wherever they appear (Rails and Sinatra).
SOURCE_IDENTIFIERS: frozenset[str] = frozenset({"params", "cookies"})

# `request.<method>` results that the client controls.
REQUEST_SOURCE_METHODS: frozenset[str] = frozenset(
    {
        "params", "parameters", "query_parameters", "request_parameters", "path_parameters",
        "headers", "cookies", "body", "raw_post", "referer", "referrer", "url", "fullpath",
        "original_url", "original_fullpath", "query_string", "user_agent", "env", "host",
    }
)

# Method calls whose result no longer carries the attacker's string (casts, escaping,
# allow-listing helpers, predicates). Matched on the method name.
SANITIZER_METHODS: frozenset[str] = frozenset(
    {
        "to_i", "to_f", "to_r", "to_c", "Integer", "Float", "Rational", "to_d",
        "sanitize_sql", "sanitize_sql_array", "sanitize_sql_for_conditions",
        "sanitize_sql_for_order", "quote", "quote_column_name", "quote_table_name",
        "html_escape", "h", "escapeHTML", "escape_html", "sanitize", "strip_tags",
        "escape", "shellescape", "shelljoin", "basename", "url_from", "presence_in",
        "size", "length", "count", "blank?", "present?", "nil?", "empty?", "include?",
        "in?", "to_json", "id", "hash", "object_id", "parameterize", "sanitized",
    }
)

# Escapers that do not make a value safe inside SQL text: `sanitize_sql_like` escapes the LIKE
# wildcards (% and _), not quotes; its result is safe as a bound value (`where("a LIKE ?", x)`),
# not interpolated into the SQL string.
NOT_SQL_QUOTING: frozenset[str] = frozenset({"sanitize_sql_like"})

# The app's own escaping helpers, by Rails' naming convention (`sanitize_filename`,
# `escape_like`, `quote_ident`): their result is what the app meant to be safe to use.
SANITIZER_PREFIXES: tuple[str, ...] = ("sanitize_", "escape_", "quote_")


@dataclass(frozen=True)
class Sink:
    """A call that is dangerous when its checked argument carries input.

    `kind` is the detector suffix (rb.taint.<kind>). `receiver`: None matches any call
    with that method name, "" only receiver-less calls, else a set of receiver texts (or
    suffixes after a dot) that must match. `arg` is the index of the checked argument; -1
    checks the receiver (e.g. `x.html_safe`). `shell_form` marks command sinks that are
    only dangerous when given one string (argv form runs no shell). `min_level` is the
    weakest taint reported: 1 for sinks where any dynamic string is suspect (SQL, shell,
    eval), 2 where only request input matters (redirects, file paths, outbound URLs)."""

    kind: str
    methods: frozenset[str]
    receiver: frozenset[str] | None = None
    arg: int = 0
    shell_form: bool = False
    min_level: int = 2
    keyword: str = ""  # checked value is the `keyword:` pair (render html: x)
    leading: bool = False  # only when input can start the string (Kernel#open runs `|cmd`)


def _s(*names: str) -> frozenset[str]:
    return frozenset(names)


ANY = None
BARE = frozenset({""})
CONNECTION = _s("connection", "ActiveRecord::Base.connection", "conn", "db", "client", "pg", "mysql")

SINKS: tuple[Sink, ...] = (
    # SQL: ActiveRecord methods that take SQL fragments as their first argument.
    Sink("sql", _s("where", "rewhere", "having", "order", "reorder", "group", "pluck", "joins",
                   "from", "lock", "exists?", "find_by_sql", "count_by_sql", "calculate",
                   "delete_all", "update_all", "destroy_by", "delete_by", "find_by", "find_by!",
                   # these look the row up with find_by/where first: a String argument is SQL text
                   "find_or_create_by", "find_or_create_by!", "find_or_initialize_by",
                   "create_or_find_by", "create_or_find_by!", "find_sole_by",
                   "select", "not", "in_order_of", "minimum", "maximum", "sum", "average"),
         ANY, min_level=1),
    Sink("sql", _s("execute", "exec_query", "select_all", "select_one", "select_value",
                   "select_values", "select_rows", "exec_update", "exec_delete", "exec_insert",
                   "exec_params", "async_exec", "query"), ANY, min_level=1),
    Sink("sql", _s("exec"), CONNECTION, min_level=1),
    # The connection's statement methods take SQL text too: connection.delete("DELETE ... #{x}").
    Sink("sql", _s("delete", "update", "insert", "select", "exec_insert_all", "truncate"),
         _s("connection", "ActiveRecord::Base.connection"), min_level=1),
    Sink("sql", _s("sql"), _s("Arel"), min_level=2),
    # Shell.
    Sink("command", _s("system", "exec", "spawn"), BARE | _s("Kernel", "Process"), shell_form=True, min_level=1),
    Sink("command", _s("popen"), _s("IO"), shell_form=True, min_level=1),
    Sink("command", _s("capture2", "capture2e", "capture3", "popen2", "popen2e", "popen3",
                       "pipeline", "pipeline_r", "pipeline_w", "pipeline_rw", "pipeline_start"), _s("Open3"),
         shell_form=True, min_level=1),
    Sink("command", _s("spawn"), _s("PTY"), shell_form=True, min_level=1),
    # Code evaluation and dynamic dispatch.
    Sink("code", _s("eval", "instance_eval", "class_eval", "module_eval", "instance_exec"), ANY, min_level=1),
    Sink("code", _s("constantize", "safe_constantize"), ANY, arg=-1),
    Sink("code", _s("const_get"), ANY),
    Sink("code", _s("send", "public_send", "__send__", "try", "method"), ANY),
    Sink("code", _s("render"), BARE, keyword="inline"),
    # XSS: marking strings as safe HTML, or rendering HTML from input.
    Sink("xss", _s("html_safe"), ANY, arg=-1, min_level=1),
    Sink("xss", _s("raw"), BARE, min_level=1),
    Sink("xss", _s("render"), BARE, keyword="html"),
    # `render inline:` is ERB source: whatever it interpolates is output without escaping
    # (and request input in it is also code, above).
    Sink("xss", _s("render"), BARE, keyword="inline", min_level=1),
    # `render text:` (removed in Rails 5.1) answered text/html: request input in it is HTML.
    Sink("xss", _s("render"), BARE, keyword="text"),
    Sink("xss", _s("render"), BARE, keyword="body"),
    # Open redirect (redirect_back goes to the Referer, or to its fallback when there is none).
    Sink("redirect", _s("redirect_to", "redirect", "redirect_back_or_to"), BARE),
    Sink("redirect", _s("redirect_back"), BARE, keyword="fallback_location"),
    # Strings marked safe HTML by appending or wrapping them.
    Sink("xss", _s("safe_concat"), ANY, min_level=1),
    Sink("xss", _s("new"), _s("ActiveSupport::SafeBuffer", "SafeBuffer"), min_level=1),
    # File paths.
    Sink("path", _s("send_file"), BARE),
    Sink("path", _s("read", "binread", "readlines", "foreach", "open", "new", "write", "binwrite",
                    "delete", "unlink", "read_file"), _s("File", "IO", "Pathname")),
    Sink("path", _s("rm", "rm_f", "rm_r", "rm_rf", "cp", "mv", "remove", "cp_r", "mkdir_p", "touch", "ln_s", "ln",
                    "copy_file", "remove_file", "remove_dir", "rmdir", "install", "chmod", "chown"), _s("FileUtils")),
    Sink("path", _s("rename", "symlink", "link", "chmod", "chown", "truncate", "copy_stream"), _s("File", "IO")),
    # Parsers and directory listings that open the file or folder they are given by name.
    Sink("path", _s("load_file", "parse_file", "safe_load_file", "unsafe_load_file"), _s("YAML", "Psych", "JSON")),
    Sink("path", _s("read", "foreach", "open", "readlines", "table"), _s("CSV")),
    Sink("path", _s("glob", "entries", "children", "each_child", "foreach", "mkdir", "rmdir", "delete", "unlink",
                    "open", "new"), _s("Dir")),
    Sink("path", _s("render"), BARE, keyword="file"),
    Sink("path", _s("render"), BARE, keyword="template"),
    Sink("path", _s("render", "render_to_string"), BARE, keyword="partial"),
    Sink("path", _s("render", "render_to_string"), BARE, keyword="action"),
    # A pattern chosen by the request: catastrophic backtracking, or a match that means nothing.
    Sink("regex", _s("new", "compile"), _s("Regexp"), min_level=2),
    # Kernel#open: a path opens a local file, and a string starting with `|` runs a shell
    # command; a literal prefix ("exports/#{x}") rules the command out, not the file.
    Sink("path", _s("open"), BARE | _s("Kernel")),
    Sink("command", _s("open"), BARE | _s("Kernel"), leading=True),
    # Outbound requests (SSRF).
    Sink("ssrf", _s("open"), _s("URI")),
    Sink("ssrf", _s("get", "get_response", "post_form", "post", "put", "patch", "start", "new", "get_print"),
         _s("Net::HTTP")),
    Sink("ssrf", _s("new"), _s("Net::HTTP::Get", "Net::HTTP::Post", "Net::HTTP::Put", "Net::HTTP::Patch",
                              "Net::HTTP::Delete", "Net::HTTP::Head")),
    Sink("ssrf", _s("get", "post", "put", "patch", "delete", "head", "new", "request", "get_content"),
         _s("HTTParty", "Faraday", "RestClient", "Excon", "HTTP", "Typhoeus", "HTTPX", "HTTPClient")),
    # Client constructors that take the URL as a keyword: Faraday.new(url: u), RestClient::Request.execute(url: u).
    Sink("ssrf", _s("new"), _s("Faraday", "Excon"), keyword="url"),
    Sink("ssrf", _s("execute"), _s("RestClient::Request"), keyword="url"),
    # Deserialization of attacker bytes.
    Sink("deserialize", _s("load", "restore"), _s("Marshal"), min_level=1),
    Sink("deserialize", _s("unsafe_load", "unsafe_load_file", "load_stream"), _s("YAML", "Psych"), min_level=1),
    Sink("deserialize", _s("load"), _s("JSON"), min_level=2),
    # YAML.load builds any class before Psych 4 (Ruby 3.1); on request input it is reported
    # whatever the version, since the same line is unsafe on every older Ruby.
    Sink("deserialize", _s("load"), _s("YAML", "Psych"), min_level=2),
    Sink("deserialize", _s("load", "object_load"), _s("Oj"), min_level=2),
    # Templates compiled from input (server-side template injection) and code loaded by name.
    Sink("code", _s("new"), _s("ERB", "Erubi::Engine", "Erubis::Eruby", "Haml::Engine", "Slim::Template",
                               "Tilt::ERBTemplate"), min_level=2),
    Sink("code", _s("parse"), _s("Liquid::Template"), min_level=2),
    Sink("code", _s("load", "require", "require_relative", "autoload"), BARE | _s("Kernel"), min_level=2),
    # `render params[:page]`: a view (or any file) chosen by the request.
    Sink("path", _s("render", "render_to_string"), BARE),
    # Rails 2/3 finder option hashes: find(:all, conditions: "... #{x}"), :order => params[:sort].
    *(Sink("sql", _s("find", "all", "first", "last", "count", "sum", "calculate", "paginate", "scoped",
                     "find_all_by", "find_each", "find_in_batches"), ANY, keyword=k, min_level=1)
      for k in ("conditions", "order", "group", "having", "select", "joins", "from", "lock")),
)

# Pathname methods that open, write or remove the file the path names.
PATHNAME_IO: frozenset[str] = frozenset(
    {"read", "binread", "readlines", "each_line", "open", "write", "binwrite", "delete", "unlink", "rmtree",
     "rename", "make_symlink", "make_link", "opendir", "children", "entries", "each_child", "truncate"}
)

# Names a model gives for its own schema: SQL identifiers the app defines, not data.
SCHEMA_NAMES: frozenset[str] = frozenset(
    {"table_name", "quoted_table_name", "primary_key", "quoted_primary_key", "column_names", "arel_table",
     "sequence_name", "inheritance_column"}
)

# Query methods taking a list of columns or SQL fragments: each argument is SQL text.
COLUMN_LIST_METHODS: frozenset[str] = frozenset({"select", "reselect", "pluck", "order", "reorder", "group"})

# Query methods that Rails 6.1+ checks: an argument that is not a column name (optionally
# table-qualified, with ASC/DESC) raises UnknownAttributeReference unless wrapped in Arel.sql.
CHECKED_COLUMN_METHODS: frozenset[str] = frozenset({"order", "reorder", "pluck", "pick"})

# Element-wise transforms: clean when the block makes every element clean (`map(&:to_i)`).
MAPPERS: frozenset[str] = frozenset({"map", "collect", "map!", "collect!", "filter_map", "flat_map"})

# Calls that run the method their first argument names: `send(:where, x)` is `where(x)`.
DISPATCHERS: frozenset[str] = frozenset({"send", "public_send", "__send__", "try", "try!"})

# Arel predicate builders: `where(table[:name].matches(pattern))` hands ActiveRecord a node
# whose values Arel quotes, not a SQL string (matched when the receiver reads an Arel table).
AREL_PREDICATES: frozenset[str] = frozenset(
    {"matches", "does_not_match", "matches_any", "matches_all", "eq", "not_eq", "eq_any", "in", "not_in",
     "gt", "gteq", "lt", "lteq", "between", "matches_regexp", "and", "or"}
)

# Record lookups: given request input they return a database row, whose attributes are
# stored data, not the attacker's raw string (`send_file Rails.root.join("exports",
# "#{doc.id}.pdf")` after `doc = Document.find(params[:id])`).
RECORD_LOOKUPS: frozenset[str] = frozenset(
    {"find", "find_by", "find_by!", "find_by_id", "find_sole_by", "first", "first!", "last", "take", "take!", "sole",
     "all", "where", "paginate", "find_all_by"}
)

# Calls that build or save a model record (on the model class or an association): the value
# is a record, and `redirect_to record` goes to its route (url_for), not to its text.
RECORD_MAKERS: frozenset[str] = frozenset(
    {"new", "build", "create", "create!", "find_or_create_by", "find_or_create_by!", "find_or_initialize_by",
     "first_or_create", "first_or_create!", "first_or_initialize", "create_or_find_by", "create_or_find_by!"}
)

# Value wrappers whose methods hand back (part of) the string they were built from:
# `Pathname.new(p).to_s` still carries p; any other `Service.new(input).call` returns what
# the service computed.
VALUE_WRAPPERS: frozenset[str] = frozenset(
    {"Pathname", "URI", "String", "StringIO", "File", "IO", "Addressable::URI", "URI::HTTP", "URI::HTTPS",
     "OpenStruct", "Struct", "Hash", "Array", "Set", "ERB", "Tempfile"}
)

# Calls whose block parameters are made by the program, not taken from anyone: a temp file
# (`Tempfile.open("x") { |f| `cat #{f.path}` }`) or a fresh temp directory.
PROGRAM_MADE_YIELDS: frozenset[tuple[str, str]] = frozenset(
    {("Tempfile", "open"), ("Tempfile", "create"), ("Tempfile", "new"), ("Dir", "mktmpdir")}
)

# Sink kinds where a tainted variable that a guard condition looked at counts as checked.
GUARDABLE_KINDS: frozenset[str] = frozenset({"redirect", "path", "ssrf", "code"})

# Words in an `if`/`unless` condition that mean the variable was validated.
GUARD_WORDS: tuple[str, ...] = (
    "include?", "in?", "start_with?", "match?", "=~", "allowed", "ALLOWED", "whitelist",
    "allowlist", "WHITELIST", "ALLOWLIST", "host", "valid", "safe", "permitted", "PERMITTED",
    "basename", "expand_path", "realpath", "starts_with?", "==",
)


# Dynamic finders (`find_by_name(params[:name])`) put a Hash argument into the SQL text in the
# Rails releases before the CVE-2012-5664 fix: 3.2.10, 3.1.9, 3.0.18 and 2.3.15.
DYNAMIC_FINDER = r"find_(?:all_|last_)?by_\w+!?|find_or_(?:create|initialize)_by_\w+!?"
FINDER_FIXED_IN: dict[tuple[int, int], int] = {(3, 2): 10, (3, 1): 9, (3, 0): 18, (2, 3): 15}
