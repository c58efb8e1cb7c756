from django import forms

from gaceta.members.forms import SignupForm as MemberSignupForm

from .models import Audience, Newsletter


def open_newsletters():
    """Newsletters anyone may join from the form on every page."""
    return Newsletter.objects.filter(is_active=True, audience=Audience.EVERYONE)


class NewsletterChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, newsletter):
        return f"{newsletter.name}: {newsletter.description}" if newsletter.description else newsletter.name


class NewsletterSignupForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=254)
    newsletters = NewsletterChoiceField(queryset=Newsletter.objects.none(), label="Newsletters")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].queryset = open_newsletters()


class MemberNewslettersForm(forms.Form):
    newsletters = NewsletterChoiceField(queryset=Newsletter.objects.none(), required=False, label="Send me")

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].queryset = choices


class SignupForm(MemberSignupForm):
    """The account sign-up form, where a new member may choose newsletters too. They start once
    the address is verified (allauth's code), which is the opt-in's confirmation."""

    newsletters = NewsletterChoiceField(queryset=Newsletter.objects.none(), required=False, label="Newsletters")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].queryset = open_newsletters()

    def save(self, request):
        from . import services

        member = super().save(request)
        if member is not None:
            for newsletter in self.cleaned_data.get("newsletters", []):
                services.subscribe(newsletter=newsletter, email=member.email, member=member, confirm_by_email=False)
        return member
