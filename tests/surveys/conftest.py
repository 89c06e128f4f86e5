import pytest

from tests.surveys.factories import SurveyLinkFactory


@pytest.fixture
def seller_link(org):
    return SurveyLinkFactory(salesperson=org.seller_a)


@pytest.fixture
def team_link(org):
    return SurveyLinkFactory(team=org.team_a)
