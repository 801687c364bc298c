"""Log in with an email address or a mobile number."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


def normalize_login(login: str) -> str:
    login = (login or "").strip()
    return login.lower() if "@" in login else login.replace(" ", "").replace("-", "")


class EmailOrMobileBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        login = normalize_login(
            username or kwargs.get("email") or kwargs.get("mobile") or ""
        )
        if not login or not password:
            return None
        user = User.objects.filter(Q(email__iexact=login) | Q(mobile=login)).first()
        if user is None:
            User().set_password(password)  # same work either way: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
