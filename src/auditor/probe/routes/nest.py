"""Routes of NestJS controllers, from their decorators.

`@Controller('users')` on the class, `@Get(':id')` / `@Post()` ... on its methods, each under the
global prefix `main.ts` sets (`app.setGlobalPrefix('api')`). A method's inputs come from its
parameters' decorators: `@Param('id')`, `@Query('q')`, `@Headers('x-token')`, `@Body('name')`;
a whole `@Body() dto: CreateUserDto` or `@Query() q: SearchDto` gives the DTO class's fields
(the class found anywhere in the project); `@Req() req` reads what the body reads of `req`. A
whole body or query handed on to an injected service (`this.orders.create(body)`) gives what that
service method reads of it, one call deep; a file interceptor (`FileInterceptor('avatar')`) names
a file input."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node

from auditor.probe.interface import Param, Route
from auditor.probe.routes.common import (
    add_input,
    add_param,
    join_path,
    string_value,
    template,
    text,
    with_inherited,
)
from auditor.probe.routes.inputs import body_inputs, compared_values
from auditor.scan.languages import parse
from auditor.scan.textscan import balanced

_VERBS = {"Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE", "All": "GET",
          "Head": "HEAD", "Options": "OPTIONS"}
_WHERE = {"Param": "path", "Query": "query", "Headers": "header", "Body": "json"}
_GLOBAL_PREFIX = re.compile(r"""\.setGlobalPrefix\(\s*['"`]([^'"`]*)['"`]""")
# `class CreateUserDto ... {` and its typed fields (`name: string;`, `@IsEmail() email?: string`).
_CLASS = re.compile(r"\bclass\s+(\w+)(?:\s+extends\s+(?:\w+\()?(\w+))?[^{]*\{")
# `extends PickType(User, ['username', 'email'] as const)`: only the names listed; OmitType: the others.
_MAPPED = re.compile(r"\b(PickType|OmitType)\(\s*\w+\s*,\s*\[([^\]]*)\]")
_FIELD = re.compile(r"^\s*(?:@\w+\([^)]*\)\s*)*(?:readonly\s+|public\s+)?(\w+)[?!]?\s*:", re.M)


# A method of a class body: `async create(dto: CreateDto, user?: User): Promise<X> {`.
_METHOD = re.compile(r"^[ \t]*(?:(?:public|private|protected|static|async|override)\s+)*(\w+)\s*\(", re.M)
# Constructor-injected members: `private readonly orders: OrdersService`.
_INJECTED = re.compile(r"(?:private|public|protected|readonly)\s+(?:readonly\s+)?(\w+)\s*:\s*(\w+)")
# `this.orders.create(` : a call on an injected member.
_MEMBER_CALL = re.compile(r"\bthis\.(\w+)\.(\w+)\(")
_FILE_INTERCEPTOR = re.compile(r"\b(?:FileInterceptor|FilesInterceptor)\(\s*['\"`]([^'\"`]+)")

# class -> method -> (parameter names, body)
Methods = dict[str, dict[str, tuple[list[str], str]]]


@dataclass
class NestApp:
    """What every controller of a NestJS app shares: the global prefix, the DTO classes' fields
    and the injectable services' methods."""

    prefix: str = ""
    dtos: dict[str, list[str]] = field(default_factory=dict)
    services: Methods = field(default_factory=dict)
    types: dict[str, dict[str, str]] = field(default_factory=dict)  # class -> its own fields' types

    def shape(self, cls: str, name: str, depth: int = 0) -> str:
        """Param.shape of field `name` of DTO class `cls` (inherited fields by the first class that
        declares them): `1` for a number, `true`, a list or an object of a DTO's own shapes."""
        declared = self.types.get(cls, {}).get(name) or next((t[name] for t in self.types.values() if name in t), "")
        return self._shape(declared, depth)

    def _shape(self, declared: str, depth: int) -> str:
        kind = declared.split("|")[0].strip()
        if kind.endswith("[]") or kind.startswith("Array<"):
            return "[" + (self._shape(kind[:-2] if kind.endswith("[]") else kind[6:-1], depth) or '"1"') + "]"
        if kind in ("number", "Number", "bigint"):
            return "1"
        if kind in ("boolean", "Boolean"):
            return "true"
        if kind in self.dtos and depth < 2:
            return "{" + ", ".join(f'"{f}": {self.shape(kind, f, depth + 1) or chr(34) + "1" + chr(34)}'
                                   for f in self.dtos[kind]) + "}"
        return ""


def nest_app(sources: dict[str, str]) -> NestApp:
    classes = class_bodies(sources)
    return NestApp(global_prefix(sources), dto_fields(classes), service_methods(sources), field_types(classes))


# A TypeScript class: its header (`class X extends Y {`) and its body without its methods' bodies.
ClassBody = tuple[re.Match[str], str]


def class_bodies(sources: dict[str, str]) -> list[ClassBody]:
    """Each TypeScript class of the project, read once for its fields and their types."""
    return [(m, _top_level(balanced(source, m.end() - 1, "{", "}"))) for rel, source in sources.items()
            if rel.endswith(".ts") for m in _CLASS.finditer(source)]


# A typed field of a class body: `quantity: number;`, `items?: OrderItemDto[];`.
_TYPED_FIELD = re.compile(r"^\s*(?:@\w+\([^)]*\)\s*)*(?:readonly\s+|public\s+)?(\w+)[?!]?\s*:\s*([^;=\n]+)", re.M)


def field_types(classes: list[ClassBody]) -> dict[str, dict[str, str]]:
    """Each TypeScript class's own fields and their declared types."""
    out: dict[str, dict[str, str]] = {}
    for m, body in classes:
        out.setdefault(m.group(1), {f: t.strip() for f, t in _TYPED_FIELD.findall(body)})
    return out


def service_methods(sources: dict[str, str]) -> Methods:
    """Each `@Injectable()` class's methods: their parameter names and bodies."""
    out: Methods = {}
    for rel, source in sources.items():
        if not rel.endswith(".ts") or "@Injectable" not in source:
            continue
        for m in _CLASS.finditer(source):
            body = balanced(source, m.end() - 1, "{", "}")
            methods: dict[str, tuple[list[str], str]] = {}
            for fm in _METHOD.finditer(body):
                if fm.group(1) in ("if", "for", "while", "switch", "catch", "return", "constructor", "function"):
                    continue
                formal = balanced(body, fm.end() - 1)
                brace = body.find("{", fm.end() + len(formal))
                if brace < 0:
                    continue
                names = [re.sub(r"^(?:@\w+\([^)]*\)\s*)*(?:\.\.\.)?", "", a.strip()).split(":")[0].strip(" ?")
                         for a in _top_commas(formal)]
                methods.setdefault(fm.group(1), ([n for n in names if n], balanced(body, brace, "{", "}")))
            out.setdefault(m.group(1), methods)
    return out


def _top_commas(args: str) -> list[str]:
    """`args` split at its commas outside brackets, braces, parentheses and strings."""
    parts, depth, quote, current = [], 0, "", []
    for ch in args:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`":
            quote = ch
        elif ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    if "".join(current).strip():
        parts.append("".join(current))
    return parts


def handed_on(code: str, injected: dict[str, str], services: Methods) -> str:
    """The bodies of the service methods `code` hands `req.body` or `req.query` (or one of their
    values) to, with the parameter that receives it renamed so: `this.orders.create(req.body)` and
    `create(dto) { ... dto.items ... }` give `... req.body.items ...`; `run(req.body.action)` and
    `run(action) { switch (action) ...` give `switch (req.body.action)`."""
    out = []
    for m in _MEMBER_CALL.finditer(code):
        method = services.get(injected.get(m.group(1), ""), {}).get(m.group(2))
        if method is None:
            continue
        names, body = method
        handed = False
        for i, arg in enumerate(_top_commas(balanced(code, m.end() - 1))):
            if re.fullmatch(r"req\.(?:body|query)(?:\.[A-Za-z_$][\w$]*)?", arg.strip()) and i < len(names):
                body = re.sub(r"(?<![\w$.])" + re.escape(names[i]) + r"\b", arg.strip(), body)
                handed = True
        if handed:
            out.append(body)
    return "\n".join(out)


# The request inside a guard: `const req = context.switchToHttp().getRequest()`.
_GUARD_REQUEST = re.compile(r"\b(?:const|let|var)\s+(\w+)\s*=\s*\w+\.switchToHttp\(\)\.getRequest\([^)]*\)")


def guard_inputs(guards: list[str], services: Methods) -> list[Param]:
    """What the route's guards read of the request in their `canActivate` (a header that lets a
    request through: `req.headers['x-admin-override'] === 'true'`), with the value they compare it
    with as its example."""
    found: list[Param] = []
    for guard in guards:
        method = services.get(re.sub(r"^new\s+|\(.*$", "", guard.strip()), {}).get("canActivate")
        if method is None:
            continue
        body = method[1]
        for local in _GUARD_REQUEST.findall(body):
            body = re.sub(r"(?<![\w$.])" + re.escape(local) + r"\b", "req", body)
        found += [p for p in body_inputs(body, "javascript", ("json",)) if p.location in ("header", "query", "cookie")]
    return found


def global_prefix(sources: dict[str, str]) -> str:
    """The prefix `app.setGlobalPrefix(...)` gives every route ('' when none)."""
    for source in sources.values():
        if m := _GLOBAL_PREFIX.search(source):
            return m.group(1)
    return ""


def dto_fields(classes: list[ClassBody]) -> dict[str, list[str]]:
    """Field names of each TypeScript class of the project, inherited ones first (a DTO's
    `extends PartialType(CreateUserDto)` keeps the base's fields)."""
    own: dict[str, tuple[list[str], str]] = {}
    picked: dict[str, tuple[str, list[str]]] = {}  # class -> (PickType or OmitType, the names listed)
    for m, body in classes:
        fields = [f for f in _FIELD.findall(body) if f not in ("constructor", "return")]
        own.setdefault(m.group(1), (fields, m.group(2) or ""))
        if (kind := _MAPPED.search(m.group(0))) is not None:
            picked.setdefault(m.group(1), (kind.group(1), re.findall(r"['\"`](\w+)['\"`]", kind.group(2))))
    if picked:  # the mapped type's fields replace its base's, then inheritance is taken again
        first = with_inherited(own)
        for name, (kind, listed) in picked.items():
            kept = [f for f in first.get(own[name][1], []) if (f in listed) == (kind == "PickType")]
            own[name] = (kept + [f for f in own[name][0] if f not in kept], "")
    return with_inherited(own)



def _top_level(body: str) -> str:
    """A class body without its methods' bodies (their locals are no fields)."""
    out, depth = [], 0
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _decorator(node: Node) -> tuple[str, list[Node]]:
    """(name, arguments) of `@Name(args)`; ('', []) for anything else."""
    call = node.named_children[0] if node.named_children else None
    if call is None or call.type != "call_expression":
        return "", []
    args = call.child_by_field_name("arguments")
    return text(call.child_by_field_name("function")), list(args.named_children) if args is not None else []


def _paths(args: list[Node]) -> list[str]:
    """`'x'`, `['a', 'b']`, `{ path: 'x' }` or nothing ('')."""
    if not args:
        return [""]
    first = args[0]
    if first.type == "array":
        return [v for c in first.named_children if (v := string_value(c)) is not None] or [""]
    if first.type == "object":
        for pair in first.named_children:
            if pair.type == "pair" and text(pair.child_by_field_name("key")).strip("'\"") == "path":
                return _paths([pair.child_by_field_name("value")])
        return [""]
    value = string_value(first)
    return [value] if value is not None else [""]


def _type_name(param: Node) -> str:
    annotation = param.child_by_field_name("type")
    return re.sub(r"^:\s*", "", text(annotation)).strip() if annotation is not None else ""


def _api_body_type(args: list[Node]) -> str:
    """The DTO `@ApiBody({ type: CreateUserDto })` documents the body as."""
    for pair in args[0].named_children if args and args[0].type == "object" else []:
        if pair.type == "pair" and text(pair.child_by_field_name("key")) == "type":
            return text(pair.child_by_field_name("value"))
    return ""


def _inputs(method: Node, app: NestApp, injected: dict[str, str], documented: str = "") -> list[Param]:
    """A method's inputs; `documented` is the DTO its `@ApiBody` names, for a `@Body() body: any`;
    `injected` the controller's members and their classes."""
    dtos = app.dtos
    params: list[Param] = []
    formal = method.child_by_field_name("parameters")
    # Parameter names the method body reads as the request or a part of it: `@Req() request`
    # is `req`, a `@Body() body: any` is `req.body` (its `body.name` is a JSON input).
    aliases: list[tuple[str, str]] = []
    named: list[tuple[str, str]] = []  # (local, key) of `@Query('force') force`: what the body compares
    for p in formal.named_children if formal is not None else []:
        ident = p.child_by_field_name("pattern")
        local = text(ident) if ident is not None and ident.type == "identifier" else ""
        for deco in (c for c in p.children if c.type == "decorator"):
            name, args = _decorator(deco)
            where = _WHERE.get(name)
            key = string_value(args[0]) if args else None
            if name in ("Req", "Request") and local:
                aliases.append((local, "req"))
            elif where is not None and key:
                add_param(params, key, where)
                if local:
                    named.append((local, key))
            elif where in ("json", "query"):
                dto = _type_name(p).removesuffix("[]")
                dto = dto if dto in dtos or where != "json" else documented
                for key in dtos.get(dto, []):
                    add_param(params, key, where, app.shape(dto, key) if where == "json" else "")
                if not dtos.get(dto) and local:
                    aliases.append((local, "req.body" if where == "json" else "req.query"))
    body = method.child_by_field_name("body")
    if named and body is not None:  # `if (force !== 'true')`: the input takes the literal it is compared with
        code = text(body)
        for local, key in named:
            code = re.sub(r"(?<![\w$.])" + re.escape(local) + r"(?![\w$])", key, code)
        compared_values(code, params)
    if aliases and body is not None:
        code = text(body)
        for local, meant in aliases:
            code = re.sub(r"(?<![\w$.])" + re.escape(local) + r"\b", meant, code)
        code += "\n" + handed_on(code, injected, app.services)
        for p in body_inputs(code, "javascript", ("json",)):
            add_input(params, p)
    return params


def nest_routes(rel: str, source: str, language: str, app: NestApp | None = None) -> list[Route]:
    """The routes of the controllers a file declares."""
    app = app or NestApp()
    prefix = app.prefix
    if "@Controller" not in source:
        return []
    root = parse(language, source).root_node
    routes: list[Route] = []
    for cls in _classes(root):
        decorators = [c for c in (cls.parent.children if cls.parent is not None and cls.parent.type == "export_statement"
                                  else []) + list(cls.children) if c.type == "decorator"]
        controller = next((dec for dec in map(_decorator, decorators) if dec[0] == "Controller"), None)
        if controller is None:
            continue
        bases = _paths(controller[1])
        constructor = re.search(r"\bconstructor\s*\(", text(cls))
        injected = {name: kind for name, kind in _INJECTED.findall(balanced(text(cls), constructor.end() - 1))} \
            if constructor else {}
        class_guards = [text(a) for dec in map(_decorator, decorators) if dec[0] == "UseGuards" for a in dec[1]]
        class_guarded = any(dec[0] == "UseGuards" for dec in map(_decorator, decorators))
        body = cls.child_by_field_name("body")
        pending: list[tuple[str, list[Node]]] = []
        for member in body.children if body is not None else []:
            if member.type == "decorator":
                pending.append(_decorator(member))
                continue
            if member.type != "method_definition":
                continue
            verbs = [(v, args) for v, args in pending if v in _VERBS]
            documented = next((_api_body_type(args) for v, args in pending if v == "ApiBody"), "")
            guarded = class_guarded or any(v == "UseGuards" for v, _ in pending)
            guards = class_guards + [text(a) for v, args in pending if v == "UseGuards" for a in args]
            uploads = [name for v, args in pending if v == "UseInterceptors"
                       for name in _FILE_INTERCEPTOR.findall(" ".join(map(text, args)))]
            pending = []
            if not verbs:
                continue
            inputs = _inputs(member, app, injected, documented)
            for name in uploads:  # `@UseInterceptors(FileInterceptor('file'))`: a multipart file input
                add_param(inputs, name, "file")
            if guarded:  # a guard (`@UseGuards(JwtAuthGuard)`) reads the bearer token
                add_param(inputs, "Authorization", "header")
            for p in guard_inputs(guards, app.services):  # and what its own canActivate reads
                add_input(inputs, p)
            for verb, args in verbs:
                for base in bases:
                    for sub in _paths(args):
                        full, names = template(join_path(join_path(prefix, base) if prefix else base, sub)
                                               if base or sub else join_path(prefix, "/"))
                        params = [Param(n, "path") for n in names] + [p for p in inputs if p.location != "path"]
                        routes.append(Route(_VERBS[verb], full, params, "code", rel, member.start_point[0] + 1,
                                            "nestjs", language))
    return routes


def _classes(root: Node) -> list[Node]:
    out: list[Node] = []
    stack = [root]
    while stack:
        n = stack.pop()
        if n.type == "class_declaration":
            out.append(n)
        stack.extend(reversed(n.children))
    return out
