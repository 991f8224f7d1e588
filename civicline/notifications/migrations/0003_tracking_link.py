"""The e-mail confirming a registration gives the citizen's tracking link. Only texts the
admin has not changed are touched."""

from django.db import migrations

from civicline.transliteration import to_latin

SIGNATURE = {
    "sr": "Градски контакт центар",
    "bg": "Градски контактен център",
    "uk": "Міський контакт-центр",
    "en": "City contact center",
}
LINK = {
    "sr": "Пријаву можете пратити овде: {{ tracking_url }}",
    "bg": "Можете да следите сигнала си тук: {{ tracking_url }}",
    "uk": "Стежити за зверненням можна тут: {{ tracking_url }}",
    "en": "You can follow your case here: {{ tracking_url }}",
}
SIGNATURE["sr-latn"], LINK["sr-latn"] = to_latin(SIGNATURE["sr"]), to_latin(LINK["sr"])


def add_link(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for template in NotificationTemplate.objects.filter(notice="registered", channel="email"):
        signature, link = SIGNATURE.get(template.language), LINK.get(template.language)
        ending = f"\n\n{signature}"
        if signature and "tracking_url" not in template.body and template.body.endswith(ending):
            template.body = template.body.removesuffix(ending) + f"\n\n{link}{ending}"
            template.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_default_templates")]

    operations = [migrations.RunPython(add_link, migrations.RunPython.noop)]
