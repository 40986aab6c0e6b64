import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

MENTION = re.compile(r"@([A-Za-z0-9_]{3,30})")


def _link_mentions(text: str) -> SafeString:
    """Escape the text, then add links; usernames match [A-Za-z0-9_] so they need no escaping."""
    escaped = str(conditional_escape(text))

    def replace(match: re.Match) -> str:
        username = match.group(1)
        url = reverse("profiles:detail", kwargs={"username": username})
        return str(format_html('<a class="mention" href="{}">@{}</a>', url, username))

    return mark_safe(MENTION.sub(replace, escaped).replace("\n", "<br>"))


@register.filter(name="render_comment")
def render_comment(body: str) -> SafeString:
    """Turn a plain-text comment into HTML: paragraphs, line breaks and @mention links."""
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    return format_html_join("", "<p>{}</p>", ((_link_mentions(p),) for p in paragraphs))


@register.simple_tag
def comment_count_badge(count: int) -> SafeString:
    return format_html('<span class="badge">{}</span>', int(count))
