from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dialogues.organisation.models import Person


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        "invalid_login": _(
            "The email or the password is not right. Both are needed exactly as registered."
        ),
        "inactive": _("This account is no longer active. Contact HR if you think it should be."),
    }


class InvitingPasswordResetForm(PasswordResetForm):
    """Password reset that also lets imported people set their first password.

    People imported from HR start without a password; Django's own form skips them.
    Each mail is written in the recipient's preferred language.
    """

    def get_users(self, email):
        return Person.objects.filter(email__iexact=email.strip(), is_active=True)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        language = getattr(context.get("user"), "preferred_language", settings.LANGUAGE_CODE)
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["preferred_language"]
        help_texts = {
            "preferred_language": _("The language of the site and of the emails you receive."),
        }
