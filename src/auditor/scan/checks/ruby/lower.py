"""The Ruby front-end of the dataflow core: lowers tree-sitter-ruby methods (and a file's
top level) into the shared intermediate form (`scan.dataflow.ir`), consulting the taint
data in `flowdata.py`, and resolves calls to methods of the project: the same class,
`Const.method`, `Const.new(...).method` (directly or through a local holding the
instance), in this file, in files it `require_relative`s, or in the file Rails' autoloader
would load for the constant (`Admin::Report` -> `app/**/admin/report.rb`, `lib/...`)."""

from __future__ import annotations

import re
from dataclasses import replace

from tree_sitter import Node

from auditor.scan.checks.ruby import flowdata as fd
from auditor.scan.checks.ruby.rbsyntax import call_parts, heredoc_body, keyword_value
from auditor.scan.dataflow import ir
from auditor.scan.dataflow.ir import DYNAMIC, INPUT, Expr, branch_span, join, names_in
from auditor.scan.dataflow.lowering import Lowering
from auditor.scan.dataflow.solver import Solver
from auditor.scan.interface import SourceFile
from auditor.scan.treeutil import find_all, text, walk

LITERALS = frozenset({"integer", "float", "simple_symbol", "symbol", "true", "false", "nil",
                      "constant", "scope_resolution", "self", "string_content", "hash_key_symbol",
                      "rational", "complex", "character", "regex", "comment", "delimited_symbol"})
STOP = frozenset({"method", "singleton_method", "class", "module", "ERROR"})
VARIABLES = ("identifier", "instance_variable", "class_variable", "global_variable")
COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">=", "=~", "!~", "===", "<=>", "and", "or", "&&"})
GUARDS = ("if", "unless", "if_modifier", "unless_modifier", "elsif", "while", "until", "conditional")
CONTROL = frozenset({"if", "unless", "case", "while", "until", "begin", "for", "return", "if_modifier",
                     "unless_modifier", "rescue_modifier", "comment"})
# A receiver that is the request's own data (`params[:ids].first`): its elements are input too.
REQUEST_VALUE = re.compile(r"(?:params|cookies|request\.(?:params|parameters|query_parameters|request_parameters))\b")
CONSTANT = re.compile(r"[A-Z]\w*(?:::[A-Z]\w*)*")
# redirect_to's own option: Rails 7 raises on another host.
_NO_OTHER_HOST = re.compile(r"\ballow_other_host:\s*false\b|:allow_other_host\s*=>\s*false")
# Inside the URL hash only (`params.merge(only_path: true)`): url_for drops the host. Given to
# redirect_to beside a URL, only_path is a response option and keeps nothing on this host.
_PATH_ONLY = re.compile(r"\bonly_path:\s*true\b|:only_path\s*=>\s*true")
BRANCHES = frozenset({"if", "unless", "elsif", "if_modifier", "unless_modifier", "while", "until",
                      "while_modifier", "until_modifier"})
CASES = frozenset({"when", "else"})
RENDER_LOCAL = "render@"  # `render ..., locals: {k: v}` at byte b assigns v to `render@b:k`


def _method_params(src: SourceFile, scope: Node) -> list[str]:
    params = scope.child_by_field_name("parameters")
    if params is None:
        return []
    names = []
    for p in params.named_children:
        ident = p if p.type == "identifier" else p.child_by_field_name("name")
        if ident is not None:
            names.append(text(src, ident))
    return names


def _owner(src: SourceFile, node: Node) -> str:
    """`Admin::Report` for a method inside `module Admin; class Report`."""
    parts: list[str] = []
    n = node.parent
    while n is not None:
        if n.type in ("class", "module"):
            parts.append(text(src, n.child_by_field_name("name")))
        n = n.parent
    return "::".join(reversed(parts))


