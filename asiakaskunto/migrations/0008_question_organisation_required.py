import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("asiakaskunto", "0007_question_bank_per_organisation")]

    operations = [
        migrations.AlterField(
            model_name="question",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="questions",
                to="asiakaskunto.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=models.Index(
                fields=["organisation", "method", "position"], name="question_org_order"
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.UniqueConstraint(
                fields=("organisation", "code", "version"), name="question_version_unique"
            ),
        ),
    ]
