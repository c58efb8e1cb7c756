from allauth.account.forms import LoginForm as AllauthLoginForm
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
        self.fields["email"].label = "Email address"


KEEP_SIGNED_IN = "gaceta:keep-signed-in"


class LoginForm(AllauthLoginForm):
    """One email field for both ways in: without a password, a one-time code is emailed (allauth's
    own path for an empty password); with one, it signs in. "Keep me signed in" holds for both."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
        self.fields["password"].required = False
        self.fields["remember"].label = "Keep me signed in"

    def _login_by_code(self, request, redirect_url, credentials):
        request.session[KEEP_SIGNED_IN] = bool(self.cleaned_data.get("remember"))
        return super()._login_by_code(request, redirect_url, credentials)
