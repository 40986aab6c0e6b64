from django.db import models
from rest_framework.decorators import api_view
from rest_framework.response import Response


class ArticleManager(models.Manager):
    def search(self, term: str, author: str):
        return self.raw(
            f"SELECT * FROM blog_article WHERE title ILIKE '%%{term}%%' AND author_id = {author} "
            "AND published = true ORDER BY created_at DESC"
        )


class Article(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField()
    author = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticleManager()


@api_view(["GET"])
def article_search(request):
    articles = Article.objects.search(request.query_params.get("q", ""), request.query_params.get("author", "0"))
    return Response([{"id": a.id, "title": a.title} for a in articles])
