"""Reading the uploaded purchase list: Finnish Excel's semicolons and Windows-1252, commas and
UTF-8, Finnish/Swedish/English headers; every bad row named by its row number."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sampling.customer_list import read_customer_list

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


def read(text, org, encoding="utf-8"):
    people = [org.seller_a, org.seller_b, org.colleague_a]
    return read_customer_list(text.encode(encoding), salespeople=people, today=TODAY)


def errors_of(text, org, **kwargs):
    with pytest.raises(ValidationError) as caught:
        read(text, org, **kwargs)
    return caught.value.messages


def test_finnish_excel_semicolons_in_windows_1252(org):
    text = (
        "Sähköposti;Puhelin;Myyjä;Ostopäivä\r\n"
        "Matti.M@Example.com;;aino seller;30.11.2026\r\n"
        ";040 123 4567;Bertta Seller;1.11.2026\r\n"
        "\r\n"
    )
    purchases = read(text, org, encoding="cp1252").purchases
    assert [(p.row, p.email, p.phone, p.salesperson_id, p.purchased_on) for p in purchases] == [
        (2, "matti.m@example.com", "", org.seller_a.pk, date(2026, 11, 30)),
        (3, "", "0401234567", org.seller_b.pk, date(2026, 11, 1)),
    ]


def test_english_commas_with_a_byte_order_mark_and_iso_dates(org):
    text = "\ufeffE-mail,Salesperson,Date of purchase\nliisa@example.com,Aino Seller,2026-11-29\n"
    (purchase,) = read(text, org).purchases
    assert purchase.email == "liisa@example.com" and purchase.purchased_on == date(2026, 11, 29)


def test_swedish_headers(org):
    text = "E-post;Telefon;Säljare;Köpdatum\n;+358 40 765 4321;Aino Seller;29.11.2026\n"
    (purchase,) = read(text, org).purchases
    assert purchase.phone == "0407654321"


def test_every_bad_row_is_named_by_its_row_number(org):
    text = (
        "sähköposti;puhelin;myyjä;ostopäivä\n"
        "ok@example.com;;Aino Seller;30.11.2026\n"
        "ei-osoite;;Aino Seller;30.11.2026\n"
        ";;Aino Seller;30.11.2026\n"
        "x@example.com;;Tuntematon Myyjä;30.11.2026\n"
        "y@example.com;;Aino Seller;huomenna\n"
        "z@example.com;;Aino Seller;2.12.2026\n"
        "w@example.com;12;Aino Seller;1.1.2024\n"
    )
    messages = errors_of(text, org)
    assert messages == [
        "Rivi 3: ”ei-osoite” ei ole sähköpostiosoite.",
        "Rivi 4: ei sähköpostiosoitetta eikä puhelinnumeroa.",
        "Rivi 5: tiimeissäsi ei ole myyjää ”Tuntematon Myyjä”.",
        "Rivi 6: ”huomenna” ei ole päivämäärä (kirjoita esim. 30.11.2026 tai 2026-11-30).",
        "Rivi 7: ostopäivä on tulevaisuudessa.",
        "Rivi 8: ”12” ei ole puhelinnumero; osto on yli 365 päivää vanha.",
    ]


def test_the_messages_in_swedish_and_english(org):
    text = "email,salesperson,date\nbad,Aino Seller,30.11.2026\n"
    with translation.override("sv"):
        assert errors_of(text, org) == ["Rad 2: ”bad” är ingen e-postadress."]
    with translation.override("en"):
        assert errors_of(text, org) == ["Row 2: “bad” is not an e-mail address."]


def test_a_file_without_the_columns_says_which_are_missing(org):
    (message,) = errors_of("nimi;osoite\nMatti;Katu 1\n", org)
    assert "Puuttuu: sähköposti tai puhelin, myyjä, ostopäivä" in message
    assert "Löytyi: nimi, osoite." in message


def test_a_salesperson_outside_the_uploaders_teams_is_a_row_error(org):
    text = "email;salesperson;date\nx@example.com;Bertta Seller;30.11.2026\n"
    with pytest.raises(ValidationError) as caught:
        read_customer_list(text.encode(), salespeople=[org.seller_a], today=TODAY)
    assert caught.value.messages == ["Rivi 2: tiimeissäsi ei ole myyjää ”Bertta Seller”."]


def test_many_bad_rows_are_summed_up(org):
    rows = "".join(f"bad{n};Aino Seller;30.11.2026\n" for n in range(25))
    messages = errors_of("email;salesperson;date\n" + rows, org)
    assert len(messages) == 21 and messages[-1] == "…ja 5 riviä lisää."


def test_an_empty_file_and_a_header_only_file(org):
    assert errors_of("", org) == ["Tiedosto on tyhjä."]
    assert errors_of("email;salesperson;date\n", org) == [
        "Tiedostossa on otsikkorivi mutta ei asiakkaita."
    ]
