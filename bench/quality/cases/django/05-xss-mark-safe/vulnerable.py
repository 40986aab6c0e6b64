from django import template
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from .models import Comment, Post

register = template.Library()


@register.simple_tag
def render_comment(comment):
    return mark_safe(f'<div class="comment"><b>{comment.author_name}</b>: {comment.text}</div>')


def post_detail(request, slug):
    post = get_object_or_404(Post, slug=slug, published=True)
    highlight = request.GET.get("highlight", "")
    intro = mark_safe(f"<p class='hl'>Showing results for {highlight}</p>") if highlight else ""
    comments = Comment.objects.filter(post=post).order_by("created_at")
    return render(request, "blog/post_detail.html", {"post": post, "comments": comments, "intro": intro})
