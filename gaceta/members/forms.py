from django import forms

from .models import Member


class NameForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["first_name", "last_name"]
        labels = {"first_name": "First name", "last_name": "Last name"}


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label="Type DELETE to confirm",
        help_text="This cannot be undone. Any subscription is cancelled at once.",
    )

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != "DELETE":
            raise forms.ValidationError("Type DELETE, in capitals, to delete your account.")
        return self.cleaned_data["confirm"]
