from django.dispatch import receiver

from profiles import wallet_numbers

from . import services


@receiver(wallet_numbers.numbers_changed)
def hold_back_and_announce(sender, profile, changes, **kwargs):
    """A changed wallet number waits a day before a payout, and the player hears."""
    services.record_number_changes(profile, changes)
