"""The two concepts of the customer's framework, in Danish and English."""

from django.db import migrations

CONCEPTS = [
    {
        "kind": "wellbeing",
        "position": 1,
        "name_da": "Trivselsdialog",
        "name_en": "Well-being dialogue",
        "purpose_da": "At træne dialogen om jeres trivsel.",
        "purpose_en": "To train the dialogue about your well-being.",
        "characteristics_da": (
            "Psykisk arbejdspladsvurdering (APV), hvor metoden i sig selv styrker "
            "forståelsen af hinandens trivsel."
        ),
        "characteristics_en": (
            "Psychological workplace assessment, where the method in itself strengthens "
            "the understanding of each other's well-being."
        ),
        "primary_actors_da": "Leder og medarbejdere (samt AMR, LSU og AMK).",
        "primary_actors_en": "Manager and employees (as well as AMR, LSU and AMK).",
        "responsibility_da": (
            "Direktøren har (med hjælp fra arbejdsmiljøorganisationen) ansvaret for, "
            "at der er en systematisk dialog om trivsel."
        ),
        "responsibility_en": (
            "The director (with the help of the work environment organisation) is "
            "responsible for ensuring that there is a systematic dialogue about well-being."
        ),
        "next_steps_da": (
            "Dokumentationen af det, der er talt om, og aftalerne om næste skridt er fælles "
            "viden i enheden (fx i LSU og i den årlige arbejdsmiljødrøftelse)."
        ),
        "next_steps_en": (
            "The documentation of what has been talked about and the agreements on next "
            "steps are common knowledge in the unit (e.g. at LSU and in the annual working "
            "environment discussion)."
        ),
    },
    {
        "kind": "leadership",
        "position": 2,
        "name_da": "Ledelsesdialog",
        "name_en": "Leadership dialogue",
        "purpose_da": "At give input til din leder.",
        "purpose_en": "Giving input to your manager.",
        "characteristics_da": "Ledelsesudvikling (statens kodeks for god ledelse).",
        "characteristics_en": "Management development (the state's code of good management).",
        "primary_actors_da": "Leder og medarbejdere.",
        "primary_actors_en": "Manager and employees.",
        "responsibility_da": (
            "Direktøren har ansvaret for, at alle enhedens ledere inviterer deres "
            "medarbejdere til en ledelsesdialog."
        ),
        "responsibility_en": (
            "The director is responsible for ensuring that all the unit's managers invite "
            "their employees to a leadership dialogue."
        ),
        "next_steps_da": (
            "Den enkelte leder har ansvaret for, at der er en opfølgende dialog med egen "
            "leder og en tilbagemelding til egne medarbejdere."
        ),
        "next_steps_en": (
            "The individual manager is responsible for ensuring that there is a follow-up "
            "dialogue with their own manager and feedback to their own employees."
        ),
    },
]


def seed(apps, schema_editor):
    Concept = apps.get_model("concepts", "Concept")
    for concept in CONCEPTS:
        Concept.objects.update_or_create(kind=concept["kind"], defaults=concept)


class Migration(migrations.Migration):
    dependencies = [("concepts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