class _Lowerer(Lowering):
    """One scope: a method body, or the file's top level."""
    literals = LITERALS

    def __init__(self, src: SourceFile, tagged: set[str]) -> None:
        super().__init__()
        self.src = src
        self.tagged = tagged  # ivars some constructor of the file sets from its parameters
        # local -> (class name, constructor arguments), from `x = Const.new(...)`
        self.instances: dict[str, tuple[str, tuple[Expr, ...]]] = {}
        # Names whose last assignment built or saved a record (`@post = Post.new(post_params)`,
        # `current_user.posts.create!(..)`): `redirect_to @post` goes to the record's route.
        self.records: set[str] = set()
        # The scope's local variables (parameters, assigned names, block parameters), when
        # known: any other bare identifier is a call of a method without arguments.
        self.locals: set[str] | None = None
        # In a controller, a `*_params` method the project does not define (a concern, a gem)
        # is by Rails convention the request's strong parameters.
        self.controller = src.path.endswith("_controller.rb")
        # Names holding a strong-parameters hash (`params.require(:x).permit(..)`): a hash of
        # permitted keys, bound as values when given to where/find_by.
        self.permitted: set[str] = set()
        # Locals holding a Pathname built here (`path = Rails.root.join("x", name)`).
        self.pathnames: set[str] = set()
        # Locals holding a hash or array literal of literal values (`roles = { admin: 1 }.freeze`).
        self.literal_tables: set[str] = set()

    # -- expressions -------------------------------------------------------------------------
    def lower_expr(self, node: Node, t: str, depth: int) -> Expr:
        if t in VARIABLES:
            name = text(self.src, node)
            if t == "identifier" and name in fd.SCHEMA_NAMES:
                return ir.Const()  # `#{table_name}.id`: a model's own schema name, not data
            default = INPUT if name in fd.SOURCE_IDENTIFIERS or (self.controller and t == "identifier" and
                                                                  name.endswith("_params")) else DYNAMIC
            var = ir.Var(name, default, tagged=name in self.tagged)
            if t == "identifier" and self.locals is not None and name not in self.locals and default != INPUT:
                # `user_params` with no parentheses: the class's own method, if it has one
                return ir.Call(name, "", (), var, node.start_point[0] + 1)
            return var
        if t == "element_reference":
            obj = node.child_by_field_name("object")
            if obj is not None and obj.type == "identifier" and text(self.src, obj) in fd.SOURCE_IDENTIFIERS:
                keyed = _input_key(self.src, node)
                # params[:kind] as a name, so a condition that allow-lists it guards it
                return ir.Var(keyed, INPUT) if keyed else ir.Source()
            return self.expr(obj, depth + 1)
        if t == "call":
            return self.call(node, depth)
        if t == "binary":
            op = node.child_by_field_name("operator")
            if op is not None and op.type in ("&&", "and"):
                # `a && a[:name]` is the right operand when the left one holds
                return self.expr(node.child_by_field_name("right"), depth + 1)
            if op is not None and op.type in COMPARISONS:
                return ir.Const()
        if t == "conditional":
            cond = node.child_by_field_name("condition")
            if cond is not None and any(w in text(self.src, cond) for w in fd.GUARD_WORDS if w != "=="):
                return ir.Const()
            return join([self.expr(node.child_by_field_name("consequence"), depth + 1),
                         self.expr(node.child_by_field_name("alternative"), depth + 1)])
        if t in ("if", "unless"):
            # `x = if c then "a" else :b end`: the value is a branch's last expression, not the test.
            return join([_branch_value(self, node.child_by_field_name("consequence"), depth),
                         _branch_value(self, node.child_by_field_name("alternative"), depth)])
        if t == "heredoc_beginning":
            # `<<~SQL` stands for a body that the tree keeps after the statement.
            return self.expr(heredoc_body(node), depth + 1)
        if t in ("string", "subshell", "heredoc_body", "string_array", "symbol_array", "bare_string"):
            return join(self.expr(c, depth + 1) for c in node.named_children if c.type == "interpolation")
        if t in ("block", "do_block", "lambda"):
            return ir.Const()
        return join(self.expr(c, depth + 1) for c in node.named_children)

    def call(self, node: Node, depth: int) -> Expr:
        method, receiver_text, args = call_parts(self.src, node)
        if (method in fd.SANITIZER_METHODS or method in fd.SCHEMA_NAMES or method.endswith("?")
                or method.startswith(fd.SANITIZER_PREFIXES)) and method not in fd.NOT_SQL_QUOTING:
            return ir.Const()
        if not receiver_text and (method.endswith("_path") or method.endswith("_url")):
            return ir.Const()  # route helpers build URLs on this app's host
        if method in ("content_tag", "safe_join", "link_to", "button_to") or receiver_text.endswith("tag"):
            return ir.Const()  # tag builders escape their content
        if receiver_text == "request" and method in fd.REQUEST_SOURCE_METHODS:
            return ir.Source()
        if method in ("signed", "encrypted") and receiver_text in ("cookies", "cookies.permanent"):
            return ir.Source(DYNAMIC)  # written by this app under its secret: stored data, not the request's
        if method in TABLE_LOOKUPS and self._literal_table(node.child_by_field_name("receiver")):
            # ROLES.fetch(name): one of the program's own values; only a default can be input
            return join(self.expr(a, depth + 1) for a in _positional(args)[1:]) if method == "fetch" else ir.Const()
        if method in fd.MAPPERS and self._maps_to_clean(node, args, depth):
            return ir.Const()  # ids.map(&:to_i): every element is cast
        receiver = node.child_by_field_name("receiver")
        parts = [self.expr(receiver, depth + 1)] if receiver is not None else []
        lowered = [self.expr(a, depth + 1) for a in args]
        parts.extend(lowered)
        fallback = join(parts)
        if receiver_text == "self" and not args and method != "class" and node.child_by_field_name("block") is None:
            # `self.name`: the object's own attribute, as the bare `name` is (stored data)
            fallback = ir.Var(f"self.{method}", DYNAMIC)
        if (method in fd.RECORD_LOOKUPS and not REQUEST_VALUE.match(receiver_text)) or re.fullmatch(fd.DYNAMIC_FINDER, method) \
                or _service_result(self.src, receiver):
            # A row looked up by input, or what a service object built from input computed,
            # is data of unknown origin, not the request string itself.
            fallback = ir.Cap(fallback, DYNAMIC) if not isinstance(fallback, ir.Const) else fallback
        hint, ctor = self._receiver_class(receiver, depth)
        if receiver_text and receiver_text != "self" and not hint:
            return fallback  # a call on a value of unknown class: no project method to follow
        positional = tuple(e for a, e in zip(args, lowered, strict=True) if a in _positional(args))
        return ir.Call(method, receiver_text, positional, fallback, node.start_point[0] + 1, hint, ctor)

    def _literal_table(self, receiver: Node | None) -> bool:
        """A constant table of the program (`ROLES`, `Kinds::ALL`), a hash or array literal of
        literal values, or a local holding one."""
        if receiver is None:
            return False
        if receiver.type in ("constant", "scope_resolution"):
            return TABLE_CONSTANT.fullmatch(text(self.src, receiver)) is not None
        if receiver.type == "identifier":
            return text(self.src, receiver) in self.literal_tables
        return _literal_collection(receiver)

    def _maps_to_clean(self, node: Node, args: list[Node], depth: int) -> bool:
        """`map(&:to_i)`, `map { |x| Integer(x) }`: a block whose every result is clean."""
        for a in args:
            if a.type == "block_argument":
                name = text(self.src, a).lstrip("&").lstrip(":")
                return name in fd.SANITIZER_METHODS
        block = node.child_by_field_name("block")
        body = block.child_by_field_name("body") if block is not None else None
        kids = [c for c in body.named_children if c.type != "comment"] if body is not None else []
        return bool(kids) and isinstance(self.expr(kids[-1], depth + 1), ir.Const)

    def _receiver_class(self, receiver: Node | None, depth: int) -> tuple[str, tuple[Expr, ...]]:
        """("Const." for `Const.m`, "Const#" for `Const.new(...).m` or an instance held in a
        local, "" otherwise; the constructor's positional arguments)."""
        if receiver is None:
            return "", ()
        rt = text(self.src, receiver)
        if receiver.type in ("constant", "scope_resolution") and CONSTANT.fullmatch(rt):
            return rt + ".", ()
        if receiver.type == "call":
            method, recv_text, args = call_parts(self.src, receiver)
            if method == "new" and CONSTANT.fullmatch(recv_text) and recv_text not in fd.VALUE_WRAPPERS:
                return recv_text + "#", tuple(self.expr(a, depth + 1) for a in _positional(args))
        if receiver.type == "identifier" and rt in self.instances:
            cls, ctor = self.instances[rt]
            return cls + "#", ctor
        return "", ()

    # -- statements ------------------------------------------------------------------------
    def lower(self, scope: Node) -> list[ir.Stmt]:
        for n in walk(scope, STOP):
            t = n.type
            if t in ("assignment", "operator_assignment"):
                self.assign(n)
            elif t in GUARDS:
                names = _guarded_names(self.src, n.child_by_field_name("condition"))
                if names:
                    self.body.append(ir.Guard(tuple(names)))
            elif t == "subshell":
                self.sink("command", self.expr(n), DYNAMIC, False, n)
            elif t == "return":
                self.body.append(ir.Return(join(self.expr(c) for c in n.named_children), n.start_byte))
            elif t == "call":
                self.program_made_params(n)
                self.call_statement(n)
        return self.body

    def program_made_params(self, node: Node) -> None:
        """`Tempfile.open(..) do |f|`: the block's parameters hold what the program made."""
        method, receiver, _ = call_parts(self.src, node)
        if (receiver.removeprefix("::"), method) not in fd.PROGRAM_MADE_YIELDS:
            return
        block = node.child_by_field_name("block")
        params = block.child_by_field_name("parameters") if block is not None else None
        names = tuple(text(self.src, p) for p in (params.named_children if params is not None else ()) if p.type == "identifier")
        if names:
            self.body.append(ir.Assign(names, (ir.Const(),) * len(names), at=block.start_byte))

    def implicit_return(self, body: Node) -> None:
        """A method returns its last expression."""
        kids = [c for c in body.named_children if c.type != "comment"]
        if kids and kids[-1].type not in CONTROL:
            last = kids[-1]
            value = last.child_by_field_name("right") if last.type == "assignment" else last
            self.body.append(ir.Return(self.expr(value), last.start_byte))

    def assign(self, n: Node) -> None:
        src = self.src
        left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
        value = self.expr(right)
        if n.type == "operator_assignment":
            names = [text(src, left)]
        elif left is not None and left.type == "left_assignment_list":
            names = [text(src, c) for c in left.named_children]
        else:
            names = [text(src, left)]
        names = [name.lstrip("*") for name in names]
        branch = branch_span(n, STOP, BRANCHES, CASES)
        if branch is not None and (right is None or not set(names) & {text(src, i) for i in walk(right) if i.type in VARIABLES}):
            branch = None  # a re-assignment from something else replaces the value on every path
        self.body.append(ir.Assign(tuple(names), (value,) * len(names), n.type == "operator_assignment",
                                   branch, n.start_byte))
        if right is not None and right.type == "call" and len(names) == 1:
            method, recv_text, ctor_args = call_parts(src, right)
            if method == "new" and CONSTANT.fullmatch(recv_text):
                self.instances[names[0]] = (recv_text, tuple(self.expr(a) for a in _positional(ctor_args)))
            else:
                self.instances.pop(names[0], None)
        if len(names) == 1:  # what the name holds now: each kind's set gains or loses it
            for kinds, holds in ((self.pathnames, right is not None and _pathname_built(src, right)),
                                 (self.literal_tables, right is not None and _literal_collection(right)),
                                 (self.permitted, _permitted_hash(src, right, self.permitted)),
                                 (self.records, _record_made(src, right))):
                if holds:
                    kinds.add(names[0])
                else:
                    kinds.discard(names[0])

    def call_statement(self, node: Node) -> None:
        src = self.src
        if _dev_only(src, node):
            return  # `if Rails.env.development?`: code production never runs
        method, receiver, args = call_parts(src, node)
        sent = _sent(src, method, args)
        if sent is not None:
            method, args = sent  # x.try(:where, params[:q]) runs where(params[:q])
        sunk = False
        for sink in fd.SINKS:
            if not _match(sink, method, receiver):
                continue
            if sink.kind == "sql" and not sink.keyword and method in fd.CHECKED_COLUMN_METHODS and _checked_column_methods(src):
                continue  # Rails 6.1+ raises on an order/pluck argument that is not a column name
            if sink.kind == "sql" and not sink.keyword:
                # where(params[:field] => v): the key names a column, and ActiveRecord puts
                # a key it does not know as a table.column into the SQL text as written.
                for key in _dynamic_keys(args):
                    self.sink("sql", self.expr(key), INPUT, False, node)
                    sunk = True
            if sink.kind == "command" and method.startswith("pipeline"):
                # Open3.pipeline(cmd1, cmd2, ...): each command is a shell string or an argv array.
                for cmd in _positional(args) + [a for a in args if a.type == "splat_argument"]:
                    target = _shell_script(src, node, list(cmd.named_children)) if cmd.type == "array" else cmd
                    if target is not None:
                        self.sink("command", self.expr(target), sink.min_level, False, node)
                        sunk = True
                continue
            target = _checked_node(src, sink, node, args)
            if sink.kind == "sql" and not sink.keyword and method in fd.COLUMN_LIST_METHODS:
                # select(:name, params[:x]): every column in the list is SQL text
                for extra in _positional(args)[1:]:
                    self.sink("sql", self.expr(extra), sink.min_level, False, node)
                    sunk = True
            if target is None:
                continue
            if sink.kind == "redirect" and target.type in VARIABLES and text(src, target) in self.records:
                continue  # redirect_to @post: url_for(record) is the record's route on this app
            if sink.kind == "redirect" and _route_hash(src, target):
                continue  # redirect_to params.permit(:page).merge(action: :index): a route on this app
            if sink.kind == "sql" and not sink.keyword and _permitted_hash(src, target, self.permitted):
                continue  # where(params.permit(:name)): a hash of permitted keys, its values bound
            self.sink(sink.kind, self.expr(target), sink.min_level, sink.kind in fd.GUARDABLE_KINDS, node)
            sunk = True
        recv_node = node.child_by_field_name("receiver")
        if not sunk and method in fd.PATHNAME_IO and recv_node is not None and \
                (_pathname_built(src, recv_node) or recv_node.type == "identifier" and text(src, recv_node) in self.pathnames):
            # Rails.root.join("tmp", params[:f]).read: the Pathname opens the file itself
            self.sink("path", self.expr(recv_node), INPUT, True, node)
            sunk = True
        if not sunk and args and re.fullmatch(fd.DYNAMIC_FINDER, method) and _finder_injectable(src):
            self.sink("sql", self.expr(args[0]), INPUT, False, node)
            sunk = True
        if not sunk:
            self.evaluate(self.expr(node), node)
        if method == "render" and not receiver:
            # The view's locals, as names the solver keeps (Rails views read them; see views.py).
            pairs = keyword_value(src, args, "locals")
            for pair in pairs.named_children if pairs is not None and pairs.type == "hash" else ():
                key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
                if pair.type == "pair" and key is not None and value is not None:
                    local = text(src, key).strip(":'\"")
                    self.body.append(ir.Assign((f"{RENDER_LOCAL}{node.start_byte}:{local}",), (self.expr(value),),
                                               at=node.start_byte))


