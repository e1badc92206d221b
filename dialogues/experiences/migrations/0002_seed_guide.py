"""The framework's question guide ("Gather experiences with the dialogue concepts"), in both languages.

Closed questions have a yes / no / partly / does not apply core followed by a "why"; the
sections' heading questions in the framework open their sections as closed questions.
"""

from django.db import migrations

BOTH = ["wellbeing", "leadership"]

GUIDE = {
    "slug": "experiences",
    "name_da": "Indsaml erfaringer med dialogkoncepterne",
    "name_en": "Gather experiences with the dialogue concepts",
}

# Each question: (key, kind, concepts, sensitive, condition, Danish, English);
# a condition is (key of an earlier closed question, the answers that show this one).
SECTIONS = [
    (
        "Baggrund",
        "Background",
        [
            (
                "purpose",
                "open",
                BOTH,
                False,
                None,
                "Hvordan har du oplevet formålet med at bruge dialog som løftestang for "
                "arbejdet med trivsel og ledelse?",
                "How have you experienced the purpose of using dialogue as a lever to work "
                "with well-being and management?",
            ),
            (
                "support_tools",
                "closed",
                BOTH,
                False,
                None,
                "Har I brugt støtteværktøjerne, set filmen, fået præsenteret materialet om "
                "næste skridt, drøftet det i LSU, arbejdsmiljøorganisationen (AMO) osv.?",
                "Have you used the support tools, seen the film, been presented with the next "
                "step, discussed it in LSU, the work environment organisation (AMO) etc.?",
            ),
        ],
    ),
    (
        "Samarbejdet med HR-partneren",
        "Collaboration with the HR partner",
        [
            (
                "hr_collaboration",
                "open",
                BOTH,
                False,
                None,
                "Hvordan har du oplevet samarbejdet med HR om planlægning og facilitering?",
                "How have you experienced the collaboration with HR in relation to planning "
                "and facilitation?",
            ),
            (
                "without_hr",
                "closed",
                ["wellbeing"],
                False,
                None,
                "Har I selv gennemført trivselsdialoger uden HR? Hvis ikke, ville I turde "
                "gennemføre trivselsdialoger, hvor HR ikke faciliterer?",
                "Have you carried out well-being dialogues on your own? If not, would you have "
                "the courage to carry out well-being dialogues where HR does not facilitate?",
            ),
        ],
    ),
    (
        "Den mindre gruppe (uden leder)",
        "The smaller group (without a leader)",
        [
            (
                "small_group_essentials",
                "closed",
                BOTH,
                False,
                None,
                "Talte I om det væsentligste i den mindre gruppe (uden leder)?",
                "Did you talk about the essentials in the smaller group (without a leader)?",
            ),
            (
                "felt_safe",
                "closed",
                BOTH,
                True,
                None,
                "Har du følt dig tryg ved at deltage?",
                "Have you felt safe participating?",
            ),
            (
                "talked_to_tr_amr",
                "closed",
                BOTH,
                True,
                ("felt_safe", ["no", "partly"]),
                "Hvis ikke: Har du talt med din tillidsrepræsentant (TR) eller "
                "arbejdsmiljørepræsentant (AMR) om, at du følte dig utryg? Hvorfor, eller "
                "hvorfor ikke?",
                "If not: have you talked to your union representative (TR) or work environment "
                "representative (AMR) about feeling uneasy? Why, or why not?",
            ),
        ],
    ),
    (
        "Den større gruppe (med lederen)",
        "The larger group (with the leader)",
        [
            (
                "large_group_essentials",
                "closed",
                BOTH,
                False,
                None,
                "Talte I om det væsentligste i den større gruppe (med lederen)?",
                "Did you talk about the essentials in the larger group (with the leader)?",
            ),
            (
                "transition",
                "open",
                BOTH,
                False,
                None,
                "Hvordan oplevede du overgangen fra dialogen i den mindre gruppe til at skulle "
                "give din mening eller feedback til kende i plenum?",
                "How did you experience the transition from the dialogue in the smaller group "
                "to expressing your opinion or feedback in plenary?",
            ),
            (
                "transition_help",
                "open",
                BOTH,
                False,
                None,
                "Hvad kunne være en hjælp i den del af processen?",
                "What could be helpful in that part of the process?",
            ),
        ],
    ),
    (
        "Næste skridt",
        "The next step",
        [
            (
                "next_step",
                "closed",
                BOTH,
                False,
                None,
                "Talte I om næste skridt?",
                "Did you talk about the next step?",
            ),
            (
                "maintain",
                "open",
                BOTH,
                False,
                None,
                "Hvad kunne hjælpe jer med at holde dialogen om trivsel og ledelse i gang "
                "mellem de årlige trivsels- og ledelsesdialoger?",
                "What could help you maintain the dialogue about well-being and management "
                "between the annual well-being and leadership dialogues?",
            ),
            (
                "change_concepts",
                "open",
                BOTH,
                False,
                None,
                "Hvad kan ændres i koncepterne for at skabe mere dialog om trivsel og ledelse?",
                "What can be changed in the concepts to ensure more dialogue about well-being "
                "and management?",
            ),
        ],
    ),
    (
        "Hvad kan justeres?",
        "What can be adjusted?",
        [
            (
                "surprises",
                "open",
                BOTH,
                False,
                None,
                "Hvilke indsigter har overrasket dig?",
                "What insights have surprised you?",
            ),
            (
                "do_more",
                "open",
                BOTH,
                False,
                None,
                "Hvad vil du gerne gøre mere af i den næste dialog?",
                "What would you like to do more of in the next dialogue?",
            ),
        ],
    ),
]


def seed(apps, schema_editor):
    QuestionGuide = apps.get_model("experiences", "QuestionGuide")
    Section = apps.get_model("experiences", "Section")
    Question = apps.get_model("experiences", "Question")
    Concept = apps.get_model("concepts", "Concept")
    if QuestionGuide.objects.filter(slug=GUIDE["slug"]).exists():
        return
    concepts = {concept.kind: concept for concept in Concept.objects.all()}
    guide = QuestionGuide.objects.create(**GUIDE)
    by_key = {}
    for section_position, (title_da, title_en, questions) in enumerate(SECTIONS, start=1):
        section = Section.objects.create(
            guide=guide, position=section_position, title_da=title_da, title_en=title_en
        )
        for position, (key, kind, kinds, sensitive, condition, text_da, text_en) in enumerate(
            questions, start=1
        ):
            question = Question.objects.create(
                section=section,
                position=position,
                kind=kind,
                sensitive=sensitive,
                text_da=text_da,
                text_en=text_en,
                condition_question=by_key[condition[0]] if condition else None,
                condition_answers=condition[1] if condition else [],
            )
            question.concepts.set([concepts[kind_] for kind_ in kinds if kind_ in concepts])
            by_key[key] = question


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0001_initial"),
        ("concepts", "0002_seed_concepts"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
