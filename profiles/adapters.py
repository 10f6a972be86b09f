"""How allauth creates accounts here: the username policy, including look-alikes."""

from django import forms

from allauth.account.adapter import DefaultAccountAdapter

from . import usernames
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        username = super().clean_username(username, shallow=shallow)
        if (
            not shallow
            and User.objects.filter(
                username_skeleton=usernames.skeleton(username)
            ).exists()
        ):
            raise forms.ValidationError(
                "That username looks too much like another player's. Choose another."
            )
        return username
