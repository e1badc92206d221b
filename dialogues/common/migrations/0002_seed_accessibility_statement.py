from django.db import migrations


def seed(apps, schema_editor):
    from dialogues.common.defaults import DEFAULT_ACCESSIBILITY_STATEMENT

    Statement = apps.get_model("common", "AccessibilityStatement")
    if not Statement.objects.exists():
        Statement.objects.create(**DEFAULT_ACCESSIBILITY_STATEMENT)


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
