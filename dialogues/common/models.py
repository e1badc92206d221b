from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dialogues.common.translated import Translated


class AccessibilityStatement(models.Model):
    """The accessibility statement (tilgængelighedserklæring) linked from every page.

    There is one; HR edits its text in both languages.
    """

    body_da = models.TextField(_("statement in Danish"))
    body_en = models.TextField(_("statement in English"))
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    body = Translated()

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")

    def __str__(self) -> str:
        return str(_("Accessibility statement"))

    @classmethod
    def current(cls) -> "AccessibilityStatement":
        statement = cls.objects.order_by("pk").first()
        if statement is None:
            from dialogues.common.defaults import DEFAULT_ACCESSIBILITY_STATEMENT

            statement = cls.objects.create(**DEFAULT_ACCESSIBILITY_STATEMENT)
        return statement
