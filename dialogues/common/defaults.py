"""The accessibility statement a new installation starts with; HR edits it in the app."""

DEFAULT_ACCESSIBILITY_STATEMENT = {
    "body_da": """\
Tilgængelighedserklæring for Dialogues

Vi ønsker, at alle kan bruge Dialogues, uanset funktionsevne. Løsningen er udviklet med henblik på at overholde standarden WCAG 2.1 på niveau AA, som offentlige myndigheder i Danmark skal overholde (EN 301 549).

Sådan har vi testet
Hver side testes automatisk med axe-core i en rigtig browser, og løsningen kan bruges med tastatur alene, med skærmlæser og på en mobiltelefon. Alle sider findes på dansk og engelsk.

Kendte begrænsninger
Vi kender ikke til indhold, der ikke overholder kravene. Oplever du et problem, vil vi gerne høre om det.

Kontakt
Skriv til HR, hvis du møder en barriere, eller hvis du har brug for indholdet i en anden form. Vi svarer normalt inden for fem arbejdsdage.

Klage
Er du ikke tilfreds med vores svar, kan du klage til Digitaliseringsstyrelsen, som fører tilsyn med webtilgængelighed i Danmark.
""",
    "body_en": """\
Accessibility statement for Dialogues

We want everyone to be able to use Dialogues, whatever their abilities. It is built to meet WCAG 2.1 level AA, the standard that Danish public bodies must meet (EN 301 549).

How we test
Every page is checked automatically with axe-core in a real browser, and the service can be used with a keyboard alone, with a screen reader and on a phone. Every page is available in Danish and English.

Known limitations
We know of no content that fails the requirements. If you meet a problem, please tell us.

Contact
Write to HR if you meet a barrier or need content in another form. We normally answer within five working days.

Complaints
If you are not satisfied with our answer, you can complain to the Agency for Digital Government (Digitaliseringsstyrelsen), which supervises web accessibility in Denmark.
""",
}
