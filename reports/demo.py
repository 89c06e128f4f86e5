"""Demo data of this app for `manage.py seed_demo`."""


def seed(organisation, *, now, rng, stdout=None):
    """Fill realistic reports data for the organisation; do nothing when it already has some."""