DEV_ENV = re.compile(r"^\(?\s*(?:::)?Rails\.env\.(?:development|test|local)\?\s*\)?$")
PROD_ENV = re.compile(r"^\(?\s*(?:::)?Rails\.env\.production\?\s*\)?$")


# Lookups into a table that hand back one of its values (fetch's default aside).
TABLE_LOOKUPS = frozenset({"fetch", "dig", "values_at", "key", "invert"})
# A SCREAMING_CASE constant (ROLES, Billing::PLANS): program data, not a class.
TABLE_CONSTANT = re.compile(r"(?:::)?(?:[A-Z]\w*::)*[A-Z][A-Z0-9_]*[A-Z0-9]")


def _pathname_built(src: SourceFile, node: Node) -> bool:
    """A Pathname made here: `Rails.root.join(..)`, `Pathname.new(..)`, `Pathname(..)`, or a
    `join`/`+` on one."""
    if node.type != "call":
        return False
    method, recv_text, _ = call_parts(src, node)
    if method == "join" and recv_text in ("Rails.root", "::Rails.root"):
        return True
    if (method == "new" and recv_text in ("Pathname", "::Pathname")) or (method == "Pathname" and not recv_text):
        return True
    recv = node.child_by_field_name("receiver")
    return method in ("join", "+") and recv is not None and _pathname_built(src, recv)


def _literal_collection(node: Node) -> bool:
    """A hash or array literal (optionally `.freeze`d) whose values are all literals."""
    if node.type == "call" and node.child_by_field_name("method") is not None \
            and node.child_by_field_name("method").text == b"freeze":
        node = node.child_by_field_name("receiver")
    if node is None or node.type not in ("hash", "array", "string_array", "symbol_array"):
        return False
    if node.type in ("string_array", "symbol_array"):
        return not any(c.type == "interpolation" for c in walk(node))
    leaves = [c.child_by_field_name("value") if c.type == "pair" else c for c in node.named_children]
    return all(leaf is not None and (leaf.type in LITERALS or leaf.type == "string" and leaf.named_child_count <= 1
                                     and not any(x.type == "interpolation" for x in leaf.named_children))
               for leaf in leaves)


PERMIT_CALL = re.compile(r"\.permit\((?:\s*:\w+\s*,?)+\)(?:\.to_h|\.to_hash|\.compact_blank|\.compact)?$", re.S)


def _permitted_hash(src: SourceFile, node: Node | None, permitted: set[str]) -> bool:
    """A strong-parameters hash of scalar keys: `params.require(:x).permit(:a, :b)` (optionally
    `.to_h`), a name holding one, or a method of this file that returns one (`filter_params`)."""
    if node is None:
        return False
    if node.type in VARIABLES and text(src, node) in permitted:
        return True
    if node.type == "identifier" or (node.type == "call" and node.child_by_field_name("receiver") is None
                                     and not call_parts(src, node)[2]):
        name = text(src, node) if node.type == "identifier" else call_parts(src, node)[0]
        return name in _permitting_methods(src)
    return node.type == "call" and PERMIT_CALL.search(text(src, node)) is not None


