from django.conf import settings
from django.db import models
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response


class Document(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    archived = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "title", "body", "archived", "updated_at"]
        read_only_fields = ["id", "updated_at"]


class DocumentViewSet(viewsets.ModelViewSet):
    """Private notes: /api/documents/ and /api/documents/<pk>/."""

    queryset = Document.objects.all().order_by("-updated_at")
    serializer_class = DocumentSerializer
    permission_classes = [permissions.IsAuthenticated]

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        document = self.get_object()
        document.archived = True
        document.save(update_fields=["archived", "updated_at"])
        return Response(self.get_serializer(document).data)
