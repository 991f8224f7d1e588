import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workorders", "0002_service_orders"),
    ]

    operations = [
        migrations.AlterField(
            model_name="workorder",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="work_orders",
                to="directory.organisation",
                verbose_name="service",
            ),
        ),
        migrations.AlterField(
            model_name="workorder",
            name="team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="work_orders",
                to="workorders.fieldteam",
                verbose_name="team",
            ),
        ),
        migrations.AddIndex(
            model_name="workorder",
            index=models.Index(fields=["organisation", "state"], name="workorder_service_state"),
        ),
    ]
