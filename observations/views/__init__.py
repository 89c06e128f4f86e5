"""Views of observations: checklists, mystery plans, and the shopper's public form."""