HOST_KEYS = re.compile(r"(?::|\b)(?:host|domain|subdomain|protocol|port|script_name)\b")


def _route_hash(src: SourceFile, node: Node) -> bool:
    """A url_for hash of permitted request keys, none of which picks the host (`params.permit(:page,
    :sort)`, optionally `.merge(action: :index)`): url_for builds a path on this app."""
    base = node
    while base.type == "call" and call_parts(src, base)[0] in ("merge", "except", "slice", "to_h"):
        if HOST_KEYS.search(" ".join(text(src, a) for a in call_parts(src, base)[2])):
            return False
        base = base.child_by_field_name("receiver")
        if base is None:
            return False
    # The permit call itself, so its keys can be read (a name or a method holding one hides them).
    return base.type == "call" and PERMIT_CALL.search(text(src, base)) is not None \
        and not HOST_KEYS.search(text(src, base))


def _permitting_methods(src: SourceFile) -> frozenset[str]:
    """Methods of the file whose last expression is a strong-parameters hash of scalar keys."""
    cached = _PERMITTING.get("last")
    if cached is not None and cached[0] is src:
        return cached[1]  # one entry: the file being lowered
    names = set()
    if src.tree is not None and ".permit(" in src.text:
        for m in find_all("ruby", src.tree.root_node, ("method",)):
            body = m.child_by_field_name("body")
            last = body.named_children[-1] if body is not None and body.named_children else None
            if last is not None and last.type == "call" and PERMIT_CALL.search(text(src, last)):
                names.add(text(src, m.child_by_field_name("name")))
    out = frozenset(names)
    _PERMITTING["last"] = (src, out)
    return out


_PERMITTING: dict[str, tuple[SourceFile, frozenset[str]]] = {}


def _record_made(src: SourceFile, right: Node | None) -> bool:
    """Is this value a model record built or saved by ActiveRecord (`Post.new(attrs)`,
    `Post.create!(..)`, `user.posts.build(..)`), not a value wrapper (`URI.parse`, `Pathname.new`)?"""
    if right is None or right.type != "call":
        return False
    method, recv_text, _ = call_parts(src, right)
    if method not in fd.RECORD_MAKERS or not recv_text:
        return False
    const = recv_text if CONSTANT.fullmatch(recv_text) else ""
    return const not in fd.VALUE_WRAPPERS and not const.endswith(("URI", "URL", "Url", "Uri"))


def _dev_only(src: SourceFile, node: Node) -> bool:
    """Inside `if Rails.env.development?` (or test?/local?, or `unless Rails.env.production?`):
    a branch that production never takes."""
    n, child = node.parent, node
    while n is not None and n.type not in STOP:
        if n.type in ("if", "unless", "if_modifier", "unless_modifier"):
            cond = n.child_by_field_name("condition")
            taken = n.child_by_field_name("consequence") if n.type in ("if", "unless") else n.child_by_field_name("body")
            if cond is not None and child.id != cond.id and (taken is None or child.id == taken.id):
                ct = text(src, cond)
                if (DEV_ENV.match(ct) if n.type in ("if", "if_modifier") else PROD_ENV.match(ct)):
                    return True
        n, child = n.parent, n
    return False


def _local_names(src: SourceFile, scope: Node) -> set[str]:
    """Names a scope binds anywhere: assignment targets, block and lambda parameters,
    rescue variables and `for` variables."""
    out: set[str] = set()
    for n in walk(scope, STOP):
        if n.type in ("assignment", "operator_assignment"):
            left = n.child_by_field_name("left")
            if left is not None:
                out.update(text(src, i) for i in walk(left) if i.type == "identifier")
        elif n.type in ("block_parameters", "lambda_parameters", "method_parameters", "exception_variable"):
            out.update(text(src, i) for i in walk(n) if i.type == "identifier")
        elif n.type == "for":
            pattern = n.child_by_field_name("pattern")
            if pattern is not None:
                out.update(text(src, i) for i in walk(pattern) if i.type == "identifier")
    return out


def _branch_value(low: _Lowerer, branch: Node | None, depth: int) -> Expr:
    """The value of an if/elsif/else branch: its last statement (an elsif is itself an if)."""
    if branch is None:
        return ir.Const()
    if branch.type == "elsif":
        return join([_branch_value(low, branch.child_by_field_name("consequence"), depth),
                     _branch_value(low, branch.child_by_field_name("alternative"), depth)])
    kids = [c for c in branch.named_children if c.type != "comment"]
    return low.expr(kids[-1], depth + 1) if kids else ir.Const()


def _positional(args: list[Node]) -> list[Node]:
    """Arguments bound to positional parameters (keyword pairs, blocks and splats left out)."""
    return [a for a in args if a.type not in ("pair", "block_argument", "hash", "splat_argument")]


def _service_result(src: SourceFile, receiver: Node | None) -> bool:
    """`Exporter.new(...)` as the receiver of a call: the call returns what the service
    computed (value wrappers such as Pathname or URI excepted)."""
    if receiver is None or receiver.type != "call":
        return False
    method, recv_text, _ = call_parts(src, receiver)
    return method == "new" and recv_text[:1].isupper() and recv_text not in fd.VALUE_WRAPPERS


def _match(sink: fd.Sink, method: str, receiver: str) -> bool:
    if method not in sink.methods:
        return False
    if sink.receiver is None:
        return True
    if receiver in sink.receiver:
        return True
    tail = receiver.rsplit(".", 1)[-1] if receiver else ""
    return bool(tail) and tail in sink.receiver


def _rails_version(src: SourceFile) -> tuple[int, int, int] | None:
    """The app's Rails release (major, minor, patch), when the stack knows it."""
    project = src.project
    version = next((c.version for c in project.components if c.id == "rails" and c.version), None) if project else None
    m = re.match(r"\D*(\d+)\.(\d+)(?:\.(\d+))?", version or "")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)) if m else None


def _checked_column_methods(src: SourceFile) -> bool:
    """Rails 6.1 and later raise UnknownAttributeReference when order/reorder/pluck get a
    string that is not a column name (raw SQL must be wrapped in `Arel.sql`, itself a sink)."""
    version = _rails_version(src)
    return version is not None and version[:2] >= (6, 1)


def _sent(src: SourceFile, method: str, args: list[Node]) -> tuple[str, list[Node]] | None:
    """`send(:where, x)`, `try(:order, x)`: the named method with the remaining arguments."""
    if method not in fd.DISPATCHERS or not args or args[0].type not in ("simple_symbol", "string"):
        return None
    name = text(src, args[0]).lstrip(":").strip("'\"")
    return (name, args[1:]) if re.fullmatch(r"[a-z_]\w*[?!]?", name) else None


def _finder_injectable(src: SourceFile) -> bool:
    """Is the app on a Rails release whose dynamic finders take a Hash into the SQL?"""
    version = _rails_version(src)
    if version is None:
        return False
    major, minor, patch = version
    if major < 2 or (major == 2 and minor < 3):
        return True
    fixed = fd.FINDER_FIXED_IN.get((major, minor))
    return fixed is not None and patch < fixed


