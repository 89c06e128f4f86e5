from django.db import migrations

from asiakaskunto.question_bank import DEFAULT_QUESTIONS


def load_questions(apps, schema_editor):
    Question = apps.get_model("asiakaskunto", "Question")
    for position, row in enumerate(DEFAULT_QUESTIONS, start=1):
        code, method, area, metric, scale, asks_why, fi, en, sv = row
        Question.objects.update_or_create(
            code=code,
            defaults={
                "method": method,
                "area": area,
                "metric": metric,
                "scale": scale,
                "asks_why": asks_why,
                # CSAT and CES are optional for the customer; the areas' questions are required.
                "required": metric not in ("CSAT", "CES"),
                "active": True,
                "position": position,
                "text_fi": fi,
                "text_en": en,
                "text_sv": sv,
            },
        )


def unload_questions(apps, schema_editor):
    Question = apps.get_model("asiakaskunto", "Question")
    Question.objects.filter(code__in=[row[0] for row in DEFAULT_QUESTIONS], answers__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("asiakaskunto", "0001_organisation_core")]
    operations = [migrations.RunPython(load_questions, unload_questions)]
