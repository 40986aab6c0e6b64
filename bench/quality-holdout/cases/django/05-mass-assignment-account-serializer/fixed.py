from django.contrib.auth import get_user_model
from rest_framework import generics, permissions, serializers

User = get_user_model()


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "date_joined"]
        read_only_fields = ["id", "username", "date_joined"]


class MeView(generics.RetrieveUpdateAPIView):
    """GET/PATCH /api/me/ - the signed-in user's own account (password changes have their own flow)."""

    serializer_class = AccountSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user