def _routed_url_for(src: SourceFile, call: Node) -> bool:
    """`url_for(controller: "posts", action: "show", id: params[:id])`: a route of this app,
    built from literal controller/action names; the request only fills path segments."""
    method, receiver, args = call_parts(src, call)
    if method != "url_for" or receiver or not args:
        return False
    pairs = [a for a in args if a.type == "pair"] + [c for a in args if a.type == "hash" for c in a.named_children if c.type == "pair"]
    if not pairs or len(pairs) != sum(1 for a in args if a.type == "pair") + sum(len(a.named_children) for a in args if a.type == "hash"):
        return False
    keys = {text(src, p.child_by_field_name("key")).strip(":'\"") for p in pairs}
    if keys & {"host", "protocol", "port", "domain", "subdomain", "only_path"}:
        return False
    values = {text(src, p.child_by_field_name("key")).strip(":'\""): p.child_by_field_name("value") for p in pairs}
    return all(values[k] is not None and values[k].type in ("string", "simple_symbol") for k in ("controller", "action") if k in values) \
        and ("controller" in values or "action" in values)


def _dynamic_keys(args: list[Node]) -> list[Node]:
    """Keys of a hash argument (`where(k => v)`, `where({k => v})`) that are not literals."""
    pairs = [a for a in args if a.type == "pair"]
    for a in args:
        if a.type == "hash":
            pairs.extend(c for c in a.named_children if c.type == "pair")
    keys = [p.child_by_field_name("key") for p in pairs]
    return [k for k in keys if k is not None and k.type not in ("hash_key_symbol", "simple_symbol", "string", "constant",
                                                                  "integer", "delimited_symbol")]


def _checked_node(src: SourceFile, sink: fd.Sink, node: Node, args: list[Node]) -> Node | None:
    if sink.keyword:
        value = keyword_value(src, args, sink.keyword)
        if sink.kind == "sql" and value is not None and value.type in ("array", "hash"):
            # conditions: ["name = ?", x] binds x; conditions: { name: x } is a hash of values
            return value.named_children[0] if value.type == "array" and value.named_children else None
        return value
    if sink.arg == -1:
        return node.child_by_field_name("receiver")
    if sink.leading:
        first = _positional(args)[:1]
        return first[0] if first and not _literal_prefix(src, first[0]) else None
    if sink.kind == "command":
        positional = [a for a in args if a.type not in ("pair", "hash", "block_argument", "splat_argument")]
        if sink.shell_form and len(positional) == 1 and positional[0].type == "array":
            positional = list(positional[0].named_children)  # IO.popen(["cmd", arg]): argv form too
        elif sink.shell_form and len(positional) == 1:
            return positional[0]
        if sink.shell_form:
            # argv form: no shell parses the arguments, unless the program is a shell given a script
            return _shell_script(src, node, positional)
        return positional[0] if positional else None
    positional = [a for a in args if a.type not in ("pair", "block_argument")]
    if sink.arg >= len(positional):
        return None
    target = positional[sink.arg]
    if sink.kind == "path" and call_parts(src, node)[0] in ("render", "render_to_string") and _constructed(src, target):
        return None  # render(Card.new(x)): a component object (ViewComponent, Phlex) renders itself, no path
    if sink.kind == "redirect" and (_NO_OTHER_HOST.search(" ".join(text(src, a) for a in args))
                                    or target.type in ("call", "hash") and _PATH_ONLY.search(text(src, target))):
        return None  # Rails keeps these on this host
    if sink.kind == "redirect" and target.type in ("call", "hash"):
        host = _host_value(src, target)
        if host is not None:
            return host  # params.merge(host: x): x alone picks where the redirect goes
    if sink.kind == "redirect" and target.type == "call" and _routed_url_for(src, target):
        return None
    if sink.kind in ("ssrf", "redirect") and target.type == "string" and _FIXED_ORIGIN.match(text(src, target)[1:]):
        return None  # "https://api.example.com/#{path}": the host is fixed, input only picks a path
    if sink.kind == "sql":
        if target.type == "hash":
            return None  # where(name: x): ActiveRecord binds hash values
        if target.type == "call":
            method, recv_text, _ = call_parts(src, target)
            if method in fd.AREL_PREDICATES and ("arel" in recv_text or "table[" in recv_text):
                return None  # where(t[:name].matches(p)): an Arel node, values quoted by Arel
            if method == "arel" or (method in ("exists", "not") and recv_text.endswith(".arel")):
                return None  # where(Other.where(k: v).arel.exists): a subquery node, its values bound
        if target.type == "array":
            first = target.named_children[:1]
            return first[0] if first else None
    return target


SHELLS = frozenset({"sh", "bash", "zsh", "ksh", "dash", "ash", "fish", "csh", "tcsh", "cmd", "cmd.exe",
                    "powershell", "pwsh"})
SCRIPT_FLAG = re.compile(r"-[a-z]*c|/[cCkK]|-(?:Command|command|EncodedCommand)")


def _shell_script(src: SourceFile, node: Node, argv: list[Node]) -> Node | None:
    """The script of an argv that runs a shell: `system("bash", "-c", script)`,
    `exec(shell, FLAG, script)` with the program and flag held in a local or a constant.
    The argument right after the flag is parsed as shell text; later ones are only $0, $1..."""
    if len(argv) < 3:
        return None
    program = _literal_text(src, node, argv[0])
    if program is None or program.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].lower() not in SHELLS:
        return None
    for i, arg in enumerate(argv[1:-1], start=1):
        flag = _literal_text(src, node, arg)
        if flag is None:
            return None
        if SCRIPT_FLAG.fullmatch(flag):
            return argv[i + 1]
    return None


def _literal_text(src: SourceFile, at: Node, node: Node) -> str | None:
    """The text a node always holds: a plain string literal, or a local (assigned above in the
    same method) or a constant (anywhere in the file) set to one; None otherwise."""
    if node.type == "string":
        if any(c.type == "interpolation" for c in node.named_children):
            return None
        return "".join(text(src, c) for c in node.named_children if c.type == "string_content")
    if node.type not in ("identifier", "constant"):
        return None
    name = text(src, node)
    scope = at
    if node.type == "identifier":
        while scope.parent is not None and scope.type not in ("method", "singleton_method", "block", "do_block"):
            scope = scope.parent
    else:
        while scope.parent is not None:
            scope = scope.parent
    found = None
    for n in walk(scope):
        if n.type == "assignment" and (node.type == "constant" or n.start_byte < at.start_byte):
            left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
            if left is not None and right is not None and text(src, left) == name:
                found = _literal_text(src, n, right) if right.type == "string" else None
    return found


def _host_value(src: SourceFile, target: Node) -> Node | None:
    """The value of a `host:` pair in a URL-options expression (`params.merge(host: v)`)."""
    for n in walk(target):
        if n.type == "pair":
            key = n.child_by_field_name("key")
            if key is not None and text(src, key).strip(":'\" ") == "host":
                return n.child_by_field_name("value")
    return None


def _literal_prefix(src: SourceFile, node: Node) -> bool:
    """A string that starts with literal text: whatever it interpolates cannot make it start with `|`."""
    if node.type != "string":
        return False
    body = text(src, node)
    return len(body) > 1 and body[1] not in "#|" and body[0] in "\"'"


def _constructed(src: SourceFile, node: Node) -> bool:
    """`Const.new(...)`: an object built from a class named in the code."""
    if node.type != "call":
        return False
    method, recv_text, _ = call_parts(src, node)
    return method == "new" and recv_text.lstrip(":")[:1].isupper()


