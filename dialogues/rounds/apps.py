from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "dialogues.rounds"
    verbose_name = _("Dialogue rounds")
