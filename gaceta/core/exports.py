"""Staff spreadsheet exports that are safe to open.

A cell whose text starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) is
read as a formula by Excel, LibreOffice and Google Sheets; a reader who names themselves
`=HYPERLINK(...)` could otherwise run it on a staff member's machine. Such text is written with
a leading apostrophe, which spreadsheets show as plain text (OWASP's "CSV injection" advice).
Wagtail already does the equivalent for its XLSX export.
"""

from wagtail.admin.views.generic import IndexView

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeExportIndexView(IndexView):
    """An admin list whose CSV export never carries a formula."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return neutralise_formula(value) if export_format == self.FORMAT_CSV else value
