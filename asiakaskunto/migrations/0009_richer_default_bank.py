"""Adds the richer default questions (written from the seed texts) to every organisation's
bank, NOT in use: leadership switches on the ones it wants in the bank editor. A code the
organisation already has is left alone (its own question wins).

The rows are a frozen copy kept here on purpose, as in 0002: editing the live
``asiakaskunto/question_bank.py`` never changes what this migration loads.
"""

from django.db import migrations
from django.db.models import Max

QUESTIONS = [
    # code, method, area, metric, scale, asks_why, fi, en, sv
    ("OBS10", "OBSERVATION", "ATTITUDE", "", "YES_PARTLY_NO", False,
     "Tervehtikö myyjä jokaista asiakasta?",
     "Did the salesperson greet every customer?",
     "Hälsade säljaren på varje kund?"),
    ("OBS11", "OBSERVATION", "SKILLS", "", "YES_PARTLY_NO", False,
     "Saiko jokainen asiakas kontaktin myyjään odottamatta pitkään?",
     "Did every customer get contact with a salesperson without a long wait?",
     "Fick varje kund kontakt med en säljare utan att vänta länge?"),
    ("OBS12", "OBSERVATION", "SKILLS", "", "FIVE_POINT", False,
     "Kartoittiko myyjä asiakkaan tarpeet ennen kuin tarjosi ratkaisua?",
     "Did the salesperson map the customer's needs before offering a solution?",
     "Kartlade säljaren kundens behov innan hen erbjöd en lösning?"),
    ("OBS13", "OBSERVATION", "KNOWLEDGE", "", "FIVE_POINT", False,
     "Tunteeko myyjä asiakkaansa ja heidän aiemmat asiointinsa?",
     "Does the salesperson know their customers and their earlier dealings?",
     "Känner säljaren sina kunder och deras tidigare ärenden?"),
    ("MYS10", "MYSTERY_SHOP", "ATTITUDE", "", "YES_PARTLY_NO", False,
     "Tervehdittiinkö sinua, kun tulit sisään?",
     "Were you greeted when you came in?",
     "Blev du hälsad när du kom in?"),
    ("MYS11", "MYSTERY_SHOP", "SKILLS", "", "FIVE_POINT", True,
     "Kuinka pian myyjä otti sinuun kontaktin? (5 = heti)",
     "How soon did a salesperson make contact with you? (5 = at once)",
     "Hur snart tog en säljare kontakt med dig? (5 = genast)"),
    ("MYS12", "MYSTERY_SHOP", "SKILLS", "", "FIVE_POINT", True,
     "Kartoittiko myyjä tarpeesi kysymällä ennen kuin tarjosi jotain?",
     "Did the salesperson map your needs by asking before offering anything?",
     "Kartlade säljaren ditt behov genom att fråga innan hen erbjöd något?"),
    ("MYS13", "MYSTERY_SHOP", "KNOWLEDGE", "", "FIVE_POINT", True,
     "Selvittikö myyjä, kuka olet asiakkaana ja mitä sinulla on ennestään?",
     "Did the salesperson find out who you are as a customer and what you already have?",
     "Tog säljaren reda på vem du är som kund och vad du redan har?"),
    ("MYS14", "MYSTERY_SHOP", "ATTITUDE", "", "FIVE_POINT", True,
     "Ylittikö palvelu odotuksesi?",
     "Did the service exceed your expectations?",
     "Överträffade servicen dina förväntningar?"),
    ("MYS15", "MYSTERY_SHOP", "SKILLS", "", "FIVE_POINT", True,
     "Toimiko myyjä asiakaslupauksemme mukaisesti?",
     "Did the salesperson act on our customer promise?",
     "Agerade säljaren enligt vårt kundlöfte?"),
    ("CUS10", "CUSTOMER", "ATTITUDE", "", "YES_PARTLY_NO", False,
     "Tervehdittiinkö sinua, kun tulit asioimaan?",
     "Were you greeted when you came?",
     "Blev du hälsad när du kom?"),
    ("CUS11", "CUSTOMER", "SKILLS", "", "FIVE_POINT", False,
     "Pääsitkö palveltavaksi odottamatta liian kauan? (5 = heti)",
     "Were you served without waiting too long? (5 = at once)",
     "Blev du betjänad utan att vänta för länge? (5 = genast)"),
    ("CUS12", "CUSTOMER", "SKILLS", "", "FIVE_POINT", True,
     "Kysyikö myyjä, mitä tarvitset, ennen kuin tarjosi ratkaisua?",
     "Did the salesperson ask what you need before offering a solution?",
     "Frågade säljaren vad du behöver innan hen erbjöd en lösning?"),
    ("CUS13", "CUSTOMER", "KNOWLEDGE", "", "FIVE_POINT", True,
     "Tunsiko myyjä sinut ja aiemmat asiointisi meillä?",
     "Did the salesperson know you and your earlier dealings with us?",
     "Kände säljaren dig och dina tidigare ärenden hos oss?"),
    ("CUS14", "CUSTOMER", "LOYALTY", "", "FIVE_POINT", True,
     "Ylittikö palvelu odotuksesi?",
     "Did the service exceed your expectations?",
     "Överträffade servicen dina förväntningar?"),
    ("CUS15", "CUSTOMER", "SKILLS", "", "FIVE_POINT", True,
     "Pitikö palvelu sen, mitä lupaamme asiakkaillemme?",
     "Did the service keep what we promise our customers?",
     "Höll servicen det vi lovar våra kunder?"),
]  # fmt: skip


def add_questions(apps, schema_editor):
    Organisation = apps.get_model("asiakaskunto", "Organisation")
    Question = apps.get_model("asiakaskunto", "Question")
    for organisation in Organisation.objects.order_by("id"):
        have = set(
            Question.objects.filter(organisation=organisation).values_list("code", flat=True)
        )
        last = Question.objects.filter(organisation=organisation).aggregate(m=Max("position"))
        position = last["m"] or 0
        rows = []
        for code, method, area, metric, scale, asks_why, fi, en, sv in QUESTIONS:
            if code in have:
                continue
            position += 1
            rows.append(
                Question(
                    organisation=organisation,
                    code=code,
                    method=method,
                    area=area,
                    metric=metric,
                    scale=scale,
                    asks_why=asks_why,
                    required=True,
                    active=False,
                    position=position,
                    text_fi=fi,
                    text_en=en,
                    text_sv=sv,
                )
            )
        Question.objects.bulk_create(rows)


def remove_questions(apps, schema_editor):
    Question = apps.get_model("asiakaskunto", "Question")
    Question.objects.filter(
        code__in=[row[0] for row in QUESTIONS], answers__isnull=True, version=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("asiakaskunto", "0008_question_organisation_required")]
    operations = [migrations.RunPython(add_questions, remove_questions)]