def _guarded_names(src: SourceFile, cond: Node | None) -> set[str]:
    """The names a condition validates (guard words, or the app's own predicate given them)."""
    out: set[str] = set()
    if cond is None:
        return out
    ct = text(src, cond)
    if "?(" in ct:
        # The app's own predicate given the value (`unless public_https?(uri)`,
        # `if internal_host?(url)`) is its validation, whatever the helper is called.
        for n in walk(cond):
            if n.type == "call" and n.child_by_field_name("receiver") is None and \
                    text(src, n.child_by_field_name("method")).endswith("?"):
                out.update(text(src, a) for a in walk(n) if a.type in ("identifier", "instance_variable"))
    if not any(w in ct for w in fd.GUARD_WORDS):
        return out
    if "==" in ct and not any(w in ct for w in fd.GUARD_WORDS if w != "=="):
        if '""' in ct or "''" in ct or "nil" in ct:
            return out  # an emptiness test is not validation
    out.update(name for n in walk(cond) if (name := _guard_name(src, n)))
    return out - _weakly_tested(src, cond)


_QUOTES = ":'\""


def _input_key(src: SourceFile, node: Node) -> str:
    """`params[:kind]` / `params["kind"]` read with one literal key: its name for guards
    (`params[kind]`), else ''."""
    obj = node.child_by_field_name("object")
    keys = [c for c in node.named_children if c.start_byte != obj.start_byte]
    if obj is None or len(keys) != 1 or keys[0].type not in ("simple_symbol", "string"):
        return ""
    key = text(src, keys[0])
    if keys[0].type == "string" and (keys[0].named_child_count > 1 or "#{" in key):
        return ""
    return f"{text(src, obj)}[{key.strip(_QUOTES)}]"


def _guard_name(src: SourceFile, n: Node) -> str:
    """The name a condition tests: a variable, or a keyed read of the request (`params[:x]`)."""
    if n.type in ("identifier", "instance_variable"):
        return text(src, n)
    if n.type == "element_reference":
        obj = n.child_by_field_name("object")
        if obj is not None and obj.type == "identifier" and text(src, obj) in fd.SOURCE_IDENTIFIERS:
            return _input_key(src, n)
    return ""


_OPEN_ORIGIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*$")
_FIXED_ORIGIN = re.compile(r"^(?:https?://[^/#{}\s]+/|/[^/#\s\\])")


def _weakly_tested(src: SourceFile, cond: Node) -> set[str]:
    r"""Names the condition only tests in ways that do not allow-list a URL or a path: a
    substring (`url.include?("a.com")`), a prefix with an open end (`start_with?("https://a.com")`,
    `start_with?("/srv/files")`), a regex not anchored at the string's start (`url =~ /a\.com/`).
    A name also compared exactly (`==`, `LIST.include?(url)`, `.host`) counts as checked."""
    weak: set[str] = set()
    strong: set[str] = set()
    for n in walk(cond):
        if n.type == "call":
            method, _, args = call_parts(src, n)
            recv = n.child_by_field_name("receiver")
            if recv is not None and (name := _guard_name(src, recv)):
                if method in ("include?", "index", "match?", "match"):
                    first = args[0] if args else None
                    if method in ("match?", "match") and first is not None and first.type == "regex" and \
                            text(src, first).startswith("/\\A"):
                        strong.add(name)
                    elif first is not None and text(src, first).strip("'\"") in ("..", "../", "/"):
                        strong.add(name)  # a traversal check (`name.include?("..")`): kept as before
                    else:
                        weak.add(name)
                elif method in ("start_with?", "starts_with?") and args and args[0].type == "string":
                    lit = text(src, args[0]).strip("'\"")
                    (weak if _OPEN_ORIGIN.match(lit) or (lit.startswith("/") and not lit.endswith("/")) else strong).add(name)
                elif method in ("host", "hostname", "scheme"):
                    strong.add(name)
            for a in args:
                if (name := _guard_name(src, a)) and method in ("include?", "in?", "member?", "key?"):
                    strong.add(name)  # LIST.include?(url): membership
        elif n.type == "binary":
            op = n.child_by_field_name("operator")
            left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
            if op is None or left is None or right is None:
                continue
            if op.type == "=~" and (name := _guard_name(src, left)):
                (strong if right.type == "regex" and text(src, right).startswith("/\\A") else weak).add(name)
            elif op.type == "==":
                strong.update(name for x in (left, right) if (name := _guard_name(src, x)))
    return weak - strong


def _constructors(src: SourceFile, methods: list[Node]) -> dict[str, dict[str, int]]:
    """Per class: the instance variables its `initialize` sets from a parameter (`@title =
    title`) -> that parameter's position."""
    out: dict[str, dict[str, int]] = {}
    for m in methods:
        if m.type != "method" or text(src, m.child_by_field_name("name")) != "initialize":
            continue
        params = _method_params(src, m)
        body = m.child_by_field_name("body")
        if not params or body is None:
            continue
        fields = out.setdefault(_owner(src, m), {})
        for n in walk(body, STOP):
            left = n.child_by_field_name("left") if n.type == "assignment" else None
            right = n.child_by_field_name("right") if left is not None else None
            if left is None or right is None or left.type != "instance_variable":
                continue
            carried = names_in(_Lowerer(src, set()).expr(right))  # a sanitised parameter is no field
            used = [p for p in params if p in carried]
            if used:
                fields.setdefault(text(src, left), params.index(used[0]))
    return out


def lower_file(src: SourceFile) -> ir.Module:
    """The file's top level (scripts, Sinatra routes) and each method, as functions."""
    tree = src.tree
    if tree is None or not src.text.strip():
        return ir.Module(src.path, "ruby", [])
    root = tree.root_node
    methods = find_all("ruby", root, ("method", "singleton_method"))
    constructors = _constructors(src, methods)
    tagged = {ivar for fields in constructors.values() for ivar in fields}
    top = _Lowerer(src, set())
    functions = [ir.Function("<top>", "", (), (), top.lower(root), 1, summarise=False)]
    for n in methods:
        body = n.child_by_field_name("body")
        if body is None or n.has_error:  # no findings from half-parsed code
            continue
        owner = _owner(src, n)
        name = text(src, n.child_by_field_name("name"))
        params = _method_params(src, n)
        fields = constructors.get(owner, {}) if n.type == "method" and name != "initialize" else {}
        names = (*params, *fields)
        lw = _Lowerer(src, tagged - set(fields))
        lw.locals = {*names, *_local_names(src, body)}
        lw.lower(body)
        lw.implicit_return(body)
        key = f"{owner}{'.' if n.type == 'singleton_method' else '#'}{name}"
        functions.append(ir.Function(key, name, names, (DYNAMIC,) * len(names), lw.body, n.start_point[0] + 1,
                                     owner, fields=tuple(fields.values())))
    functions.extend(_class_blocks(src, root))
    _LOWERING.add(src.path)
    try:
        chains = _run_callbacks(src, root, functions)
    finally:
        _LOWERING.discard(src.path)
    functions.extend(_scopes(src, root))
    requires = [text(src, a).strip("'\"") for c in find_all("ruby", root, ("call",))
                if text(src, c.child_by_field_name("method")) == "require_relative"
                for a in call_parts(src, c)[2][:1] if a.type == "string"]
    return ir.Module(src.path, "ruby", functions, {"requires": requires, "ancestors": _ancestors(src, root),
                                                   "callbacks": chains})


