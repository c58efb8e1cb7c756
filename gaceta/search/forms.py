"""The reader's search form: words, a section, a date range and an order."""

from datetime import datetime, time

from django import forms
from django.utils import timezone

from gaceta.articles.models import sections_by_path

SEARCH_QUERY_MAX = 200
SEARCH_ORDERS = [("relevance", "Most relevant"), ("newest", "Newest first")]


class SearchForm(forms.Form):
    """What the search page was asked; a bad date is an error shown beside its field."""

    q = forms.CharField(label="Words to look for", max_length=SEARCH_QUERY_MAX, required=False)
    section = forms.ChoiceField(label="Section", required=False)
    published_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    published_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    order = forms.ChoiceField(label="Order", choices=SEARCH_ORDERS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {card.slug: (path, card) for path, card in sections_by_path().items()}
        self.fields["section"].choices = [("", "All sections")] + sorted(
            ((slug, card.title) for slug, (_, card) in self.sections.items()), key=lambda choice: choice[1]
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("published_from"), data.get("published_to")
        if start and end and start > end:
            self.add_error("published_to", "The end date comes before the start date.")
        return data

    def day_start(self, day):
        """Midnight of `day` in the newsroom's time zone."""
        return timezone.make_aware(datetime.combine(day, time.min)) if day else None
