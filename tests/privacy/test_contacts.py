"""A contact is found however it was typed, and nothing else is."""

import pytest
from django.core.exceptions import ValidationError

from privacy.contacts import Contact


@pytest.mark.parametrize(
    "text",
    ["soita 040-1234567 kiitos", "puh0401234567", "+358 40 123 4567", "00358 40 1234567"],
)
def test_a_phone_is_found_however_it_was_typed(text):
    assert Contact.parse("040 123 4567").found_in(text)


@pytest.mark.parametrize("text", ["040 123 4568", "2026-12-01", "", "1234567"])
def test_another_number_is_not_the_phone(text):
    assert not Contact.parse("+358401234567").found_in(text)


def test_an_address_is_found_in_any_case_but_not_inside_another():
    contact = Contact.parse("Kaisa@Example.com")
    assert contact.found_in("Vastatkaa: kaisa@example.com.")
    assert not contact.found_in("xkaisa@example.com")


@pytest.mark.parametrize("text", ["abc", "123", "x@", "  ", "kaisa@"])
def test_anything_else_is_refused_with_a_message(text):
    with pytest.raises(ValidationError) as error:
        Contact.parse(text)
    assert error.value.messages