BEFORE_CALLBACKS = frozenset({"before_action", "before_filter", "append_before_action", "append_before_filter"})
PREPEND_CALLBACKS = frozenset({"prepend_before_action", "prepend_before_filter"})
SKIP_CALLBACKS = frozenset({"skip_before_action", "skip_before_filter"})
Callback = tuple[str, frozenset[str] | None, frozenset[str]]  # (method, only, except)


def _callback_filter(src: SourceFile, args: list[Node]) -> tuple[list[str], frozenset[str] | None, frozenset[str]]:
    """(callback names, `only:` actions or None, `except:` actions) of a callback macro's arguments."""
    names = [text(src, a).lstrip(":") for a in args if a.type == "simple_symbol"]

    def actions(key: str) -> frozenset[str] | None:
        value = keyword_value(src, args, key)
        if value is None:
            return None
        items = value.named_children if value.type == "array" else [value]
        return frozenset(text(src, i).lstrip(":").strip("'\"") for i in items)

    return names, actions("only"), actions("except") or frozenset()


def _applies(cb: Callback, action: str) -> bool:
    _, only, exc = cb
    return (only is None or action in only) and action not in exc


def _class_callbacks(src: SourceFile, body: Node) -> tuple[list[Callback], list[Callback], list[Callback], set[str]]:
    """A class body's prepended and appended before-callbacks (each in the order Rails runs
    them), its skips, and the names of its private/protected methods (not actions)."""
    prepended: list[Callback] = []
    appended: list[Callback] = []
    skips: list[Callback] = []
    private: set[str] = set()
    hidden = False
    for stmt in body.named_children:
        if stmt.type == "identifier" and text(src, stmt) in ("private", "protected"):
            hidden = True
        elif stmt.type == "method" and hidden:
            private.add(text(src, stmt.child_by_field_name("name")))
        elif stmt.type == "call":
            method, receiver, args = call_parts(src, stmt)
            if receiver:
                continue
            if method in ("private", "protected"):
                private.update(text(src, a).lstrip(":") if a.type != "method" else text(src, a.child_by_field_name("name"))
                               for a in args)
                continue
            names, only, exc = _callback_filter(src, args)
            if stmt.child_by_field_name("block") is not None:
                names.append(f"<{method}@{stmt.start_point[0] + 1}>")  # `before_action do ... end` (_class_blocks)
            cbs = [(n, only, exc) for n in names]
            if method in BEFORE_CALLBACKS:
                appended.extend(cbs)
            elif method in PREPEND_CALLBACKS:
                prepended[:0] = cbs
            elif method in SKIP_CALLBACKS:
                skips.extend(cbs)
    return prepended, appended, skips, private


def _skipped(cb: Callback, skip: Callback) -> Callback | None:
    """`cb` after `skip_before_action` (None: skipped for every action)."""
    name, only, exc = cb
    _, s_only, s_exc = skip
    if s_only is not None:
        return name, only, exc | s_only
    if s_exc:
        return name, (s_exc if only is None else only & s_exc), exc
    return None


Chain = list[tuple[Callback, "ir.Function | None"]]
_LOWERING: set[str] = set()  # files being lowered (a parent controller lowered from its child)


def _parent_chain(src: SourceFile, cls: Node, owner: str, chains: dict[str, Chain]) -> tuple[Chain, dict[str, ir.Function]]:
    """The before-callbacks a class inherits from its superclass (in this file, or in the file
    Rails autoloads for it), with the superclass's methods by name."""
    sup = cls.child_by_field_name("superclass")
    const = text(src, sup).lstrip("<").strip() if sup is not None else ""
    if not CONSTANT.fullmatch(const):
        return [], {}
    for candidate in _lexical_names(owner, const):
        if candidate in chains:
            return chains[candidate], {}
    index = src.index
    if index is None:
        return [], {}
    for candidate in _lexical_names(owner, const):
        rel = index.resolve_ruby_constant(src.path, candidate)
        if rel is None or rel == src.path or rel in _LOWERING:
            continue
        parent = index.memo("dataflow:ruby", rel, lower_file)
        if parent is None:
            continue
        methods = {fn.name: fn for fn in parent.functions if fn.key.startswith(f"{candidate}#")}
        return parent.facts.get("callbacks", {}).get(candidate, []), methods
    return [], {}


def _run_callbacks(src: SourceFile, root: Node, functions: list[ir.Function]) -> dict[str, Chain]:
    """A controller action starts with what its before-callbacks assigned: each callback that
    applies to the action (its own class's and the ones inherited from its superclass, such
    as ApplicationController's; `only:`/`except:`, skips, prepend order) has its assignments
    replayed at the top of the action, so `before_action :set_page` with `@page =
    params[:page]` reaches `render @page` in the action. Returns each class's callback chain
    (for its subclasses)."""
    by_key = {fn.key: fn for fn in functions}
    chains: dict[str, Chain] = {}
    for cls in find_all("ruby", root, ("class",)):
        body = cls.child_by_field_name("body")
        owner = "::".join(p for p in (_owner(src, cls), text(src, cls.child_by_field_name("name"))) if p)
        inherited, parent_methods = _parent_chain(src, cls, owner, chains)
        if body is None or ("before_" not in text(src, body) and not inherited):
            continue
        prepended, appended, skips, private = _class_callbacks(src, body)

        def method_of(name: str) -> ir.Function | None:
            return by_key.get(f"{owner}#{name}") or parent_methods.get(name)  # noqa: B023

        chain: Chain = [(cb, method_of(cb[0])) for cb in prepended] + list(inherited) + \
            [(cb, method_of(cb[0])) for cb in appended]
        for skip in skips:
            kept: Chain = []
            for cb, fn in chain:
                after = _skipped(cb, skip) if cb[0] == skip[0] else cb
                if after is not None:
                    kept.append((after, fn))
            chain = kept
        chains[owner] = chain
        if not chain:
            continue
        callbacks = {cb[0] for cb, _ in chain}
        for stmt in body.named_children:
            if stmt.type != "method":
                continue
            action = text(src, stmt.child_by_field_name("name"))
            fn = by_key.get(f"{owner}#{action}")
            if fn is None or action in callbacks or action in private or fn.params:
                continue
            prefix: list[ir.Stmt] = []
            for cb, done in chain:
                if _applies(cb, action) and done is not None and not done.params:
                    prefix.extend(replace(a, branch=None) for a in done.body if isinstance(a, ir.Assign))
            fn.body[:0] = prefix
    return chains


def _ancestors(src: SourceFile, root: Node) -> dict[str, list[str]]:
    """Class or module -> the modules it includes, then its superclass: where a bare call
    that the class does not define goes next (`include Filterable`, `< ApplicationController`)."""
    out: dict[str, list[str]] = {}
    for node in find_all("ruby", root, ("class", "module")):
        owner = "::".join([*(_owner(src, node).split("::") if _owner(src, node) else []),
                           text(src, node.child_by_field_name("name"))])
        names: list[str] = []
        body = node.child_by_field_name("body")
        for stmt in body.named_children if body is not None else ():
            if stmt.type == "call":
                method, receiver, args = call_parts(src, stmt)
                if method == "include" and not receiver:
                    names.extend(text(src, a) for a in args if a.type in ("constant", "scope_resolution"))
        sup = node.child_by_field_name("superclass")
        if sup is not None:
            const = text(src, sup).lstrip("<").strip()
            if CONSTANT.fullmatch(const):
                names.append(const)
        if names:
            out[owner] = names
    return out


