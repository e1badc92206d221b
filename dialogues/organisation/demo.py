"""A made-up Danish technical university, as rows of the HR import file.

Used by ``manage.py load_demo``, the tests and the benchmark. The same seed always
gives the same organisation, and the output always imports cleanly. Ten fixed people
(``DEMO_LOGINS``) let a visitor sign in once in each role.
"""

from __future__ import annotations

import csv
import io
import math
import random
import unicodedata

from dialogues.organisation.importing.columns import COLUMNS

DOMAIN = "dialogues.example"
TOP_CODE = "NTU"
TOP_NAME = "Nordisk Teknisk Universitet"

# (email, name, role): one person to sign in as for each role.
DEMO_LOGINS = [
    ("hr-admin@dialogues.example", "Karen Friis", "hr_admin"),
    ("hr-partner@dialogues.example", "Anne Mette Krogh", "hr_partner"),
    ("director@dialogues.example", "Helle Juul Sørensen", "director"),
    ("manager@dialogues.example", "Mikkel Brandt", "manager"),
    ("employee@dialogues.example", "Sofie Lind", "employee"),
    ("amr@dialogues.example", "Jonas Vestergaard", "amr"),
    ("tr@dialogues.example", "Camilla Holm", "tr"),
    ("lsu-member@dialogues.example", "Rasmus Kjær", "lsu_member"),
    ("lsu-vice-chair@dialogues.example", "Louise Dam", "lsu_vice_chair"),
    ("amk-member@dialogues.example", "Peter Bach", "amk_member"),
]
_FIXED = {role: (email, name) for email, name, role in DEMO_LOGINS}

