"""A standing link is built once per process and stamp: the shared cache holds the stamp, the
process the link; a forgotten or foreign stamp makes the process build it anew. What the
process keeps is an immutable value, so no request can change what the next one gets."""

import dataclasses

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db.models import Model

from asiakaskunto.cache import shared_cache as cache
from asiakaskunto.models import Salesperson
from surveys.services import _link_key, _standing_link, active_link, forget_links

pytestmark = pytest.mark.django_db


def _rename(salesperson):
    """A change that sends no signal (an update()), so nothing forgets the link."""
    Salesperson.objects.filter(pk=salesperson.pk).update(name="Uusi Nimi")


def test_requests_in_one_process_share_the_link_it_built(seller_link, django_assert_num_queries):
    """Only the link's stamp is read from the shared cache (a query when it is the database)."""
    first = active_link(seller_link.token)
    stamp_read = isinstance(caches["shared"], BaseDatabaseCache)
    with django_assert_num_queries(1 if stamp_read else 0):
        again = active_link(seller_link.token)
    assert again is first
    assert [q.code for q in again.questions] == [q.code for q in first.questions]


def test_a_forgotten_stamp_builds_the_link_anew_from_the_database(seller_link):
    first = active_link(seller_link.token)
    # A change without the signals that forget (an update()): seen within the minute.
    _rename(seller_link.salesperson)
    assert active_link(seller_link.token) is first
    forget_links([seller_link.token])
    fresh = active_link(seller_link.token)
    assert fresh is not first and fresh.salesperson.name == "Uusi Nimi"


def test_a_stamp_another_process_wrote_is_not_taken_for_this_ones(seller_link):
    """After another process rebuilt the link (a change forgot the stamp there and it wrote a
    new one in the shared cache), this process must not go on with its own older copy."""
    first = active_link(seller_link.token)
    _rename(seller_link.salesperson)
    cache.set(_link_key(seller_link.token), "stamp-of-another-process", 60)
    fresh = active_link(seller_link.token)
    assert fresh is not first and fresh.salesperson.name == "Uusi Nimi"
    assert cache.get(_link_key(seller_link.token)) == "stamp-of-another-process"
    assert active_link(seller_link.token) is fresh


def test_an_emptied_cache_builds_the_link_anew(seller_link):
    first = active_link(seller_link.token)
    cache.clear()
    assert active_link(seller_link.token) is not first


def test_an_unknown_token_is_not_cached(db):
    assert active_link("no-such-token") is None
    assert cache.get(_link_key("no-such-token")) is None


def test_a_change_that_commits_while_the_link_is_read_is_not_hidden_for_a_minute(
    seller_link, monkeypatch
):
    """The request read the old row; the change's forget comes before the request is done.
    What the request read serves that request only."""
    import surveys.services as services

    questions_of = services._questions_of

    def change_meanwhile(organisation):
        _rename(seller_link.salesperson)
        forget_links([seller_link.token])  # what the change's on_commit does
        return questions_of(organisation)

    monkeypatch.setattr(services, "_questions_of", change_meanwhile)
    old = active_link(seller_link.token)
    assert old.salesperson.name == "Aino Seller"
    monkeypatch.undo()
    assert active_link(seller_link.token).salesperson.name == "Uusi Nimi"


def test_a_request_cannot_change_the_link_the_next_request_gets(team_link, org):
    first = active_link(team_link.token)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.team = None
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.organisation.survey_free_text = False
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.team_members[0].name = "Joku muu"
    with pytest.raises(AttributeError):  # a tuple: no member added or taken away
        first.team_members.append(first.team_members[0])
    with pytest.raises(TypeError):
        first.questions[0] = None
    again = active_link(team_link.token)
    assert again is first
    assert again == _standing_link(type(team_link).objects.get(pk=team_link.pk))
    assert [m.name for m in again.team_members] == ["Aino Seller", "Cecilia Colleague"]


def test_the_kept_link_holds_values_not_model_instances(team_link, seller_link):
    """The bank's questions are the only rows in it (read only; the form never writes them)."""
    for token in (team_link.token, seller_link.token):
        link = active_link(token)
        parts = [link.organisation, link.team, link.salesperson, *(link.team_members or ())]
        assert not any(isinstance(part, Model) for part in parts)
        assert isinstance(link.questions, tuple)


def test_a_personal_link_counts_for_its_salespersons_team(seller_link, org):
    link = active_link(seller_link.token)
    assert (link.team.pk, link.team.name) == (org.team_a.pk, "Team A")
    assert link.salesperson.pk == org.seller_a.pk and link.team_members is None
