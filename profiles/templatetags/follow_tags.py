"""Template tags for what only the viewer themselves may know about follows."""

from django import template

from profiles import follow_lists

register = template.Library()


@register.simple_tag
def follow_request_count(user) -> int:
    """Pending follow requests for the signed-in player; call it only for the owner."""
    return follow_lists.pending_request_count(user)


@register.simple_tag
def viewer_blocks(user, username: str) -> bool:
    """True when the signed-in player has blocked this username."""
    return follow_lists.viewer_blocks(user, username)
