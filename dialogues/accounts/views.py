from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from dialogues.accounts.forms import EmailLoginForm, InvitingPasswordResetForm, ProfileForm
from dialogues.common.ratelimit import (
    FAILED_LOGINS_FROM_ADDRESS,
    FAILED_SSO_RETURNS,
    PASSWORD_RESETS_FOR_EMAIL,
    PASSWORD_RESETS_FROM_ADDRESS,
    RateLimit,
    client_address,
)


def too_many(request, limit: RateLimit, reason: str):
    """HTTP 429 with Retry-After and a page that says what to do, in the person's language."""
    context = {"reason": reason, "minutes": limit.retry_after_minutes()}
    response = render(request, "accounts/too_many.html", context, status=429)
    response["Retry-After"] = str(limit.retry_after())
    return response


class LoginView(auth_views.LoginView):
    """Log-in; django-axes pauses one email from one address after 5 wrong passwords.

    On top of that, one address may send only so many wrong passwords for any emails (one
    password tried against many people), counted here.
    """

    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if FAILED_LOGINS_FROM_ADDRESS.exhausted(client_address(request)):
            return too_many(request, FAILED_LOGINS_FROM_ADDRESS, "login")
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        FAILED_LOGINS_FROM_ADDRESS.attempt(client_address(self.request))
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """The reset link by mail, limited per address and per email.

    The answer never tells whether the email belongs to anyone: every email is counted, and
    over the per-email limit the same "check your email" page follows, without a mail (the
    mails already sent hold working links). Over the per-address limit the page says to wait.
    """

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = InvitingPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if PASSWORD_RESETS_FROM_ADDRESS.exhausted(client_address(request)):
            return too_many(request, PASSWORD_RESETS_FROM_ADDRESS, "password_reset")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        PASSWORD_RESETS_FROM_ADDRESS.attempt(client_address(self.request))
        email = form.cleaned_data["email"].strip().lower()
        if not PASSWORD_RESETS_FOR_EMAIL.attempt(email):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences were saved."))
        response = redirect("accounts:profile")
        _remember_language(response, request.user.preferred_language)
        return response
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
def set_language(request):
    """The footer's language switch: remembered in a cookie and, when signed in, on the profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response


def _remember_language(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class SingleSignOnCallbackView(OIDCAuthenticationCallbackView):
    """The identity provider's return; failed returns from one address are limited.

    A return fails when its state is unknown to the session (forged or replayed) or the
    provider refuses the code: each such failure counts (RATE_LIMITS "sso-callback-address").
    """

    def get(self, request):
        address = client_address(request)
        if FAILED_SSO_RETURNS.exhausted(address):
            return too_many(request, FAILED_SSO_RETURNS, "sso")
        try:
            return super().get(request)
        except SuspiciousOperation:
            FAILED_SSO_RETURNS.attempt(address)
            raise

    def login_failure(self):
        FAILED_SSO_RETURNS.attempt(client_address(self.request))
        return super().login_failure()


def locked_out(request, original_response=None, credentials=None):
    """django-axes' pause (AXES_LOCKOUT_CALLABLE): its page, with Retry-After as for every limit.

    The pause lasts AXES_COOLOFF_TIME from the last wrong password, which is this one.
    """
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"minutes": max(1, seconds // 60)}
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
