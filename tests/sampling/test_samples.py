"""Random samples: an upload draws N per salesperson, invites them (e-mail in the background;
phone-only customers listed for a call), never asks a customer twice within the period, and a
bad file saves nothing. Managers sample their own teams; salespeople may not."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Role, Submission
from sampling.models import SampleBatch
from surveys.models import Invitation, SurveyResponse
from tests.factories import make_user
from tests.surveys.factories import survey_post

pytestmark = pytest.mark.django_db


def purchase_list(rows, header="sähköposti;puhelin;myyjä;ostopäivä", encoding="cp1252"):
    today = timezone.localdate().strftime("%d.%m.%Y")
    text = header + "\r\n" + "".join(f"{row.format(today=today)}\r\n" for row in rows)
    return SimpleUploadedFile("asiakkaat.csv", text.encode(encoding), content_type="text/csv")


ROWS = [
    "anna@example.com;;Aino Seller;{today}",
    "ben@example.com;;Aino Seller;{today}",
    "cilla@example.com;;Aino Seller;{today}",
    ";040 111 2222;Aino Seller;{today}",
    "dora@example.com;;Cecilia Colleague;{today}",
    "eero@example.com;;Bertta Seller;{today}",
]


def upload(client, rows=ROWS, **fields):
    data = {"per_salesperson": 2, "quiet_days": 90, "language": "fi", "seed": 42, **fields}
    data["csv_file"] = purchase_list(rows)
    return client.post(reverse("sampling:index"), data)


def test_leadership_draws_n_per_salesperson_and_the_emails_go_out(
    client_for, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_for(org.leader))
    batch = SampleBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "sampling:batch", args=[batch.pk]
    )
    assert (batch.seed, batch.per_salesperson, batch.quiet_days) == (42, 2, 90)
    assert (batch.rows_read, batch.customers, batch.asked_recently) == (6, 6, 0)
    per_person = {}
    for invitation in batch.invitations.all():
        per_person.setdefault(invitation.salesperson_id, []).append(invitation)
    assert {pk: len(found) for pk, found in per_person.items()} == {
        org.seller_a.pk: 2,
        org.colleague_a.pk: 1,
        org.seller_b.pk: 1,
    }
    emailed = [i for i in batch.invitations.all() if i.email]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.email for i in emailed)
    assert all(
        i.sent_at is not None for i in Invitation.objects.filter(pk__in=[i.pk for i in emailed])
    )
    assert batch.drawn == 4


def test_phone_only_customers_are_listed_for_a_call_and_never_sent_anything(
    client_for, org, django_capture_on_commit_callbacks
):
    rows = [";040 111 2222;Aino Seller;{today}", ";+358 40 333 4444;Aino Seller;{today}"]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(org.manager_a), rows=rows)
    batch = SampleBatch.objects.get()
    assert not mail.outbox
    phones = sorted(batch.invitations.values_list("phone", flat=True))
    assert phones == ["0401112222", "0403334444"]
    page = client_for(org.manager_a).get(reverse("sampling:batch", args=[batch.pk]))
    html = page.content.decode()
    assert 'data-testid="to-call"' in html and 'href="tel:0401112222"' in html
    assert "Sovellus ei lähetä tekstiviestejä" in html
    assert str(batch.seed) in html


def test_the_same_seed_draws_the_same_customers(client_for, org):
    client = client_for(org.leader)
    upload(client, per_salesperson=1, seed=123, quiet_days=0)
    first = set(Invitation.objects.values_list("email_key", "phone_key", "salesperson"))
    Invitation.objects.all().delete()
    SampleBatch.objects.all().delete()
    upload(client, per_salesperson=1, seed=123, quiet_days=0)
    assert set(Invitation.objects.values_list("email_key", "phone_key", "salesperson")) == first


def test_nobody_is_asked_twice_within_the_period(client_for, org):
    client = client_for(org.leader)
    upload(client, per_salesperson=50)
    assert Invitation.objects.count() == 6
    upload(client, per_salesperson=50)  # the same customers again
    second = SampleBatch.objects.order_by("-id").first()
    assert (second.asked_recently, second.drawn) == (6, 0)
    assert Invitation.objects.count() == 6
    # Older than the period: asked again (the addresses were erased meanwhile; the keys stayed).
    Invitation.objects.update(created_at=timezone.now() - timedelta(days=40), email="", phone="")
    upload(client, per_salesperson=50, quiet_days=30)
    assert SampleBatch.objects.order_by("-id").first().drawn == 6


def test_a_typed_invitation_counts_as_asked(client_for, org, django_capture_on_commit_callbacks):
    client = client_for(org.manager_a)
    client.post(
        reverse("surveys:invitations"),
        {"salesperson": org.seller_a.pk, "emails": "ANNA@example.com", "language": "fi"},
    )
    upload(client, rows=ROWS[:1])
    assert SampleBatch.objects.get().asked_recently == 1


def test_a_bad_file_saves_nothing_and_names_the_rows(client_for, org):
    rows = ROWS[:2] + ["rikki;;Aino Seller;{today}", "x@example.com;;Aino Seller;32.13.2026"]
    response = upload(client_for(org.leader), rows=rows)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Rivi 4: ”rikki” ei ole sähköpostiosoite." in html
    assert "Rivi 5: ”32.13.2026” ei ole päivämäärä" in html
    assert "Mitään ei arvottu eikä lähetetty" in html
    assert not SampleBatch.objects.exists() and not Invitation.objects.exists()
    assert not mail.outbox


def test_bad_fields_say_so_in_finnish(client_for, org):
    response = upload(client_for(org.leader), per_salesperson=0, quiet_days=999)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tämän luvun on oltava vähintään 1." in html
    assert not SampleBatch.objects.exists()


def test_a_manager_samples_only_their_own_teams(client_for, org):
    response = upload(client_for(org.manager_a))
    assert response.status_code == 400
    assert "Rivi 7: tiimeissäsi ei ole myyjää ”Bertta Seller”." in response.content.decode()
    assert not Invitation.objects.exists()


def test_salespeople_may_not_sample_and_others_batches_are_not_found(client_for, org):
    assert upload(client_for(org.seller_a_user)).status_code == 403
    upload(client_for(org.manager_b), rows=["eero@example.com;;Bertta Seller;{today}"])
    batch = SampleBatch.objects.get()
    assert (
        client_for(org.manager_a).get(reverse("sampling:batch", args=[batch.pk])).status_code == 404
    )
    assert client_for(org.leader).get(reverse("sampling:batch", args=[batch.pk])).status_code == 200
    index = client_for(org.manager_a).get(reverse("sampling:index")).content.decode()
    assert reverse("sampling:batch", args=[batch.pk]) not in index


def test_a_phone_only_customer_is_interviewed_from_the_call_list(client_for, org):
    upload(client_for(org.manager_a), rows=[";040 111 2222;Aino Seller;{today}"])
    invitation = Invitation.objects.get()
    url = reverse("interviews:call", args=[invitation.pk])
    client = client_for(org.manager_a)
    page = client.get(url)
    assert page.status_code == 200 and 'href="tel:0401112222"' in page.content.decode()
    assert client.post(url, survey_post()).status_code == 302
    invitation.refresh_from_db()
    assert invitation.used_at is not None and invitation.phone == ""
    assert invitation.phone_key  # remembered, so that the next sample leaves them out
    response = SurveyResponse.objects.get()
    assert response.interviewed and response.interviewer == org.manager_a
    assert response.invitation == invitation
    assert Submission.objects.get().salesperson == org.seller_a
    # Answered: a second call stores nothing.
    assert client.post(url, survey_post()).status_code == 302
    assert Submission.objects.count() == 1
    batch_page = client.get(reverse("sampling:batch", args=[invitation.sample_batch_id]))
    assert "1 vastannut" in batch_page.content.decode()


def test_calls_are_refused_outside_ones_teams_and_for_ones_own_customers(client_for, org):
    upload(client_for(org.leader), rows=[";040 111 2222;Aino Seller;{today}"])
    url = reverse("interviews:call", args=[Invitation.objects.get().pk])
    assert client_for(org.manager_b).get(url).status_code == 404
    assert client_for(org.seller_a_user).get(url).status_code == 403
    org.seller_a.user = org.manager_a  # the manager sells too: these are their own customers
    org.seller_a.save()
    assert client_for(org.manager_a).post(url, survey_post()).status_code == 403
    assert not Submission.objects.exists()


def test_the_pages_ask_a_bounded_number_of_queries(client_for, org, django_assert_max_num_queries):
    client = client_for(org.leader)
    for seed in range(4):
        upload(client, seed=seed, quiet_days=0)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sampling:index")).status_code == 200
    batch = SampleBatch.objects.first()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sampling:batch", args=[batch.pk])).status_code == 200


def test_leadership_sees_every_batch_of_the_organisation_even_an_empty_one(client_for, org):
    other_leader = make_user(org.organisation, Role.LEADERSHIP, username="other_leader")
    client = client_for(other_leader)
    upload(client, per_salesperson=50)
    upload(client, per_salesperson=50)  # everyone asked already: nobody drawn
    empty = SampleBatch.objects.order_by("-id").first()
    assert empty.drawn == 0
    assert client_for(org.leader).get(reverse("sampling:batch", args=[empty.pk])).status_code == 200
    assert (
        client_for(org.manager_a).get(reverse("sampling:batch", args=[empty.pk])).status_code == 404
    )


def test_a_too_large_file_is_refused_before_it_is_read(client_for, org):
    big = SimpleUploadedFile("iso.csv", b"email;salesperson;date\n" + b"x" * 2_100_000)
    response = client_for(org.leader).post(
        reverse("sampling:index"),
        {"csv_file": big, "per_salesperson": 2, "quiet_days": 90, "language": "fi"},
    )
    assert response.status_code == 400
    assert "Tiedosto on liian suuri (enintään 2 Mt)." in response.content.decode()
    assert not SampleBatch.objects.exists()


def test_an_expired_call_is_not_made_and_the_call_page_is_bounded(
    client_for, org, django_assert_max_num_queries
):
    upload(client_for(org.manager_a), rows=[";040 111 2222;Aino Seller;{today}"])
    invitation = Invitation.objects.get()
    url = reverse("interviews:call", args=[invitation.pk])
    client = client_for(org.manager_a)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(url, survey_post())
    assert response.status_code == 302
    assert response["Location"] == reverse("sampling:batch", args=[invitation.sample_batch_id])
    assert not Submission.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "kutsu on vanhentunut" in page
