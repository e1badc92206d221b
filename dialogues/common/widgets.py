"""Form widgets shared by the apps."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A select of hundreds of options (a university's units), drawn in one pass.

    Django's ``Select`` renders a template per option, which took a third of a second for
    700 units on every results page. The options here are plain, without groups or attributes
    of their own, which is all a long list of units needs.
    """

    template_name = "common/widgets/long_select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = (
            option
            for _group, group_options, _index in context["widget"]["optgroups"]
            for option in group_options
        )
        context["widget"]["options_html"] = format_html_join(
            "\n",
            "{}",
            (
                (
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        option["value"],
                        mark_safe(" selected") if option["selected"] else "",
                        option["label"],
                    ),
                )
                for option in options
            ),
        )
        return context
