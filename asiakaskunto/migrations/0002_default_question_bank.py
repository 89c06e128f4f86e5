"""Loads the default question bank as it was when this migration was written.

The rows are a frozen copy kept here on purpose: a migration must load the same rows forever,
whatever later happens to the live ``asiakaskunto/question_bank.py`` (which seeds the banks of
organisations created from now on). Never edit these rows; change the bank in a new migration.
"""

from django.db import migrations

QUESTIONS = [
    # code, method, area, metric, scale, asks_why, fi, en, sv
    ("OBS1", "OBSERVATION", "ATTITUDE", "", "FIVE_POINT", False,
     "Irtoaako asiakashymy helposti?",
     "Does the customer smile come easily?",
     "Kommer kundleendet lätt?"),
    ("OBS2", "OBSERVATION", "ATTITUDE", "", "FIVE_POINT", False,
     "Huomioiko myyjä jokaisen asiakkaan?",
     "Does the salesperson acknowledge every customer?",
     "Uppmärksammar säljaren varje kund?"),
    ("OBS3", "OBSERVATION", "SKILLS", "", "FIVE_POINT", False,
     "Onko myyjä aidosti valmiina auttamaan ja palvelemaan?",
     "Is the salesperson genuinely ready to help and serve?",
     "Är säljaren verkligen redo att hjälpa och betjäna?"),
    ("MYS1", "MYSTERY_SHOP", "KNOWLEDGE", "", "FIVE_POINT", True,
     "Millaiset ovat myyjän tiedot omista tuotteistaan ja palveluistaan?",
     "How good is the salesperson's knowledge of their own products and services?",
     "Hur goda är säljarens kunskaper om sina egna produkter och tjänster?"),
    ("MYS2", "MYSTERY_SHOP", "SKILLS", "", "FIVE_POINT", True,
     "Miten halukas ja kykenevä myyjä on ratkaisemaan tarpeesi?",
     "How willing and able is the salesperson to solve your need?",
     "Hur villig och kapabel är säljaren att lösa ditt behov?"),
    ("MYS3", "MYSTERY_SHOP", "ATTITUDE", "", "FIVE_POINT", True,
     "Miten hyvin myyjä ymmärtää tarpeesi ja tilanteesi?",
     "How well does the salesperson understand your need and situation?",
     "Hur väl förstår säljaren ditt behov och din situation?"),
    ("CUS1", "CUSTOMER", "SKILLS", "", "FIVE_POINT", True,
     "Saitko sen mitä tulit hakemaan?",
     "Did you get what you came for?",
     "Fick du det du kom för?"),
    ("CUS2", "CUSTOMER", "LOYALTY", "", "FIVE_POINT", True,
     "Aiotko asioida jatkossakin meillä?",
     "Will you do business with us again?",
     "Tänker du handla hos oss även i fortsättningen?"),
    ("CUS3", "CUSTOMER", "LOYALTY", "NPS", "ELEVEN_POINT", True,
     "Suosittelisitko tuotteitamme ja palveluitamme kavereillesi?",
     "Would you recommend our products and services to your friends?",
     "Skulle du rekommendera våra produkter och tjänster till dina vänner?"),
    # Optional metrics, switched per organisation (Organisation.survey_csat / survey_ces).
    ("CSAT", "CUSTOMER", "", "CSAT", "FIVE_POINT", False,
     "Kuinka tyytyväinen olit saamaasi palveluun?",
     "How satisfied were you with the service you received?",
     "Hur nöjd var du med den service du fick?"),
    ("CES", "CUSTOMER", "", "CES", "FIVE_POINT", False,
     "Kuinka helppoa asiasi hoitaminen oli? (5 = erittäin helppoa)",
     "How easy was it to get your matter handled? (5 = very easy)",
     "Hur lätt var det att få ditt ärende skött? (5 = mycket lätt)"),
]  # fmt: skip


def load_questions(apps, schema_editor):
    Question = apps.get_model("asiakaskunto", "Question")
    for position, row in enumerate(QUESTIONS, start=1):
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
    Question.objects.filter(code__in=[row[0] for row in QUESTIONS], answers__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("asiakaskunto", "0001_organisation_core")]
    operations = [migrations.RunPython(load_questions, unload_questions)]
