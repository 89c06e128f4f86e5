"""Coaching plans, goals, sessions and seasons (models arrive with the coaching loop)."""
