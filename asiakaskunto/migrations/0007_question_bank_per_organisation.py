"""Each organisation gets its own question bank: a copy of the shared bank as it stands.

The organisation created first keeps the shared rows themselves (its answers need no change);
every other organisation gets copies, and its answers, coaching goals and self-ratings, mystery
scenarios, checklist templates, and its checklist drafts and mystery tests waiting for review (both keyed by question
id) are moved onto its copies. Shared rows no organisation
took (when there is no organisation yet) are removed: new organisations get their bank when
they are created.
"""

from django.db import migrations

COPIED = [
    "code",
    "method",
    "area",
    "metric",
    "scale",
    "text_fi",
    "text_en",
    "text_sv",
    "asks_why",
    "required",
    "active",
    "position",
]


def split_bank(apps, schema_editor):
    Organisation = apps.get_model("asiakaskunto", "Organisation")
    Question = apps.get_model("asiakaskunto", "Question")
    Answer = apps.get_model("asiakaskunto", "Answer")
    Goal = apps.get_model("coaching", "Goal")
    SelfRating = apps.get_model("coaching", "SelfRating")
    Checklist = apps.get_model("observations", "Checklist")
    MysteryTest = apps.get_model("observations", "MysteryTest")
    ScenarioQuestion = apps.get_model("observations", "MysteryScenario").questions.through
    TemplateQuestion = apps.get_model("observations", "ChecklistTemplateQuestion")

    shared = list(Question.objects.filter(organisation__isnull=True).order_by("position", "id"))
    organisations = list(Organisation.objects.order_by("id"))
    if not shared:
        return
    if not organisations:
        Question.objects.filter(organisation__isnull=True).delete()
        return
    first, *others = organisations
    for organisation in others:
        moved = {}
        for question in shared:
            copy = Question.objects.create(
                organisation=organisation, **{name: getattr(question, name) for name in COPIED}
            )
            moved[question.pk] = copy.pk
        for old, new in moved.items():
            Answer.objects.filter(question_id=old, submission__organisation=organisation).update(
                question_id=new
            )
            Goal.objects.filter(question_id=old, plan__organisation=organisation).update(
                question_id=new
            )
            SelfRating.objects.filter(question_id=old, plan__organisation=organisation).update(
                question_id=new
            )
            ScenarioQuestion.objects.filter(
                question_id=old, mysteryscenario__organisation=organisation
            ).update(question_id=new)
            TemplateQuestion.objects.filter(
                question_id=old, template__organisation=organisation
            ).update(question_id=new)
        for checklist in Checklist.objects.filter(organisation=organisation).exclude(
            draft_answers={}
        ):
            checklist.draft_answers = {
                str(moved.get(int(key), key)): value
                for key, value in checklist.draft_answers.items()
            }
            checklist.save(update_fields=["draft_answers"])
        for test in MysteryTest.objects.filter(plan__organisation=organisation).exclude(
            pending_answers=[]
        ):
            test.pending_answers = [
                {**row, "question": moved.get(row["question"], row["question"])}
                for row in test.pending_answers
            ]
            test.save(update_fields=["pending_answers"])
    Question.objects.filter(organisation__isnull=True).update(organisation=first)


class Migration(migrations.Migration):
    dependencies = [
        ("asiakaskunto", "0006_question_per_organisation"),
        ("coaching", "0001_coaching_plans_and_seasons"),
        ("observations", "0004_checklist_templates"),
    ]
    operations = [migrations.RunPython(split_bank, migrations.RunPython.noop)]
