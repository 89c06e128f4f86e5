"""Resetting every scoring setting asks first, on a page (no JavaScript needed)."""

import pytest
from django.urls import reverse

from reports.scoring import ScoringSettings
from reports.services import save_scoring_settings, scoring_settings_for

pytestmark = pytest.mark.django_db


def test_reset_asks_first_and_keeps_the_numbers_until_confirmed(client_for, org):
    own = ScoringSettings(half_life_days=30.0, target_level="HYVA")
    save_scoring_settings(org.organisation, own, user=org.leader)
    client = client_for(org.leader)
    url = reverse("reports:settings")

    page = client.post(url, {"reset": "1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="confirm" value="yes"' in html and 'name="reset" value="1"' in html
    assert scoring_settings_for(org.organisation).half_life_days == 30

    assert client.post(url, {"reset": "1", "confirm": "yes"}).status_code == 302
    reset = scoring_settings_for(org.organisation)
    assert reset.half_life_days == ScoringSettings().half_life_days
    assert reset.target_level == "HYVA"  # the chosen target level stays
