from django.db import migrations

from asiakaskunto.question_bank import DEFAULT_QUESTIONS, load_default_questions


def load_questions(apps, schema_editor):
    load_default_questions(apps.get_model("asiakaskunto", "Question"))


def unload_questions(apps, schema_editor):
    Question = apps.get_model("asiakaskunto", "Question")
    Question.objects.filter(code__in=[row[0] for row in DEFAULT_QUESTIONS], answers__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("asiakaskunto", "0001_organisation_core")]
    operations = [migrations.RunPython(load_questions, unload_questions)]
