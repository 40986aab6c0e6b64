import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework import authentication, exceptions


class JWTAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode()
        if not header.startswith(self.keyword + " "):
            return None
        token = header[len(self.keyword) + 1 :]
        try:
            claims = jwt.decode(
                token, settings.JWT_SIGNING_KEY, algorithms=["HS256"], options={"require": ["exp", "user_id"]}
            )
        except jwt.PyJWTError:
            raise exceptions.AuthenticationFailed("Invalid token")
        User = get_user_model()
        try:
            user = User.objects.get(pk=claims["user_id"], is_active=True)
        except (KeyError, User.DoesNotExist):
            raise exceptions.AuthenticationFailed("User not found")
        return (user, claims)
