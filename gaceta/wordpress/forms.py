from django import forms
from django.core.validators import validate_unicode_slug

from .importer import parse_section_map

WXR_MARK = b"wordpress.org/export/"
"""The namespace every WXR file declares near its start."""


class WordPressImportForm(forms.Form):
    export = forms.FileField(
        label="WordPress export",
        help_text="The .xml file from WordPress: Tools → Export → All content. Photos do not come "
        "with it: they are listed as missing. To bring them in, or for an export over 20 MB, ask "
        "whoever runs the server to import it with the command (the README says how).",
    )
    section_map = forms.CharField(
        label="Sections for categories", required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Noticias=news"}),
        help_text="One per line: a WordPress category (name or slug) = a section's slug. A section "
        "that does not exist is created.",
    )
    default_section = forms.SlugField(
        initial="news", help_text="The section (slug) of posts in no category above.",
    )

    def clean_export(self):
        export = self.cleaned_data["export"]
        start = export.read(8192)
        export.seek(0)
        if WXR_MARK not in start:
            raise forms.ValidationError(
                f"{export.name} is not a WordPress export: export from WordPress with Tools → Export → All content.")
        return export

    def clean_section_map(self):
        lines = [line for line in self.cleaned_data["section_map"].splitlines() if line.strip()]
        try:
            mapping = parse_section_map(lines)
        except ValueError as error:
            raise forms.ValidationError(f"{error}: write one CATEGORY=SECTION a line.") from None
        for category, section in mapping.items():
            try:
                validate_unicode_slug(section)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"“{section}” (for {category}) is not a section's slug: letters, digits and hyphens, "
                    "no spaces, e.g. “ultimas-noticias”.") from None
        return mapping
