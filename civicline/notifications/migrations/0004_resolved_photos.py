"""The e-mail saying a case is resolved lists the before and after photos, the proof of the
fix. Only texts the admin has not changed are touched."""

from django.db import migrations

from civicline.transliteration import to_latin

SIGNATURE = {
    "sr": "Градски контакт центар",
    "bg": "Градски контактен център",
    "uk": "Міський контакт-центр",
    "en": "City contact center",
}
SIGNATURE["sr-latn"] = to_latin(SIGNATURE["sr"])
PHOTOS = "{% if photo_links %}\n\n{{ photo_links }}{% endif %}"


def add_photos(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for template in NotificationTemplate.objects.filter(notice="resolved", channel="email"):
        signature = SIGNATURE.get(template.language)
        ending = f"\n\n{signature}"
        if signature and "photo_links" not in template.body and template.body.endswith(ending):
            template.body = template.body.removesuffix(ending) + f"{PHOTOS}{ending}"
            template.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_tracking_link")]

    operations = [migrations.RunPython(add_photos, migrations.RunPython.noop)]