DEPARTMENTS = [
    ("COMPUTE", "Institut for Matematik og Computer Science", "department"),
    ("PHYSICS", "Institut for Fysik", "department"),
    ("CHEMISTRY", "Institut for Kemi", "department"),
    ("CONSTRUCT", "Institut for Byggeri og Mekanisk Teknologi", "department"),
    ("ELECTRO", "Institut for Elektroteknologi og Fotonik", "department"),
    ("BIOENG", "Institut for Bioteknologi og Biomedicin", "department"),
    ("ENVIRON", "Institut for Miljø- og Ressourceteknologi", "department"),
    ("NANOLAB", "Center for Nanofabrikation og -karakterisering", "centre"),
    ("ENERGY", "Institut for Energikonvertering og -lagring", "department"),
    ("AQUA", "Institut for Akvatiske Ressourcer", "department"),
    ("FOOD", "Fødevareinstituttet", "department"),
    ("SPACE", "Institut for Rumforskning og Rumteknologi", "department"),
    ("BIOSUSTAIN", "Center for Biosustainability", "centre"),
    ("WIND", "Institut for Vind- og Energisystemer", "department"),
    ("MANAGEMENT", "Institut for Teknologi, Ledelse og Økonomi", "department"),
    ("HEALTH", "Institut for Sundhedsteknologi", "department"),
    ("LEARNING", "Center for Digital Læring", "centre"),
    ("CHEMENG", "Institut for Kemiteknik", "department"),
    ("ENGTECH", "Institut for Ingeniørteknologi og Didaktik", "department"),
    ("QUANTUM", "Center for Kvanteteknologi", "centre"),
    ("MECH", "Institut for Mekanik og Produktion", "department"),
    ("ROBOT", "Center for Robotteknologi", "centre"),
    ("TRANSPORT", "Institut for Transport og Mobilitet", "department"),
    ("MATERIALS", "Institut for Materialer og Overflader", "department"),
    ("GEO", "Institut for Geovidenskab og Naturressourcer", "department"),
    ("VETERINARY", "Institut for Sundhed og Dyr", "department"),
    ("AI", "Pioneer Center for Kunstig Intelligens", "centre"),
    ("CLIMATE", "Center for Klimatilpasning", "centre"),
]
ADMIN = ("ADMIN", "Fælles Administration", "department")
ADMIN_SECTIONS = ["HR og Organisation", "Økonomi", "IT Service", "Campus Service"]
# fmt: off
SECTION_TOPICS = [
    "Algoritmer og Logik", "Statistik og Dataanalyse", "Cybersikkerhed", "Dynamiske Systemer",
    "Kunstig Intelligens", "Softwareteknologi", "Visuel Computing", "Kommunikationsnetværk",
    "Materialer og Overflader", "Katalyse", "Proceskemi", "Konstruktion", "Geoteknik",
    "Akustik", "Elektriske Energisystemer", "Fotonik", "Biomekanik", "Mikrobiologi",
    "Proteinkemi", "Vandteknologi", "Klimatilpasning", "Fiskeribiologi", "Fødevaresikkerhed",
    "Astrofysik", "Instrumentering", "Aerodynamik", "Innovation og Entreprenørskab",
    "Operationsanalyse", "Medicinsk Billeddannelse", "Undervisningsudvikling",
    "Systembiologi", "Robotik", "Kvanteoptik", "Batterimaterialer", "Termisk Energi",
    "Akvakultur", "Økotoksikologi", "Bæredygtig Produktion", "Digital Sundhed",
    "Halvlederteknologi", "Laboratoriedrift", "Administration",
]
# The departments a small demo shows get sections that fit them; the rest draw from the pool.
THEMED_SECTIONS = {
    "COMPUTE": [
        "Algoritmer og Logik", "Statistik og Dataanalyse", "Cybersikkerhed", "Kunstig Intelligens",
        "Softwareteknologi", "Visuel Computing", "Dynamiske Systemer", "Kommunikationsnetværk",
    ],
    "PHYSICS": [
        "Astrofysik", "Kvanteoptik", "Fotonik", "Halvlederteknologi", "Instrumentering",
        "Akustik", "Materialefysik", "Biofysik",
    ],
    "CHEMISTRY": [
        "Katalyse", "Proteinkemi", "Proceskemi", "Overfladekemi", "Batterimaterialer",
        "Analytisk Kemi", "Organisk Syntese", "Laboratoriedrift",
    ],
}
GROUP_TOPICS = [
    "Maskinlæring", "Optimering", "Sensorer", "Modellering", "Eksperimentelle Metoder", "Syntese",
    "Simulering", "Signalbehandling", "Billedanalyse", "Kvalitetssikring", "Teknisk Service",
    "Feltarbejde",
]
DANISH_FIRST = [
    "Anne", "Mette", "Lars", "Hanne", "Jens", "Kirsten", "Peter", "Susanne", "Henrik", "Lene",
    "Søren", "Marianne", "Niels", "Camilla", "Rasmus", "Louise", "Mads", "Julie", "Jesper",
    "Maria", "Thomas", "Sofie", "Morten", "Ida", "Anders", "Emma", "Christian", "Freja",
    "Martin", "Signe", "Jakob", "Line", "Mikkel", "Astrid", "Frederik", "Karen", "Kasper",
    "Birgitte", "Mathias", "Pernille", "Nikolaj", "Trine", "Simon", "Maja", "Troels", "Rikke",
    "Esben", "Cecilie", "Søs", "Bjørn", "Asger", "Ulla", "Torben", "Dorthe",
]
DANISH_LAST = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
    "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
    "Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen",
    "Jakobsen", "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund",
    "Schmidt", "Eriksen", "Holm", "Kristiansen", "Clausen", "Simonsen", "Svendsen",
    "Andreasen", "Iversen", "Jeppesen", "Vestergaard", "Dam", "Bach", "Kjær", "Krogh",
    "Friis", "Brandt", "Juul", "Lind", "Skov", "Bang", "Vinther", "Østergaard", "Ågaard",
    "Bøgh",
]
INTERNATIONAL = [
    "Wei Zhang", "Li Wang", "Priya Sharma", "Arjun Patel", "Giulia Rossi", "Marco Bianchi",
    "Ana García", "Javier López", "Katarzyna Nowak", "Piotr Kowalski", "Lukas Müller",
    "Hannah Schneider", "Sophie Dubois", "Élodie Martin", "João Silva", "Fatima Haddad",
    "Yuki Tanaka", "Hiroshi Sato", "Olga Ivanova", "Mehmet Yılmaz", "Emily Smith",
    "James O'Brien", "Nadia Rahman", "Andrea Papadopoulos", "Ingrid Johansson", "Erik Lindqvist",
    "Aino Virtanen", "Sara Cohen",
]
# fmt: on


def _ascii(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in text if char.isalnum() or char in " .-").replace(" ", ".")


