"""A small element tree with line numbers, built through defusedxml's guarded parser.

pom.xml and .csproj files come from the project being scanned, so they are untrusted:
defusedxml refuses DTDs with entities and external references (no XXE, no billion laughs
in a security tool). ElementTree forgets line numbers; `auditor deps` findings must point
at the declaring line, hence this tree built
by a parser target that asks expat for the current line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from auditor.stack.ecosystems.base import ManifestError


@dataclass
class Element:
    tag: str  # local name, namespace prefix dropped
    line: int
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element] = field(default_factory=list)
    text: str = ""

    def child(self, tag: str) -> Element | None:
        for c in self.children:
            if c.tag == tag:
                return c
        return None

    def all(self, tag: str) -> list[Element]:
        return [c for c in self.children if c.tag == tag]

    def text_of(self, tag: str) -> str | None:
        c = self.child(tag)
        return c.text.strip() if c is not None else None

    def path(self, *tags: str) -> Element | None:
        node: Element | None = self
        for tag in tags:
            node = node.child(tag) if node is not None else None
        return node

    def iter(self, tag: str) -> Iterator[Element]:
        for c in self.children:
            if c.tag == tag:
                yield c
            yield from c.iter(tag)


class _LineTarget:
    """ElementTree parser target that records each element's start line, read from the
    underlying expat parser while its start callback runs."""

    def __init__(self) -> None:
        self.expat: Any = None
        self.root: Element | None = None
        self._stack: list[Element] = []
        self._text: list[list[str]] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        line = self.expat.CurrentLineNumber if self.expat is not None else 0
        el = Element(tag=_local(tag), line=line, attrs={_local(k): v for k, v in attrs.items()})
        if self._stack:
            self._stack[-1].children.append(el)
        else:
            self.root = el
        self._stack.append(el)
        self._text.append([])

    def end(self, tag: str) -> None:
        el = self._stack.pop()
        el.text = "".join(self._text.pop())

    def data(self, text: str) -> None:
        if self._text:
            self._text[-1].append(text)

    def close(self) -> Element | None:
        return self.root


def _local(name: str) -> str:
    """`{http://maven.apache.org/POM/4.0.0}artifactId` -> `artifactId`."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def parse_xml(text: str) -> Element:
    """The document's root element, or ManifestError naming the line of the problem."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    target = _LineTarget()
    parser = DefusedXMLParser(target=target)
    target.expat = getattr(parser, "parser", None)  # the pyexpat parser defusedxml guards
    try:
        parser.feed(text)
        parser.close()
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 0
        raise ManifestError(f"invalid XML: {str(exc).split(':')[0]} (line {line})") from None
    except DefusedXmlException as exc:
        raise ManifestError(f"refused XML: {type(exc).__name__} (entities and external references are not allowed)") from None
    if target.root is None:
        raise ManifestError("invalid XML: no root element")
    return target.root
