"""One username policy, enforced by the sign-up form and by the database."""

from http import HTTPStatus

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

import pytest

from profiles import usernames
from profiles.models import User
from tests.factories import UserFactory


@pytest.mark.parametrize(
    "name", ["abc", "nusrat.j", "tanvir_ff", "shakil-ace", "x" * 30, "Rakib99"]
)
def test_policy_accepts(name):
    usernames.validate_username_shape(name)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("ab", "length"),
        ("x" * 31, "length"),
        ("ｒａｋｉｂ", "charset"),
        ("rаkib", "charset"),  # Cyrillic а
        ("রাকিব", "charset"),
        ("_rakib", "shape"),
        ("rakib.", "shape"),
        ("ra..kib", "shape"),
        ("ra._kib", "shape"),
        ("ra kib", "shape"),
        ("ra/kib", "shape"),
        ("Admin", "reserved"),
        ("settings", "reserved"),
    ],
)
def test_policy_refuses_with_a_reason(name, code):
    with pytest.raises(ValidationError) as caught:
        usernames.validate_username_shape(name)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Rakib", "rakib"),
        ("rakib", "rak1b"),
        ("arif78", "ARlF78"),
        ("ali", "all"),
        ("shakil", "shaki1"),
        ("Iron", "lron"),
        ("mim", "rnim"),
        ("sakib0", "sakibO"),
        ("vvolf", "wolf"),
    ],
)
def test_look_alike_names_share_a_skeleton(first, second):
    assert usernames.skeleton(first) == usernames.skeleton(second)


@pytest.mark.parametrize(
    ("first", "second"), [("nusrat.j", "nusrat_j"), ("sakib", "shakib")]
)
def test_different_names_keep_different_skeletons(first, second):
    assert usernames.skeleton(first) != usernames.skeleton(second)


@pytest.mark.django_db
@pytest.mark.parametrize("other", ["RAKIB", "rakib", "RaKiB"])
def test_database_refuses_a_case_variant(other):
    UserFactory(username="Rakib")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username=other, email=f"{other}@example.org")


@pytest.mark.django_db
def test_database_refuses_a_look_alike():
    UserFactory(username="shakil")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="shaki1", email="fake@example.org")


def signup(client, username):
    return client.post(
        "/accounts/signup/",
        {
            "email": f"new{abs(hash(username))}@example.com",
            "username": username,
            "password1": "a-long-crown-pass",
            "password2": "a-long-crown-pass",
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize("attempt", ["RAKIB", "rakib", "ｒａｋｉｂ", "ra..kib"])
def test_sign_up_refuses_names_that_collide_or_break_the_policy(attempt):
    UserFactory(username="Rakib")

    response = signup(Client(), attempt)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["username"]
    assert User.objects.filter(username=attempt).count() == 0


@pytest.mark.django_db
def test_sign_up_refuses_a_look_alike_with_a_clear_message():
    UserFactory(username="shakil")

    response = signup(Client(), "shaki1")

    assert response.context["form"].errors["username"] == [
        "This username isn't available. Choose another."
    ]


@pytest.mark.django_db
def test_separators_reach_exactly_that_player():
    dotted = UserFactory(username="nusrat.j")
    underscored = UserFactory(username="nusrat_j")
    hyphened = UserFactory(username="nusrat-j")
    client = Client()

    for user in (dotted, underscored, hyphened):
        response = client.get(f"/@{user.username}/")
        assert response.status_code == HTTPStatus.OK
        assert response.context["page"].header.public_id == user.profile.public_id


@pytest.mark.django_db
def test_admin_user_form_refuses_a_look_alike_instead_of_failing():
    from wagtail.users.forms import UserCreationForm

    UserFactory(username="rakib")
    form = UserCreationForm(
        data={
            "username": "rak1b",
            "email": "imposter@example.com",
            "first_name": "R",
            "last_name": "H",
            "password1": "a-long-crown-pass",
            "password2": "a-long-crown-pass",
        }
    )

    assert not form.is_valid()
    assert "looks too much like" in str(form.errors["username"])
    assert not User.objects.filter(username="rak1b").exists()
