from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from dialogues.organisation.importing.reading import TEXT_EXTENSIONS, WORKBOOK_EXTENSIONS


class ImportForm(forms.Form):
    """The upload of an HR file; the file's content is checked by the import itself."""

    file = forms.FileField(
        label=_("HR file (CSV or Excel workbook)"),
        help_text=_(
            "A .csv file (comma, semicolon or tab separated; UTF-8, UTF-16 or Windows-1252) or "
            "an .xlsx workbook with one row per person. The columns are described below."
        ),
        error_messages={
            "required": _("Choose the file to import."),
            "empty": _("The file is empty."),
            "invalid": _("No file was received. Choose the file again."),
        },
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = PurePath(upload.name).suffix.lower()
        if extension not in TEXT_EXTENSIONS | WORKBOOK_EXTENSIONS:
            raise ValidationError(
                _("Choose a CSV file (.csv) or an Excel workbook (.xlsx)."), code="file_type"
            )
        limit = settings.ORGANISATION_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; files of at most %(limit)s can be imported."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload
