from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from .models import Member, clean_display_name


class AccountForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["display_name", "first_name", "last_name", "notify_replies"]
        labels = {"first_name": "First name", "last_name": "Last name"}
        help_texts = {"first_name": "Private: never shown with your comments."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].widget.attrs["placeholder"] = self.instance.pseudonym

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label="Type DELETE to confirm",
        help_text="This cannot be undone. Any subscription is cancelled at once.",
    )

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != "DELETE":
            raise forms.ValidationError("Type DELETE, in capitals, to delete your account.")
        return self.cleaned_data["confirm"]


class SignupForm(AllauthSignupForm):
    """Sign-up asks for an email address; a password is optional."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password1" in self.fields:
            self.fields["password1"].label = "Password (optional)"
            self.fields["password1"].help_text = (
                "Leave it empty to sign in with a code we email you. If you choose one, make it at "
                "least 8 characters and not a common password."
            )