def _class_blocks(src: SourceFile, root: Node) -> list[ir.Function]:
    """Blocks given to calls in a class body run as the class's code: `before_action do ...
    end`, `rescue_from X do |e| ... end`, `define_method(:name) do |a| ... end` (a method
    named `name`, resolvable like a `def`)."""
    out: list[ir.Function] = []
    for cls in find_all("ruby", root, ("class", "module")):
        body = cls.child_by_field_name("body")
        owner = "::".join(p for p in (_owner(src, cls), text(src, cls.child_by_field_name("name"))) if p)
        for stmt in body.named_children if body is not None else ():
            block = stmt.child_by_field_name("block") if stmt.type == "call" else None
            inner = block.child_by_field_name("body") if block is not None else None
            if inner is None or stmt.has_error:
                continue
            method, receiver, args = call_parts(src, stmt)
            if receiver or method in SCOPE_MACROS:
                continue
            plist = block.child_by_field_name("parameters")
            params = tuple(text(src, p) for p in (plist.named_children if plist is not None else ()) if p.type == "identifier")
            if method == "define_method" and args and args[0].type in ("simple_symbol", "string"):
                name = text(src, args[0]).lstrip(":").strip("'\"")
            else:
                name = f"<{method}@{stmt.start_point[0] + 1}>"
            lw = _Lowerer(src, set())
            lw.locals = {*params, *_local_names(src, inner)}
            lw.lower(inner)
            lw.implicit_return(inner)
            out.append(ir.Function(f"{owner}#{name}", name, params, (DYNAMIC,) * len(params), lw.body,
                                   stmt.start_point[0] + 1, owner, summarise=method == "define_method"))
    return out


SCOPE_MACROS = frozenset({"scope", "named_scope"})
SCOPE_SQL_KEYS = ("conditions", "order", "group", "having", "select", "joins", "from")


def _scopes(src: SourceFile, root: Node) -> list[ir.Function]:
    """ActiveRecord scopes as class methods: `scope :by, ->(x) { where("... #{x}") }` is
    `Model.by(x)`; a Rails 2 `named_scope :by, lambda { |x| { :conditions => "... #{x}" } }`
    returns finder options whose SQL keys are SQL text."""
    out: list[ir.Function] = []
    for call in find_all("ruby", root, ("call",)):
        method, receiver, args = call_parts(src, call)
        if method not in SCOPE_MACROS or receiver or len(args) < 2 or args[0].type != "simple_symbol" or call.has_error:
            continue
        body = None
        params: list[str] = []
        plist = None
        fn = args[1]
        if fn.type in ("pair", "hash"):
            body = call  # `scope :x, :conditions => "..."`: the options are the scope (Rails 2/3)
        elif fn.type == "lambda":
            body = fn.child_by_field_name("body")
            plist = fn.child_by_field_name("parameters")
        elif fn.type == "call" and call_parts(src, fn)[0] in ("lambda", "proc"):
            block = fn.child_by_field_name("block") or next((c for c in fn.named_children if c.type in ("block", "do_block")), None)
            body = block.child_by_field_name("body") if block is not None else None
            plist = block.child_by_field_name("parameters") if block is not None else None
        else:
            continue
        if plist is not None:
            params = [text(src, p) for p in plist.named_children
                      if p.type in ("identifier", "optional_parameter", "splat_parameter")]
            params = [p.split("=", 1)[0].strip().lstrip("*") for p in params]
        if body is None:
            continue
        lw = _Lowerer(src, set())
        if body is not call:
            lw.lower(body)  # a scope without arguments may still build SQL from a helper's value
        for pair in find_all("ruby", body, ("pair",)):
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if key is not None and value is not None and text(src, key).strip(":") in SCOPE_SQL_KEYS and value.type == "string":
                lw.sink("sql", lw.expr(value), DYNAMIC, False, pair)
        if body is not call:
            lw.implicit_return(body)
        name = text(src, args[0]).lstrip(":")
        owner = _owner(src, call)
        out.append(ir.Function(f"{owner}.{name}", name, tuple(params), (DYNAMIC,) * len(params), lw.body,
                               call.start_point[0] + 1, owner))
    return out


class RubyFrontend:
    """Resolves a Ruby call to a method of the project (see the module docstring)."""

    language = "ruby"

    def resolve(self, solver: Solver, module: ir.Module, fn: ir.Function, call: ir.Call) -> tuple[ir.Module, ir.Function] | None:
        if call.hint:
            const, sep = call.hint[:-1], call.hint[-1]
            return self._in_class(solver, module, fn.owner, const, sep, call.name)
        if call.receiver in ("", "self") and fn.owner:
            sep = "#" if "#" in fn.key else "."
            found = module.by_key().get(f"{fn.owner}{sep}{call.name}")
            if found is not None:
                return (module, found) if found is not fn else None
            if sep == "#":
                return self._inherited(solver, module, fn.owner, call.name, 0)
        return None

    def _inherited(self, solver: Solver, module: ir.Module, owner: str, name: str,
                   depth: int) -> tuple[ir.Module, ir.Function] | None:
        """An instance method the class gets from an included module (a concern, a helper)
        or from its superclass (ApplicationController), three levels deep at most."""
        if depth >= 3:
            return None
        for const in module.facts.get("ancestors", {}).get(owner, ()):
            found = self._in_class(solver, module, owner, const, "#", name)
            if found is not None:
                return found
            where = self._class_module(solver, module, owner, const)
            if where is not None:
                other, full = where
                deeper = self._inherited(solver, other, full, name, depth + 1)
                if deeper is not None:
                    return deeper
        return None

    def _class_module(self, solver: Solver, module: ir.Module, scope: str, const: str) -> tuple[ir.Module, str] | None:
        """The lowered file that defines `const` (seen from `scope`), with its full name."""
        for candidate in _lexical_names(scope, const):
            if candidate in module.facts.get("ancestors", {}):
                return module, candidate
        index, load = solver.index, solver.load
        if index is None or load is None:
            return None
        for candidate in _lexical_names(scope, const):
            rel = index.resolve_ruby_constant(module.path, candidate)
            other = load(rel) if rel is not None else None
            if other is not None and other.path != module.path:
                return other, candidate
        return None

    def _in_class(self, solver: Solver, module: ir.Module, scope: str, const: str, sep: str,
                  name: str) -> tuple[ir.Module, ir.Function] | None:
        for candidate in _lexical_names(scope, const):
            key = f"{candidate}{sep}{name}"
            found = module.by_key().get(key)
            if found is not None:
                return module, found
        index, load = solver.index, solver.load
        if index is None or load is None:
            return None
        files = [r for spec in module.facts.get("requires", ()) if (r := index.resolve_ruby_require(module.path, spec))]
        for candidate in _lexical_names(scope, const):
            target = index.resolve_ruby_constant(module.path, candidate)
            files += [target] if target is not None else []
        for rel in files:
            other = load(rel)
            if other is None or other.path == module.path:
                continue
            table = other.by_key()
            for candidate in _lexical_names(scope, const):
                found = table.get(f"{candidate}{sep}{name}")
                if found is not None:
                    return other, found
        return None


def _lexical_names(scope: str, const: str) -> list[str]:
    """`Report` seen from inside `Admin::ReportsController`: `Admin::Report`, then `Report`."""
    parts = scope.split("::")[:-1] if scope else []
    out = ["::".join([*parts[:i], const]) for i in range(len(parts), 0, -1)]
    return [*out, const.removeprefix("::")]


FRONTEND = RubyFrontend()
