"""Two Wagtail 8.0.1 views answer a post with a field missing by raising (a 500 and a traceback
in the log) instead of treating it as the client's error. Each fix is the smallest change that
makes the form report the missing field, so the view's own error path answers; remove a fix
when the Wagtail version it names is left behind."""

from wagtail.admin.forms.choosers import URLOrAbsolutePathValidator
from wagtail.contrib.redirects.forms import ConfirmImportManagementForm

_is_absolute_path = URLOrAbsolutePathValidator.is_absolute_path
_confirm_import_clean = ConfirmImportManagementForm.clean


def _is_absolute_path_of_missing_url(value):
    """admin/choose-external-link/: a post without the URL field reached `None.startswith`;
    now the field is simply empty and the form says it is required."""
    return isinstance(value, str) and _is_absolute_path(value)


def _clean_without_missing_fields(self):
    """admin/redirects/import/process/: a post without the signed file name raised KeyError;
    now the form is invalid and the view answers 400 (SuspiciousOperation), as for a bad
    signature."""
    missing = {"import_file_name", "input_format"} - set(self.cleaned_data)
    if missing:
        return self.cleaned_data
    return _confirm_import_clean(self)


def apply():
    URLOrAbsolutePathValidator.is_absolute_path = staticmethod(_is_absolute_path_of_missing_url)
    ConfirmImportManagementForm.clean = _clean_without_missing_fields
