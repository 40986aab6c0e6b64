import feedparser
import requests
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Feed


class FeedPreviewView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request):
        feed_url = request.data.get("url")
        resp = requests.get(feed_url, timeout=8)
        if resp.status_code != 200:
            return Response({"detail": "could not fetch feed"}, status=status.HTTP_400_BAD_REQUEST)
        parsed = feedparser.parse(resp.content)
        Feed.objects.get_or_create(owner=request.user, url=feed_url, defaults={"title": parsed.feed.get("title", "")})
        return Response({"title": parsed.feed.get("title"), "entries": [e.title for e in parsed.entries[:10]]})
