import re

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

register = template.Library()

MENTION = re.compile(r"@([A-Za-z0-9_]{3,30})")


def _link_mentions(text: str) -> str:
    def replace(match: re.Match) -> str:
        username = match.group(1)
        url = reverse("profiles:detail", kwargs={"username": username})
        return f'<a class="mention" href="{url}">@{username}</a>'

    return MENTION.sub(replace, text)


@register.filter(name="render_comment")
def render_comment(body: str) -> str:
    """Turn a plain-text comment into HTML: paragraphs, line breaks and @mention links."""
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    html = "".join(f"<p>{_link_mentions(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return mark_safe(html)


@register.simple_tag
def comment_count_badge(count: int) -> str:
    return mark_safe(f'<span class="badge">{int(count)}</span>')
