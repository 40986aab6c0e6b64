from django import forms
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction
from django.shortcuts import redirect, render
from django.views.generic import FormView


class Member(models.Model):
    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=80)
    password_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)


class SignupForm(forms.Form):
    email = forms.EmailField()
    display_name = forms.CharField(max_length=80)
    password = forms.CharField(widget=forms.PasswordInput, min_length=12)

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class MemberService:
    @staticmethod
    def hash_password(raw: str) -> str:
        return make_password(raw)

    @classmethod
    @transaction.atomic
    def register(cls, email: str, display_name: str, password: str) -> Member:
        return Member.objects.create(
            email=email.lower(),
            display_name=display_name,
            password_hash=cls.hash_password(password),
        )


class SignupView(FormView):
    template_name = "members/signup.html"
    form_class = SignupForm

    def form_valid(self, form):
        if Member.objects.filter(email__iexact=form.cleaned_data["email"]).exists():
            form.add_error("email", "An account with this email already exists.")
            return render(self.request, self.template_name, {"form": form})
        MemberService.register(**form.cleaned_data)
        return redirect("members:welcome")
