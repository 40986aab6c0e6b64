import ipaddress
import socket
from urllib.parse import urlsplit

import feedparser
import requests
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Feed


def resolves_to_public_ip(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(a).is_global for a in addresses)


class FeedPreviewView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request):
        feed_url = str(request.data.get("url", ""))
        if not resolves_to_public_ip(feed_url):
            return Response({"detail": "URL not allowed"}, status=status.HTTP_400_BAD_REQUEST)
        resp = requests.get(feed_url, timeout=8, allow_redirects=False)
        if resp.status_code != 200:
            return Response({"detail": "could not fetch feed"}, status=status.HTTP_400_BAD_REQUEST)
        parsed = feedparser.parse(resp.content)
        Feed.objects.get_or_create(owner=request.user, url=feed_url, defaults={"title": parsed.feed.get("title", "")})
        return Response({"title": parsed.feed.get("title"), "entries": [e.title for e in parsed.entries[:10]]})
