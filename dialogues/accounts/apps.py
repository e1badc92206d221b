from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dialogues.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from dialogues.accounts.middleware import remember_log_in

        user_logged_in.connect(remember_log_in, dispatch_uid="dialogues.accounts.remember_log_in")