def _split(total: int, weights: list[float], minimum: int) -> list[int]:
    """Share ``total`` by weight, each at least ``minimum``, summing exactly to ``total``."""
    spare = total - minimum * len(weights)
    shares = [spare * weight / sum(weights) for weight in weights]
    sizes = [minimum + math.floor(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - math.floor(shares[i]))
    for index in reversed(by_remainder[len(by_remainder) - (total - sum(sizes)) :]):
        sizes[index] += 1
    return sizes


class _Builder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rows: list[dict[str, str]] = []
        self.by_id: dict[str, dict[str, str]] = {}
        self.units: dict[str, tuple[str, str, str]] = {}
        self.emails: set[str] = set()
        self.next_id = 100001
        self.used_topics: set[str] = set()

    def fresh(self, candidates: list[str], count: int) -> list[str]:
        """``count`` different names, themed ones first, names not used elsewhere before others."""
        themed_unused = [c for c in dict.fromkeys(candidates) if c not in self.used_topics]
        chosen = themed_unused[:count] if candidates[:1] and candidates[0] in themed_unused else []
        rest = [c for c in themed_unused if c not in chosen]
        chosen += self.rng.sample(rest, min(len(rest), count - len(chosen)))
        if len(chosen) < count:  # a large organisation: names repeat across departments
            spare = [c for c in dict.fromkeys(candidates) if c not in chosen]
            chosen += self.rng.sample(spare, count - len(chosen))
        self.used_topics.update(chosen)
        return chosen

    def unit(self, code: str, name: str, kind: str, parent: str) -> str:
        self.units[code] = (name, kind, parent)
        return code

    def _name(self) -> tuple[str, str, bool]:
        if self.rng.random() < 0.13:
            name = self.rng.choice(INTERNATIONAL)
            return name, _ascii(name), True
        first = self.rng.choice(DANISH_FIRST)
        last = self.rng.choice(DANISH_LAST)
        if self.rng.random() < 0.3:
            last = f"{self.rng.choice(DANISH_LAST)} {last}"
        return f"{first} {last}", _ascii(f"{first}.{last}"), False

    def person(self, unit: str, manager: str, roles=(), fixed=None, serves=()) -> str:
        if fixed:
            email, name = fixed
            international = False
        else:
            name, local, international = self._name()
            email, number = f"{local}@{DOMAIN}", 1
            while email in self.emails:
                number += 1
                email = f"{local}{number}@{DOMAIN}"
        self.emails.add(email)
        english = self.rng.random() < (0.7 if international else 0.02)
        employee_id = str(self.next_id)
        self.next_id += 1
        unit_name, kind, parent = self.units[unit]
        self.by_id[employee_id] = {
            "employee_id": employee_id,
            "name": name,
            "email": email,
            "language": "en" if english else self.rng.choice(["da", "da", ""]),
            "unit_code": unit,
            "unit_name": unit_name,
            "unit_type": kind,
            "parent_unit_code": parent,
            "manager_employee_id": manager,
            "roles": ", ".join(roles),
            "hr_partner_units": "|".join(serves),
        }
        self.rows.append(self.by_id[employee_id])
        return employee_id

    def staff(self, unit: str, manager: str, count: int) -> list[str]:
        return [self.person(unit, manager) for _ in range(count)]

    def add_role(self, employee_id: str, role: str) -> None:
        row = self.by_id[employee_id]
        row["roles"] = ", ".join(filter(None, [row["roles"], role]))


def generate_organisation(people: int = 250, seed: int = 2025) -> list[dict[str, str]]:
    """Rows (dicts keyed by the import's column names) for ``people`` people."""
    if people < 60:
        raise ValueError("The demo organisation needs at least 60 people.")
    rng = random.Random(seed)
    build = _Builder(rng)
    departments = DEPARTMENTS[: max(3, min(len(DEPARTMENTS), round(people / 220)))]
    top_staff = 2 if people < 500 else 6
    partners_needed = max(2, math.ceil(len(departments) / 4))
    admin_size = max(partners_needed + 8, round(people * 0.04))
    weights = [rng.uniform(0.6, 1.6) for _ in departments]
    sizes = _split(people - top_staff - admin_size, weights, 16)

    build.unit(TOP_CODE, TOP_NAME, "university", "")
    rector = build.person(TOP_CODE, "", ["manager"])
    build.staff(TOP_CODE, rector, top_staff - 1)
    hr_unit = _admin(build, rector, admin_size, departments, partners_needed)
    for (code, name, kind), size in zip(departments, sizes, strict=True):
        _department(build, rector, code, name, kind, size)
    for row in build.rows:
        if row["roles"] == "" and rng.random() < 0.01 and row["unit_code"] != hr_unit:
            build.add_role(row["employee_id"], "amk_member")
    return build.rows


def _admin(build: _Builder, rector: str, size: int, departments, partners: int) -> str:
    code, name, kind = ADMIN
    build.unit(code, name, kind, TOP_CODE)
    head = build.person(code, rector, ["manager", "director"])
    section_count = min(len(ADMIN_SECTIONS), max(1, (size - 1) // 15))
    hr_size = max(partners + 4, (size - 1) // section_count)
    rest = _split(size - 1 - hr_size, [1.0] * (section_count - 1), 3) if section_count > 1 else []
    hr = build.unit(f"{code}-HR", f"Sektion for {ADMIN_SECTIONS[0]}", "section", code)
    hr_manager = build.person(hr, head, ["manager"])
    build.person(hr, hr_manager, ["hr_admin"], fixed=_FIXED["hr_admin"])
    codes = [code for code, _, _ in departments]
    served = [codes[i::partners] for i in range(partners)]
    for index, units in enumerate(served):
        units = sorted(set(units) | ({codes[0], codes[1]} if index == 0 else set()))
        fixed = _FIXED["hr_partner"] if index == 0 else None
        build.person(hr, hr_manager, ["hr_partner"], fixed=fixed, serves=units)
    build.staff(hr, hr_manager, hr_size - 2 - partners)
    for number, count in enumerate(rest, start=1):
        section = build.unit(
            f"{code}-S{number}", f"Sektion for {ADMIN_SECTIONS[number]}", "section", code
        )
        manager = build.person(section, head, ["manager"])
        build.staff(section, manager, count - 1)
    return hr


def _department(build: _Builder, rector: str, code: str, name: str, kind: str, size: int):
    rng = build.rng
    demo = code == DEPARTMENTS[0][0]
    build.unit(code, name, kind, TOP_CODE)
    head = build.person(code, rector, ["manager", "director"], fixed=demo and _FIXED["director"])
    office = 1 + size // 80
    build.staff(code, head, office)
    section_count = max(2, min(8, size // 35))
    section_sizes = _split(
        size - 1 - office, [rng.uniform(0.7, 1.4) for _ in range(section_count)], 7
    )
    topics = build.fresh(THEMED_SECTIONS.get(code, []) + SECTION_TOPICS, section_count)
    if demo:
        topics[0] = "Algoritmer og Logik"
    members: list[str] = []
    for number, (topic, count) in enumerate(zip(topics, section_sizes, strict=True), start=1):
        section = build.unit(f"{code}-S{number}", f"Sektion for {topic}", "section", code)
        fixed_manager = _FIXED["manager"] if demo and number == 1 else None
        manager = build.person(section, head, ["manager"], fixed=fixed_manager)
        count -= 1
        if demo and number == 1:
            build.person(section, manager, fixed=_FIXED["employee"])
            build.person(section, manager, ["amr"], fixed=_FIXED["amr"])
            count -= 2
        elif demo and number == 2:
            for role in ("tr", "lsu_member", "lsu_vice_chair", "amk_member"):
                build.person(section, manager, [role], fixed=_FIXED[role])
            count -= 4
        else:
            members.append(build.person(section, manager, ["amr"]))
            count -= 1
        groups = min(3, count // 14) if count >= 28 and rng.random() < 0.6 else 0
        group_topics = build.fresh(GROUP_TOPICS, groups)
        group_sizes = _split(count - 4, [1.0] * (groups + 1), 4)[1:] if groups else []
        for group_number, group_size in enumerate(group_sizes, start=1):
            group = build.unit(
                f"{section}-G{group_number}",
                f"Gruppen for {group_topics[group_number - 1]}",
                "group",
                section,
            )
            group_manager = build.person(group, manager, ["manager"])
            members += build.staff(group, group_manager, group_size - 1)
            count -= group_size
        members += build.staff(section, manager, count)
    plain = [eid for eid in members if not build.by_id[eid]["roles"]]
    rng.shuffle(plain)
    if not demo:
        build.add_role(plain.pop(), "lsu_vice_chair")
    for _ in range(rng.randint(3, 5)):
        build.add_role(plain.pop(), "lsu_member")
    for _ in range(max(1, size // 60) - (1 if demo else 0)):
        build.add_role(plain.pop(), "tr")
    build.add_role(plain.pop(), "amk_member")


def to_csv(rows: list[dict[str, str]], delimiter: str = ";") -> str:
    """The rows as CSV text with the English column names."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
