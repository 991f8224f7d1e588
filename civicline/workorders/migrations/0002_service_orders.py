import django.db.models.deletion
from django.db import migrations, models


def organisation_from_team(apps, schema_editor):
    WorkOrder = apps.get_model("workorders", "WorkOrder")
    for order in WorkOrder.objects.select_related("team"):
        order.organisation_id = order.team.organisation_id
        order.save(update_fields=["organisation"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("workorders", "0001_initial"),
    ]

    # Filled here, made required in 0003: PostgreSQL refuses to alter a table with the
    # updates' deferred foreign-key checks still pending in the same transaction.
    operations = [
        migrations.AddField(
            model_name="workorder",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="work_orders",
                to="directory.organisation",
                verbose_name="service",
            ),
        ),
        migrations.RunPython(organisation_from_team, migrations.RunPython.noop),
    ]
