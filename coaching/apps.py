from django.apps import AppConfig


class CoachingConfig(AppConfig):
    """Coaching: development targets turned into plans, sessions and measured progress;
    seasons (measurement rounds); the manager's to-do list; alerts and digests."""

    name = "coaching"
