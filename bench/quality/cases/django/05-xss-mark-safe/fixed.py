from django import template
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html

from .models import Comment, Post

register = template.Library()


@register.simple_tag
def render_comment(comment):
    return format_html('<div class="comment"><b>{}</b>: {}</div>', comment.author_name, comment.text)


def post_detail(request, slug):
    post = get_object_or_404(Post, slug=slug, published=True)
    highlight = request.GET.get("highlight", "")
    intro = format_html("<p class='hl'>Showing results for {}</p>", highlight) if highlight else ""
    comments = Comment.objects.filter(post=post).order_by("created_at")
    return render(request, "blog/post_detail.html", {"post": post, "comments": comments, "intro": intro})
