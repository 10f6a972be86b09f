import re
from decimal import Decimal

from django import forms

from .models import PayoutClaim

REFERENCE = re.compile(r"^[A-Za-z0-9-]{4,40}$")


class ClaimForm(forms.Form):
    """An amount in taka, where to send it, and the token that makes it one claim."""

    amount = forms.DecimalField(
        label="Amount (taka)",
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        error_messages={
            "max_decimal_places": "Enter taka with at most two decimals, "
            "such as 150.50.",
        },
    )
    method = forms.ChoiceField(label="Pay to", widget=forms.RadioSelect)
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, methods: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = methods


class MarkPaidForm(forms.Form):
    reference = forms.CharField(
        label="Provider transaction ID",
        max_length=40,
        help_text="As on the bKash, Nagad or Rocket receipt, such as 9J7K2L8M4N.",
    )

    def clean_reference(self):
        value = self.cleaned_data["reference"].strip()
        if not REFERENCE.match(value):
            raise forms.ValidationError(
                "Enter the transaction ID as the receipt shows it: 4 to 40 "
                "letters, digits or dashes."
            )
        return value


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=PayoutClaim._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The player sees this beside the claim.",
    )

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError("Say why the claim is rejected.")
        return value
