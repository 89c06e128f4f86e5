import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Questions get an organisation (filled by 0007, required by 0008) and versions."""

    dependencies = [("asiakaskunto", "0005_organisation_requires_two_factor")]

    operations = [
        migrations.AddField(
            model_name="question",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="questions",
                to="asiakaskunto.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="version",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="question",
            name="replaced_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="previous_versions",
                to="asiakaskunto.question",
                verbose_name="replaced by",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="created at"
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="code",
            field=models.CharField(max_length=20, verbose_name="code"),
        ),
    ]
