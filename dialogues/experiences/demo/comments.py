"""The demo's comment bank: what people write about the dialogues, in Danish and English.

Every comment is composed from a *theme* (time pressure, good facilitation, fear of speaking in
front of the manager, …): a theme holds pairs of templates, ``(Danish, English)``, that say the
same thing in each language, so a Danish and an English comment of one theme really are about
the same thing. A template varies inside itself (``[a|b|c]`` picks one, an empty alternative
drops the part) and through slots (``{leader}``, ``{hr}``, ``{dlg}``…; ``{Leader}`` capitalises).
A comment is one or more templates, sometimes with an opener, an elaboration, a second theme or
a closer, and sometimes with the informal spelling of real people (a typo, no full stop,
"ik" for "ikke", "dont"). The same seed always gives the same comments.

The theme of a comment is known here only: the database stores the text, never the theme.
``comment_samples`` gives ``(text, language, theme)`` for benchmarks of theme grouping.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "NO_THEME",
    "THEMES",
    "Sample",
    "Writer",
    "comment_samples",
    "interview_comment",
    "open_comment",
    "why_comment",
]

# The label of an answer that says nothing ("No comments.", "See above.").
NO_THEME = "none"

Pair = tuple[str, str]


@dataclass(frozen=True)
class Theme:
    """What a group of comments is about; ``valence`` +1 praise, -1 complaint, 0 a wish.

    ``axis`` names the respondent's mood that makes the theme likelier (``safety``, ``follow``
    for follow-up, or ``general``). ``any`` fits every question the theme is used for,
    ``by_question`` only its question; ``intl`` replaces ``any`` for international staff.
    """

    valence: int
    any: tuple[Pair, ...] = ()
    short: tuple[Pair, ...] = ()
    more: tuple[Pair, ...] = ()
    by_question: Mapping[str, tuple[Pair, ...]] | None = None
    intl: tuple[Pair, ...] = ()
    axis: str = "general"


def _t(valence, any=(), short=(), more=(), by_question=None, intl=(), axis="general") -> Theme:
    return Theme(
        valence,
        tuple(any),
        tuple(short),
        tuple(more),
        {key: tuple(pairs) for key, pairs in (by_question or {}).items()},
        tuple(intl),
        axis,
    )


# fmt: off
THEMES: dict[str, Theme] = {
    "purpose_meaningful": _t(+1, any=[
        ("Det giver [rigtig god|god|fin] mening at [tale sammen|snakke sammen] om trivsel i stedet for [bare at udfylde et skema|endnu en spørgeskemaundersøgelse|et spørgeskema].",
         "It makes [a lot of|good|perfect] sense to talk [together|with each other] about well-being instead of [just filling in a form|yet another survey|a questionnaire]."),
        ("Formålet [var|er] klart: vi skal tale med hinanden, ikke om hinanden.",
         "The purpose [was|is] clear: we should talk with each other, not about each other."),
        ("Jeg [kan godt lide|synes godt om] tanken om, at dialogen i sig selv er [løftestangen|en del af løsningen].",
         "I [like|appreciate] the idea that the dialogue itself is [the lever|part of the solution]."),
        ("[Godt|Fint|Rigtig godt] at vi selv [får lov at|kan] sætte ord på, hvad der betyder noget for os, i stedet for at [ledelsen|HR] tolker på tal.",
         "[Good|Nice|Really good] that we [get to|can] put into words what matters to us, instead of [management|HR] interpreting numbers."),
        ("Dialogen gav mere end den gamle [trivselsundersøgelse|APV-undersøgelse|spørgeskemaundersøgelse], fordi vi [faktisk|rent faktisk] talte om [årsagerne|hvorfor].",
         "The dialogue gave more than the old [satisfaction survey|survey|questionnaire] because we [actually|really] talked about [the reasons|why]."),
        ("Formålet med {dlg} [blev godt forklaret|var tydeligt] fra start.",
         "The purpose of {dlg} [was explained well|was clear] from the start."),
    ], short=[
        ("Meningsfuldt.", "Meaningful."), ("God idé!", "Good idea!"),
        ("Giver god mening", "Makes sense"), ("Bedre end spørgeskemaer.", "Better than surveys."),
    ], more=[
        ("Man bliver klogere på hinanden.", "You get to know each other better."),
        ("Det skaber et fælles sprog for trivsel i {unit}.", "It creates a shared language for well-being in {unit}."),
        ("Det var første gang, vi talte så åbent om det.", "It was the first time we talked that openly about it."),
    ]),
    "purpose_unclear": _t(-1, any=[
        ("Det var [lidt|ret|meget] uklart, hvad formålet egentlig var, og hvad der skulle komme ud af det.",
         "It was [a bit|quite|very] unclear what the purpose actually was and what was supposed to come out of it."),
        ("Jeg [kunne ikke|kan stadig ikke] se forskel på {dlg} og [MUS|APV'en|vores almindelige personalemøder].",
         "I [couldn't|still can't] see the difference between {dlg} and [the annual appraisal|the workplace assessment|our normal staff meetings]."),
        ("Det føltes som endnu et møde, vi skulle holde, fordi [nogen|ledelsen|HR] havde besluttet det.",
         "It felt like yet another meeting we had to hold because [someone|management|HR] had decided so."),
        ("[Forskellen|Sammenhængen] mellem trivselsdialogen og ledelsesdialogen [står ikke klart|er ikke tydelig] for mig.",
         "The [difference|connection] between the well-being dialogue and the leadership dialogue [isn't clear|is not obvious] to me."),
        ("Hvad bliver det brugt til? Det [blev aldrig|er aldrig blevet] forklaret ordentligt.",
         "What is it used for? That was never [properly explained|explained properly]."),
    ], short=[
        ("Uklart formål.", "Unclear purpose."), ("Ved ikke helt, hvad pointen var", "Not sure what the point was"),
        ("Hvorfor?", "Why?"),
    ], more=[
        ("Mange kolleger var skeptiske på forhånd.", "Many colleagues were sceptical beforehand."),
        ("En kort forklaring i invitationen ville hjælpe.", "A short explanation in the invitation would help."),
        ("Vi har lige haft APV, så det føltes som en gentagelse.", "We just had the workplace assessment, so it felt like a repeat."),
    ]),
    "time_pressure": _t(-1, any=[
        ("Vi havde [alt for|simpelthen for|for] lidt tid[ til at komme i dybden| til selve snakken|].",
         "We had [far too|simply too|too] little time[ to go into depth| for the actual conversation|]."),
        ("{Time} er ikke nok, når [man skal nå både små grupper og plenum|der er så mange kort|alle skal sige noget].",
         "{Time} is not enough when [you have to do both small groups and plenary|there are so many cards|everyone should have a say]."),
        ("Det lå midt i [eksamensperioden|en travl periode|deadline-ugen], så mange var [stressede|kun halvt til stede|nødt til at gå før tid].",
         "It was in the middle of [the exam period|a busy period|deadline week], so many were [stressed|only half there|leaving early]."),
        ("Plenumdelen blev presset til sidst, fordi vi brugte for lang tid i grupperne.",
         "The plenary part got squeezed at the end because we spent too long in the groups."),
        ("Svært at finde tid i kalenderen, [især|ikke mindst] med undervisning og projekter.",
         "Hard to find time in the calendar, [especially|not least] with teaching and projects."),
    ], by_question={
        "transition_help": [
            ("[Mere tid|En pause|Ti minutter] mellem gruppearbejdet og plenum, så man kan [samle tankerne|nå at blive enige om, hvad man vil sige].",
             "[More time|A break|Ten minutes] between the group work and the plenary so you can [gather your thoughts|agree on what to say]."),
            ("At plenum [ikke ligger til sidst, når alle er trætte|får lige så meget tid som grupperne].",
             "That the plenary [isn't squeezed in at the end when everyone is tired|gets as much time as the groups]."),
        ],
        "do_more": [("Mere tid til selve dialogen – [hellere|gerne] [en hel eftermiddag|en halv dag|tre timer end to].",
                     "More time for the actual dialogue – [preferably|ideally] [a whole afternoon|half a day|three hours rather than two].")],
        "change_concepts": [("[Sæt mere tid af|Afsæt en halv dag], eller skær ned på antallet af [kort|spørgsmål].",
                             "[Set aside more time|Set aside half a day], or cut down the number of [cards|questions].")],
    }, short=[
        ("For lidt tid.", "Too little time."), ("Mere tid!", "More time!"),
        ("tiden var for kort", "time was too short"), ("Tidspres.", "Time pressure."),
    ], more=[
        ("Vi nåede kun [halvdelen af|et par af|få af] kortene.", "We only got through [half of|a couple of|a few of] the cards."),
        ("Det gik især ud over plenum.", "It mostly came at the expense of the plenary."),
        ("Nogle måtte gå før tid.", "Some had to leave early."),
    ]),
    "good_facilitation": _t(+1, any=[
        ("{Hr} faciliterede [rigtig godt|fint|godt] og sørgede for, at alle kom til orde.",
         "{Hr} facilitated [really well|well|nicely] and made sure everyone got a say."),
        ("Facilitatoren var god til at holde os på sporet uden at styre [for meget|samtalen].",
         "The facilitator was good at keeping us on track without [steering too much|controlling the conversation]."),
        ("Det hjalp [meget|rigtig meget], at en neutral person ledte [processen|mødet].",
         "It helped [a lot|a great deal] that a neutral person led [the process|the meeting]."),
        ("Dygtig facilitering – [hun|han] fangede stemningen og turde tage de svære ting op.",
         "Skilled facilitation – [she|he] picked up on the mood and dared to raise the difficult things."),
        ("Godt at facilitatoren [samlede op|opsummerede] undervejs, så vi kunne se, hvad vi var nået frem til.",
         "Good that the facilitator [summed up|recapped] along the way so we could see what we had arrived at."),
    ], by_question={
        "transition_help": [
            ("At facilitatoren [hjælper med at fremlægge|fremlægger|samler og fremlægger] gruppernes pointer, så det ikke hænger på [én person|den enkelte|de modige].",
             "That the facilitator [helps present|presents|collects and presents] the groups' points so it doesn't rest on [one person|the individual|the brave ones]."),
            ("En facilitator, der [tør stille opfølgende spørgsmål|spørger ind|holder fast], når det bliver [stille|svært].",
             "A facilitator who [dares to ask follow-up questions|probes|holds on] when it goes [quiet|difficult]."),
        ],
    }, short=[
        ("God facilitering.", "Good facilitation."), ("Super facilitator!", "Great facilitator!"),
        ("Godt styret", "Well run"),
    ], more=[
        ("Det skabte ro.", "It created a calm atmosphere."),
        ("Også de stille kom til orde.", "Even the quiet ones spoke up."),
        ("Tiden blev overholdt.", "We stuck to the time."),
    ]),
    "hr_preparation": _t(+1, any=[
        ("{Hr} var [super|rigtig godt|godt] forberedt og [kendte|havde sat sig ind i] vores situation.",
         "{Hr} was [super|really well|well] prepared and [knew|had looked into] our situation."),
        ("Planlægningsmødet med {hr} var [nyttigt|brugbart|en god hjælp]; vi fik afstemt forventningerne på forhånd.",
         "The planning meeting with {hr} was [useful|helpful|a good help]; we aligned expectations beforehand."),
        ("[Godt|Fint] samarbejde med HR om planlægningen – [klare|tydelige] aftaler, og materialet kom i god tid.",
         "[Good|Fine] collaboration with HR on the planning – clear [agreements|arrangements], and the material arrived in good time."),
        ("HR hjalp [mig med at forberede mig|os med at forberede os] på, hvad der kunne komme op, og det gjorde mig mere tryg.",
         "HR helped [me|us] prepare for what might come up, and that put me at ease."),
        ("Det var en stor hjælp, at {hr} tog sig af [det praktiske|invitationen og materialerne|det praktiske og kortene].",
         "It was a big help that {hr} took care of [the practical side|the invitation and materials|the practicalities and the cards]."),
    ], short=[
        ("Godt samarbejde med HR.", "Good collaboration with HR."),
        ("Godt forberedt HR-partner", "Well-prepared HR partner"), ("Meget positivt", "Very positive"),
    ], more=[
        ("Jeg ville ikke have kunnet gøre det uden.", "I couldn't have done it without that."),
        ("Tak for det!", "Thanks for that!"), ("Vi fik også en god tjekliste.", "We also got a good checklist."),
    ]),
    "hr_scheduling": _t(-1, any=[
        ("Det var svært at finde en dato, fordi {hr} [har mange enheder|er meget travl|er booket langt ud i fremtiden].",
         "It was hard to find a date because {hr} [covers many units|is very busy|is booked far ahead]."),
        ("HR kendte ikke [vores område|vores hverdag|kulturen hos os] [særlig godt|godt nok], så nogle af eksemplerne ramte ved siden af.",
         "HR didn't know [our area|our daily work|our culture] [very well|well enough], so some examples missed the mark."),
        ("Kommunikationen med HR før mødet var [lidt rodet|mangelfuld|sparsom]; vi vidste ikke, hvem der gjorde hvad.",
         "Communication with HR before the meeting was [a bit messy|lacking|sparse]; we didn't know who was doing what."),
        ("[Vi|Jeg] fik materialet [for sent|først dagen før], så der var ikke tid til at forberede sig ordentligt.",
         "[We|I] got the material [too late|only the day before], so there was no time to prepare properly."),
    ], short=[
        ("Svært at finde tid med HR.", "Hard to get time with HR."), ("Lidt rodet planlægning", "Planning was a bit messy"),
    ], more=[
        ("Det endte med at blive udskudt to gange.", "It ended up being postponed twice."),
        ("Men selve faciliteringen var fin.", "But the facilitation itself was fine."),
    ]),
    "small_group_openness": _t(+1, any=[
        ("I den lille gruppe uden {leader} [kunne vi tale|talte vi] [meget mere åbent|langt mere frit|helt frit].",
         "In the small group without {leader} we [could talk|talked] [much more openly|far more freely|completely freely]."),
        ("Det var [rart|befriende|godt] at kunne sige tingene, som de er, uden at {leader} sad med.",
         "It was [nice|liberating|good] to be able to say things as they are without {leader} in the room."),
        ("Den lille gruppe gjorde, at [også de stille|selv dem, der normalt ikke siger noget,|alle] fik sagt noget.",
         "The small group meant that [even the quiet ones|even those who usually say nothing|everyone] got to say something."),
        ("I gruppen [fik vi talt om|kom vi ind på] ting, som vi aldrig tager op på [et personalemøde|møderne|et almindeligt møde].",
         "In the group we [talked about|got into] things we never raise at [a staff meeting|meetings|a normal meeting]."),
        ("Gruppesamtalen uden leder var [klart|helt klart] den bedste del.",
         "The group conversation without the manager was [clearly|definitely] the best part."),
    ], by_question={
        "do_more": [("[Mere tid i|Flere runder i|Gerne igen] de små grupper uden {leader}.",
                     "[More time in|More rounds in|Again please:] the small groups without {leader}.")],
        "surprises": [("Hvor [åbent|ærligt|meget] folk [talte|fortalte], når {leader} ikke var der.",
                       "How [openly|honestly|much] people [talked|shared] when {leader} wasn't there.")],
    }, short=[
        ("Små grupper = åbenhed", "Small groups = openness"), ("Gode gruppesamtaler.", "Good group talks."),
        ("De små grupper virkede.", "The small groups worked."),
    ], more=[
        ("Der var tillid i rummet.", "There was trust in the room."),
        ("Vi grinte også en del.", "We also laughed quite a bit."),
        ("Det gav et godt grundlag for plenum.", "It gave a good basis for the plenary."),
    ]),
    "fear_manager": _t(-1, axis="safety", any=[
        ("Det er svært at sige noget kritisk, når {leader} sidder [lige overfor|i rummet|med ved bordet].",
         "It is hard to say anything critical when {leader} is [sitting right there|in the room|at the table]."),
        ("I plenum blev [alt|det meste|de kritiske punkter] [pakket ind|vandet ud|blødt op], og det vigtigste blev ikke sagt.",
         "In the plenary [everything|most things|the critical points] got [sugar-coated|watered down|softened], and the most important things weren't said."),
        ("Jeg [var|blev] bekymret for, om det, jeg sagde, ville [få konsekvenser|blive husket|påvirke min næste MUS].",
         "I [was|got] worried whether what I said would [have consequences|be remembered|affect my next appraisal]."),
        ("Når man er [midlertidigt ansat|postdoc|på tidsbegrænset kontrakt], tør man ikke [rigtig|helt] sige {leader} imod.",
         "When you are [on a temporary contract|a postdoc|on a fixed-term contract], you don't [really|quite] dare to contradict {leader}."),
        ("Stemningen ændrede sig [helt|markant|tydeligt], da {leader} kom ind.",
         "The mood changed [completely|noticeably|clearly] when {leader} came in."),
        ("Overgangen til plenum var [akavet|anspændt|ubehagelig]; folk blev pludselig meget stille.",
         "The transition to the plenary was [awkward|tense|uncomfortable]; people suddenly went very quiet."),
    ], by_question={
        "transition_help": [
            ("At {leader} [først hører pointerne|får pointerne på skrift] og svarer bagefter, så man ikke skal sige det direkte.",
             "That {leader} [hears the points first|gets the points in writing] and responds afterwards, so you don't have to say it directly."),
            ("Anonyme post-its eller en tavle, så man ikke kan se, hvem der har sagt hvad.",
             "Anonymous post-its or a board, so you can't tell who said what."),
        ],
    }, short=[
        ("Utrygt i plenum.", "Uneasy in plenary."), ("Svært med lederen til stede", "Hard with the manager present"),
        ("Turde ikke sige det hele.", "Didn't dare say everything."),
    ], more=[
        ("Jeg ved, at flere havde det på samme måde.", "I know several others felt the same."),
        ("Det er ikke {leader}s skyld, men sådan er magtforholdet.", "It's not {leader}'s fault, but that is the power balance."),
        ("Derfor sagde jeg ikke så meget.", "So I didn't say much."),
    ]),
    "manager_listened": _t(+1, axis="safety", any=[
        ("{Leader} [lyttede|lyttede rigtig godt] og [blev ikke defensiv|tog imod kritikken på en god måde|stillede gode spørgsmål].",
         "{Leader} [listened|really listened] and [didn't get defensive|took the criticism well|asked good questions]."),
        ("Det var positivt, at {leader} [takkede for|anerkendte] de ærlige input.",
         "It was positive that {leader} [thanked us for|acknowledged] the honest input."),
        ("{Leader} [forklarede baggrunden|fortalte åbent om baggrunden] for nogle af beslutningerne, og det gav [forståelse|mening].",
         "{Leader} [explained the background|talked openly about the background] to some of the decisions, and that [created understanding|made sense]."),
        ("Overgangen [gik fint|var naturlig|var nemmere end forventet], fordi {leader} var [åben|nysgerrig|lyttende].",
         "The transition [went fine|felt natural|was easier than expected] because {leader} was [open|curious|listening]."),
    ], by_question={
        "surprises": [("At {leader} var så [åben over for|god til at tage imod] kritik.",
                       "That {leader} was so [open to|good at taking] criticism."),
                      ("At {leader} [allerede kendte til|selv havde tænkt over] de fleste af problemerne.",
                       "That {leader} [already knew about|had already thought about] most of the problems.")],
    }, short=[
        ("Lederen lyttede.", "The manager listened."), ("God dialog med lederen", "Good dialogue with the manager"),
    ], more=[
        ("Det gav tillid til processen.", "That gave trust in the process."),
        ("Det har jeg ikke oplevet før.", "I haven't experienced that before."),
    ]),
    "group_presenting": _t(0, any=[
        ("Lad [grupperne|en ordstyrer fra hver gruppe] fremlægge de fælles pointer i stedet for enkeltpersoner.",
         "Let [the groups|a spokesperson from each group] present the shared points instead of individuals."),
        ("Skriv pointerne [anonymt|på en tavle|på flipover] før plenum, så det er gruppens og ikke den enkeltes.",
         "Write the points [anonymously|on a board|on a flip chart] before the plenary so they belong to the group, not the individual."),
        ("Aftal i gruppen på forhånd, hvad der [skal|må] siges i plenum.",
         "Agree in the group beforehand what [should|may] be said in the plenary."),
        ("En [kort pause|pause] før plenum, så man kan [forberede sig|samle trådene].",
         "A [short break|break] before the plenary so you can [prepare|pull the threads together]."),
    ], by_question={
        "transition": [
            ("Det hjalp, at grupperne fremlagde [samlet|i fællesskab], så ingen skulle stå alene med [kritikken|de svære ting].",
             "It helped that the groups presented [together|jointly] so nobody had to stand alone with [the criticism|the difficult things]."),
            ("Det var [fint|rart|en god idé], at én fra gruppen fremlagde på alles vegne.",
             "It was [good|nice|a good idea] that one person from the group presented on everyone's behalf."),
        ],
    }, short=[
        ("Fælles fremlæggelse", "Joint presentation"), ("Anonyme post-its!", "Anonymous post-its!"),
    ], more=[
        ("Så bliver det mindre personligt.", "Then it becomes less personal."),
        ("Det gør det nemmere for de nye.", "It makes it easier for newcomers."),
    ]),
    "no_follow_up": _t(-1, axis="follow", any=[
        ("Der skete [ikke rigtig noget|ingenting|ikke så meget] bagefter – [aftalerne forsvandt|vi hørte aldrig mere om det|det hele løb ud i sandet].",
         "[Nothing really|Nothing|Not much] happened afterwards – [the agreements disappeared|we never heard about it again|it all petered out]."),
        ("Det er uklart, hvem der [følger op|har ansvaret for at følge op] på aftalerne.",
         "It is unclear who [follows up|is responsible for following up] on the agreements."),
        ("Sidste år talte vi om [det samme|præcis de samme ting], og [intet|ikke meget] har ændret sig.",
         "Last year we talked about [the same thing|exactly the same things], and [nothing|not much] has changed."),
        ("Vi fik aldrig [referatet|dokumentationen|noget på skrift] efter mødet.",
         "We never got [the minutes|the documentation|anything in writing] after the meeting."),
        ("Hvis der ikke følges op, mister folk [troen på|lysten til] at deltage næste gang.",
         "If there is no follow-up, people lose [faith in|the motivation for] taking part next time."),
    ], by_question={
        "maintain": [("En [fast|tydelig|navngiven] ansvarlig for opfølgningen, så det ikke bare [glider ud|drukner i hverdagen].",
                      "A [fixed|clear|named] owner for the follow-up so it doesn't just [slide|drown in everyday work]."),
                     ("At nogen [spørger til|tjekker op på] aftalerne [efter et par måneder|inden sommerferien].",
                      "That someone [asks about|checks on] the agreements [after a couple of months|before the summer break].")],
    }, short=[
        ("Manglende opfølgning.", "No follow-up."), ("Hvad skete der bagefter?", "What happened afterwards?"),
        ("opfølgning!!", "follow up!!"),
    ], more=[
        ("Det er [lidt|ret] demotiverende.", "It is [a bit|rather] demotivating."),
        ("Vi har ikke hørt, hvad der kom ud af {dlg}.", "We haven't heard what came out of {dlg}."),
    ]),
    "written_agreements": _t(+1, axis="follow", any=[
        ("Godt at aftalerne blev skrevet ned med [en ansvarlig og en dato|navn og dato|hvem og hvornår].",
         "Good that the agreements were written down with [an owner and a date|a name and a date|who and when]."),
        ("Det [gør en forskel|hjælper], at vi kan se aftalerne [bagefter|i systemet|igen] og følge status.",
         "It [makes a difference|helps] that we can see the agreements [afterwards|in the system|again] and follow their status."),
        ("[Konkrete|Få og konkrete] aftaler gjorde det nemmere at [holde fast|følge op].",
         "[Concrete|Few, concrete] agreements made it easier to [stick to them|follow up]."),
        ("Vi [sluttede af med|fik lavet] en kort handlingsplan, som [blev sendt rundt|alle fik].",
         "We [ended with|made] a short action plan that [was circulated|everyone received]."),
    ], by_question={
        "maintain": [("Gennemgå [aftalerne|handlingsplanen] [hvert kvartal|et par gange om året] på {meeting}.",
                      "Go through [the agreements|the action plan] [every quarter|a couple of times a year] at {meeting}.")],
    }, short=[
        ("Gode konkrete aftaler.", "Good concrete agreements."), ("Skriv det ned!", "Write it down!"),
    ], more=[
        ("Så kan man holde hinanden op på det.", "Then we can hold each other to it."),
        ("Det gør det mere forpligtende.", "It makes it more binding."),
    ]),
    "more_frequent": _t(0, any=[
        ("Kortere dialoger [oftere|flere gange om året], fx [hvert halve år|hvert kvartal], frem for én stor om året.",
         "Shorter dialogues [more often|several times a year], e.g. [every six months|every quarter], rather than one big one a year."),
        ("Én gang om året er [for lidt|ikke nok] – [tingene|stemningen] kan nå at ændre sig meget.",
         "Once a year is [too little|not enough] – [things|the mood] can change a lot in that time."),
        ("En kort [opfølgningsdialog|statussnak] et halvt år efter ville [holde det i live|gøre en forskel].",
         "A short [follow-up dialogue|status talk] six months later would [keep it alive|make a difference]."),
        ("Små [check-ins|tjek-ind] i hverdagen i stedet for kun den store dialog.",
         "Small check-ins in everyday work instead of only the big dialogue."),
    ], short=[
        ("Oftere!", "More often!"), ("Hyppigere dialoger", "More frequent dialogues"),
        ("2 gange årligt", "twice a year"),
    ], more=[
        ("Så bliver det en vane og ikke en begivenhed.", "Then it becomes a habit and not an event."),
        ("Det behøver ikke være lange møder.", "They don't need to be long meetings."),
    ]),
    "standing_agenda": _t(0, axis="follow", any=[
        ("Gør trivsel til et fast punkt på {meeting}.", "Make well-being a standing item at {meeting}."),
        ("Et [kort|fast] punkt på dagsordenen, hvor vi ser på [status for aftalerne|hvordan det går med aftalerne].",
         "A [short|fixed] item on the agenda where we look at [the status of the agreements|how the agreements are going]."),
        ("[LSU|AMR|Arbejdsmiljøgruppen] kunne [tage det op|følge op] [et par gange om året|løbende].",
         "[LSU|The work environment rep|The work environment group] could [take it up|follow up] [a couple of times a year|on an ongoing basis]."),
        ("At {leader} [nævner|vender tilbage til] aftalerne [af og til|jævnligt] på {meeting}.",
         "That {leader} [mentions|comes back to] the agreements [now and then|regularly] at {meeting}."),
    ], short=[
        ("Fast punkt på møderne", "Standing agenda item"), ("Status på møderne", "Status at meetings"),
    ], more=[
        ("Det kræver ikke meget, bare fem minutter.", "It doesn't take much, just five minutes."),
        ("Så glemmer vi det ikke.", "Then we don't forget it."),
    ]),
    "method_rigid": _t(-1, any=[
        ("Metoden føltes [lidt|ret|for] [stiv|firkantet|styret] – vi skulle følge kortene, selvom samtalen gik i en anden retning.",
         "The method felt [a bit|rather|too] [rigid|mechanical|scripted] – we had to follow the cards even when the conversation went another way."),
        ("[Kortene|Dialogkortene] var [for generelle|for mange|lidt kunstige] til vores hverdag.",
         "The [cards|dialogue cards] were [too generic|too many|a bit artificial] for our everyday work."),
        ("Der var for meget [struktur|proces] og for lidt [plads til det, der faktisk fylder|rigtig snak].",
         "There was too much [structure|process] and too little [room for what actually matters|real talk]."),
        ("[Konceptet|Formatet] passer bedre til [administrationen|store enheder|et kontor] end til [et laboratorium|en forskningsgruppe|os].",
         "The [concept|format] fits [administration|large units|an office] better than [a lab|a research group|us]."),
        ("Lad os selv vælge [temaerne|kortene] – det ville gøre det mere relevant.",
         "Let us choose [the topics|the cards] ourselves – that would make it more relevant."),
    ], short=[
        ("For stift.", "Too rigid."), ("Lidt for skemalagt", "A bit too scripted"), ("Færre kort", "Fewer cards"),
    ], more=[
        ("Det blev lidt [tjekliste-agtigt|mekanisk].", "It became a bit [tick-box|mechanical]."),
        ("Ellers ok.", "Otherwise ok."),
    ]),
    "tools_useful": _t(+1, any=[
        ("Dialogkortene var en god hjælp til at [komme i gang|bryde isen|holde fokus].",
         "The dialogue cards were a good help to [get started|break the ice|keep focus]."),
        ("Filmen gav et [godt|fint] billede af, hvad det handlede om.",
         "The film gave a [good|clear] picture of what it was about."),
        ("Vi [så filmen|gennemgik materialet] på [et personalemøde|LSU-mødet] på forhånd, og det gjorde det nemmere.",
         "We [watched the film|went through the material] at [a staff meeting|the LSU meeting] beforehand, and that made it easier."),
        ("Materialet om næste skridt [var brugbart|hjalp os] til at gøre aftalerne konkrete.",
         "The next-step material [was useful|helped us] to make the agreements concrete."),
    ], short=[("Gode kort.", "Good cards."), ("Filmen var god", "The film was good")], more=[
        ("Især spørgsmålene på kortene.", "Especially the questions on the cards."),
        ("Kan anbefales.", "Can recommend."),
    ]),
    "language": _t(-1, any=[
        ("Det foregik [mest|udelukkende|næsten kun] på dansk, så {intl} [var lidt udenfor|havde svært ved at følge med|sagde næsten ingenting].",
         "It was [mostly|entirely|almost only] in Danish, so {intl} [were a bit left out|struggled to follow|hardly said anything]."),
        ("Vi skal have [materialet|kortene|invitationen] på engelsk også – [mange|halvdelen] af folkene i {unit} er internationale.",
         "We need [the material|the cards|the invitation] in English too – [many|half] of the people in {unit} are international."),
        ("Når grupperne skiftede til dansk, [faldt|røg] {intl} ud af samtalen.",
         "When the groups switched to Danish, {intl} [dropped|fell] out of the conversation."),
        ("Sprog bør tænkes ind fra start: [engelske grupper|en engelsktalende gruppe|tolkning] ville hjælpe.",
         "Language should be considered from the start: [English-speaking groups|an English-speaking group|interpretation] would help."),
    ], intl=[
        ("Som [international medarbejder|ikke-dansktalende] var det svært at følge med, når det hele foregik på dansk.",
         "As [an international employee|a non-Danish speaker] it was hard to follow when everything was in Danish."),
        ("Jeg [forstod ikke|fik ikke fat i] alt i plenum, og det [er svært|føles dumt] at bede om en oversættelse hele tiden.",
         "I [didn't understand|didn't catch] everything in the plenary, and it [is hard|feels awkward] to keep asking for a translation."),
        ("[Kortene|Filmen|Materialet] fandtes kun på dansk, så jeg måtte [bruge Google Translate|spørge en kollega].",
         "[The cards|The film|The material] only existed in Danish, so I had to [use Google Translate|ask a colleague]."),
        ("Jeg var i en engelsktalende gruppe, og det fungerede [godt|fint], men plenum var på dansk.",
         "I was in an English-speaking group, and that worked [well|fine], but the plenary was in Danish."),
        ("Det er svært at give ærlig feedback på et andet sprog, [især|ikke mindst] når det handler om følelser.",
         "It is hard to give honest feedback in a second language, [especially|not least] when it is about feelings."),
    ], short=[
        ("Sprogbarriere.", "Language barrier."), ("På engelsk tak", "In English please"),
        ("Engelsk materiale!", "English material please!"),
    ], more=[
        ("Det bør være nemt at løse.", "That should be easy to fix."),
        ("Det er ikke første gang.", "It's not the first time."),
        ("Ellers en god oplevelse.", "Otherwise a good experience."),
    ]),
    "colleagues_share": _t(0, any=[
        ("Hvor mange der [har det på samme måde|deler de samme bekymringer|oplever det samme] – man troede, man var alene med det.",
         "How many [feel the same way|share the same concerns|experience the same thing] – you thought you were alone with it."),
        ("At vi oplever [arbejdsmiljøet|hverdagen|samarbejdet] så forskelligt, selvom vi sidder [på samme gang|tæt på hinanden|i samme gruppe].",
         "That we experience [the working environment|everyday work|the collaboration] so differently, even though we sit [in the same corridor|close to each other|in the same group]."),
        ("At de yngre kolleger [oplever|har] et helt andet pres end [os andre|de fastansatte|seniorerne].",
         "That younger colleagues [experience|are under] a completely different pressure than [the rest of us|permanent staff|seniors]."),
        ("[Egentlig|Faktisk] at vi var så enige om, hvad der er vigtigst.",
         "[Actually,|Honestly,] that we agreed so much on what matters most."),
    ], short=[("At vi er så enige.", "That we agree so much."), ("Hvor ens vi har det", "How similar we feel")],
    more=[
        ("Det var en øjenåbner.", "It was an eye-opener."),
        ("Det har gjort mig mere forstående.", "It has made me more understanding."),
    ]),
    "stress_revealed": _t(-1, any=[
        ("Hvor mange der [føler sig pressede|er stressede|har for meget at lave] – også folk, man ikke ville have troet det om.",
         "How many [feel under pressure|are stressed|have too much on their plate] – also people you wouldn't have expected."),
        ("At arbejdsbyrden fylder så meget hos [de fleste|næsten alle|mange].",
         "That the workload weighs so heavily on [most people|almost everyone|many]."),
        ("At [undervisningsbyrden|fordelingen af opgaver|presset for at skrive ansøgninger] er så stort et tema.",
         "That [the teaching load|the distribution of tasks|the pressure to write grant applications] is such a big issue."),
    ], short=[("Stressniveauet.", "The stress level."), ("Arbejdspresset", "The workload")], more=[
        ("Det skal vi tage alvorligt.", "We need to take that seriously."),
        ("Det bør ledelsen kende til.", "Management should know about that."),
    ]),
    "manager_perspective": _t(+1, any=[
        ("Som leder var det [lærerigt|værdifuldt|godt] at høre [medarbejdernes|jeres] ærlige input, også når det [var svært|gjorde lidt ondt].",
         "As a manager it was [instructive|valuable|good] to hear [the staff's|your] honest input, even when it [was hard|stung a bit]."),
        ("Jeg fik [øjnene op for|indsigt i] ting, som [jeg ikke hører i hverdagen|ikke kommer frem til MUS].",
         "I [had my eyes opened to|gained insight into] things that [I don't hear day to day|don't come up in appraisals]."),
        ("Som leder [er|var] det svært at vide, hvor meget man skal svare på med det samme, og hvad man skal tage med hjem.",
         "As a manager it [is|was] hard to know how much to respond to on the spot and what to take home."),
        ("Forberedelsen sammen med HR gjorde mig [tryggere|mere rolig] som leder.",
         "Preparing together with HR made me [more confident|calmer] as a manager."),
    ], short=[("Lærerigt som leder.", "Instructive as a manager.")], more=[
        ("Jeg har allerede ændret et par ting.", "I have already changed a few things."),
        ("Det kræver mod fra begge sider.", "It takes courage on both sides."),
    ]),
    "social_cohesion": _t(+1, any=[
        ("Mere [snak på tværs af grupperne|tid sammen på tværs], det [styrker fællesskabet|var rart].",
         "More [talk across the groups|time together across groups], it [strengthens the community|was nice]."),
        ("Vi bør [gøre mere ud af|blive ved med] at tale om, hvad der [fungerer|går godt], ikke kun problemerne.",
         "We should [do more of|keep] talking about what [works|goes well], not only the problems."),
        ("[Gerne|Meget gerne] mere af den [uformelle snak|gode stemning] – [fx med kage|evt. med frokost bagefter|det behøver ikke være så formelt].",
         "[Gladly|Definitely] more of the [informal talk|good atmosphere] – [e.g. with cake|maybe with lunch afterwards|it doesn't have to be so formal]."),
        ("Mere anerkendelse af hinanden – [det gav energi|det glemmer vi i hverdagen].",
         "More recognition of each other – [it gave energy|we forget that in daily work]."),
        ("[Blande grupperne|Sætte grupperne sammen på tværs], så man taler med [nogle andre end dem, man plejer|kolleger fra andre grupper].",
         "[Mix the groups|Put the groups together across teams] so you talk to [others than usual|colleagues from other groups]."),
    ], short=[("Mere fællesskab", "More community"), ("Mere af det samme :)", "More of the same :)")], more=[
        ("Det var en god dag.", "It was a good day."), ("Stemningen var god.", "The atmosphere was good."),
    ]),
    "concrete_focus": _t(0, any=[
        ("Færre og mere konkrete aftaler – [hellere tre end ti|hellere få, der bliver til noget].",
         "Fewer and more concrete agreements – [better three than ten|better a few that actually happen]."),
        ("Mere fokus på [løsninger|hvad vi selv kan gøre] og mindre på [at brokke os|ting, vi ikke har indflydelse på].",
         "More focus on [solutions|what we can do ourselves] and less on [complaining|things we can't influence]."),
        ("Prioritér [de vigtigste|et par] emner i stedet for at nå hele vejen rundt.",
         "Prioritise [the most important|a couple of] topics instead of trying to cover everything."),
    ], short=[("Mere konkret.", "More concrete."), ("Færre emner", "Fewer topics")], more=[
        ("Så er det nemmere at følge op.", "Then it's easier to follow up."),
    ]),
    # The "why" after a closed answer.
    "tools_not_used": _t(-1, any=[
        ("Vi [så ikke filmen|har ikke set filmen] – jeg vidste ikke, at den fandtes.",
         "We [didn't watch the film|haven't seen the film] – I didn't know it existed."),
        ("Materialet blev [ikke præsenteret|aldrig vist] for os på forhånd.",
         "The material was [not presented|never shown] to us beforehand."),
        ("Det blev [ikke drøftet|aldrig drøftet] i LSU, så vidt jeg ved.",
         "It was [not discussed|never discussed] in LSU as far as I know."),
        ("Vi brugte kun [kortene|et par af kortene], ikke resten.",
         "We only used [the cards|a few of the cards], nothing else."),
    ], short=[("Kendte ikke til det", "Didn't know about them"), ("Ikke set filmen", "Haven't seen the film")]),
    "own_facilitation_ok": _t(+1, any=[
        ("Vi [har prøvet|kunne godt] selv – [AMR'en|vores AMR|en erfaren kollega] kan sagtens facilitere.",
         "We [have tried|could do it] ourselves – [the AMR|our work environment rep|an experienced colleague] could easily facilitate."),
        ("Efter at have set, hvordan HR gjorde det, [tør vi godt|ville vi godt turde] selv næste gang.",
         "Having seen how HR did it, we [would dare|would be comfortable] to do it ourselves next time."),
        ("Trivselsdialogen kan vi godt køre selv – [ledelsesdialogen er en anden sag|det er mere ledelsesdialogen, jeg er i tvivl om].",
         "We can run the well-being dialogue ourselves – [the leadership dialogue is another matter|it's more the leadership dialogue I'm unsure about]."),
    ], short=[("Ja, det tør vi godt", "Yes, we would dare")]),
    "need_neutral_facilitator": _t(-1, any=[
        ("Det kræver en neutral person udefra – ellers [bliver det lederens møde|tør folk ikke sige noget].",
         "It needs a neutral outsider – otherwise [it becomes the manager's meeting|people won't say anything]."),
        ("Jeg ville ikke turde uden HR; [der er for mange spændinger|vi er for tæt på hinanden] hos os.",
         "I wouldn't dare without HR; [there are too many tensions|we are too close to each other] in our unit."),
        ("Det kræver erfaring at facilitere, og det har vi ikke [i sektionen|hos os].",
         "Facilitating takes experience, and we don't have that [in the section|in our unit]."),
    ], short=[("Ikke uden HR", "Not without HR")]),
    "tr_amr_helped": _t(+1, any=[
        ("Jeg talte med [vores AMR|min TR] bagefter, og det hjalp at få [luft|det vendt|sparring].",
         "I talked to [our work environment rep|my union rep] afterwards, and it helped to [vent|talk it through|get advice]."),
        ("[AMR'en|TR] tog det videre [på en god måde|anonymt], så jeg ikke skulle stå frem.",
         "[The AMR|The union rep] took it further [in a good way|anonymously], so I didn't have to come forward."),
    ], short=[("AMR hjalp", "The AMR helped")]),
    "tr_amr_not_needed": _t(0, any=[
        ("Det var ikke [alvorligt nok|så slemt] til, at jeg [ville gå|syntes, jeg skulle gå] videre med det.",
         "It wasn't [serious enough|that bad] for me to [take it further|want to take it further]."),
        ("Jeg [tog det|har taget det] direkte med {leader} bagefter.",
         "I [took it|have taken it] directly with {leader} afterwards."),
        ("Det var mere en [generel|lidt underlig] stemning end noget konkret.",
         "It was more a [general|slightly odd] atmosphere than anything concrete."),
    ], short=[("Ikke nødvendigt.", "Not necessary.")]),
    "tr_amr_hesitant": _t(-1, any=[
        ("[AMR'en|Vores AMR] sad selv i gruppen, så det føltes [ikke rigtigt|akavet].",
         "[The AMR|Our work environment rep] was in the group too, so it felt [wrong|awkward]."),
        ("Jeg ved ærlig talt ikke, hvem der er [vores AMR|TR hos os|AMR i sektionen].",
         "Honestly, I don't know who [our work environment rep|our union rep|the AMR in the section] is."),
        ("Jeg vil ikke [gøre et stort nummer ud af det|være den, der klager].",
         "I don't want to [make a big deal of it|be the one who complains]."),
    ], short=[("Ved ikke, hvem det er", "Don't know who that is")]),
    "felt_trust": _t(+1, axis="safety", any=[
        ("Der var en god og tryg stemning i [gruppen|rummet].", "There was a good and safe atmosphere in [the group|the room]."),
        ("Vi kender hinanden godt, så det var [ikke noget problem|helt naturligt].",
         "We know each other well, so it was [no problem|completely natural]."),
        ("[Facilitatoren|HR] [lagde godt ud|satte gode rammer] med aftaler om fortrolighed.",
         "[The facilitator|HR] [started well|set a good frame] with agreements on confidentiality."),
        ("Helt tryg – [vi har en god kultur|der er højt til loftet] hos os.",
         "Completely safe – [we have a good culture|there is room for different views] in our unit."),
    ], short=[("Trygt.", "Felt safe."), ("Fin stemning", "Good atmosphere")]),
}
# fmt: on

# Which themes answer which open question (the seeded guide's questions, by key), by weight.
QUESTION_THEMES: dict[str, dict[str, float]] = {
    "purpose": {
        "purpose_meaningful": 5, "purpose_unclear": 3, "time_pressure": 1.5,
        "more_frequent": 1, "method_rigid": 1, "language": 0.5, "colleagues_share": 0.5,
    },
    "hr_collaboration": {
        "hr_preparation": 5, "good_facilitation": 4, "hr_scheduling": 1.5, "time_pressure": 0.7,
        "language": 0.4, "manager_perspective": 1,
    },
    "transition": {
        "fear_manager": 3, "manager_listened": 3, "group_presenting": 2,
        "small_group_openness": 1.5, "good_facilitation": 1, "time_pressure": 1, "language": 0.6,
        "manager_perspective": 1,
    },
    "transition_help": {
        "group_presenting": 4, "good_facilitation": 2.5, "fear_manager": 1.2, "time_pressure": 1.5,
        "language": 0.7, "method_rigid": 0.5,
    },
    "maintain": {
        "standing_agenda": 5, "more_frequent": 3, "written_agreements": 2, "no_follow_up": 2.5,
        "concrete_focus": 1,
    },
    "change_concepts": {
        "method_rigid": 2.5, "time_pressure": 2, "more_frequent": 2.5, "language": 1.2,
        "no_follow_up": 1.5, "concrete_focus": 1.5, "purpose_unclear": 1, "group_presenting": 0.8,
    },
    "surprises": {
        "colleagues_share": 4, "stress_revealed": 2.5, "small_group_openness": 2,
        "manager_listened": 1.5, "fear_manager": 1, "manager_perspective": 2, "no_follow_up": 0.5,
    },
    "do_more": {
        "small_group_openness": 2.5, "more_frequent": 2.5, "social_cohesion": 2.5,
        "concrete_focus": 2, "written_agreements": 1.2, "time_pressure": 1, "tools_useful": 0.8,
    },
}  # fmt: skip
# A question the bank does not know (HR may add one): the general themes.
OTHER_QUESTION = {
    "purpose_meaningful": 1, "time_pressure": 1, "more_frequent": 1, "method_rigid": 1,
    "no_follow_up": 1, "social_cohesion": 1,
}  # fmt: skip

# The "why" of a closed answer: (question key, choice) → themes by weight.
WHY_THEMES: dict[tuple[str, str], dict[str, float]] = {
    ("support_tools", "yes"): {"tools_useful": 4, "hr_preparation": 1},
    ("support_tools", "partly"): {"tools_useful": 1, "tools_not_used": 2},
    ("support_tools", "no"): {"tools_not_used": 4, "time_pressure": 1},
    ("support_tools", "na"): {"tools_not_used": 1},
    ("without_hr", "yes"): {"own_facilitation_ok": 4},
    ("without_hr", "partly"): {"own_facilitation_ok": 2, "need_neutral_facilitator": 2},
    ("without_hr", "no"): {"need_neutral_facilitator": 4, "own_facilitation_ok": 1.5},
    ("small_group_essentials", "yes"): {"small_group_openness": 4, "felt_trust": 1},
    ("small_group_essentials", "partly"): {"time_pressure": 3, "method_rigid": 1},
    ("small_group_essentials", "no"): {"time_pressure": 2, "method_rigid": 2},
    ("felt_safe", "yes"): {"felt_trust": 4, "small_group_openness": 1, "good_facilitation": 1},
    ("felt_safe", "partly"): {"fear_manager": 4, "language": 1},
    ("felt_safe", "no"): {"fear_manager": 5},
    ("talked_to_tr_amr", "yes"): {"tr_amr_helped": 4},
    ("talked_to_tr_amr", "no"): {"tr_amr_not_needed": 3, "tr_amr_hesitant": 3},
    ("talked_to_tr_amr", "na"): {"tr_amr_not_needed": 1},
    ("large_group_essentials", "yes"): {"manager_listened": 3, "group_presenting": 1},
    ("large_group_essentials", "partly"): {"fear_manager": 2, "time_pressure": 2},
    ("large_group_essentials", "no"): {"fear_manager": 3, "time_pressure": 2},
    ("next_step", "yes"): {"written_agreements": 4},
    ("next_step", "partly"): {"no_follow_up": 2, "time_pressure": 2},
    ("next_step", "no"): {"no_follow_up": 3, "time_pressure": 2},
}
# What the answer to a closed question starts with, now and then ("Ja, …", "No, …").
ANSWER_WORDS = {
    "yes": ("Ja", "Yes"), "no": ("Nej", "No"), "partly": ("Delvist", "Partly"),
    "na": ("Ikke relevant", "N/a"),
}  # fmt: skip

# fmt: off
SLOTS = {
    "da": {
        "leader": ["lederen", "lederen", "vores leder", "min leder", "chefen"],
        "hr": ["HR-partneren", "vores HR-partner", "HR", "HR-konsulenten"],
        "unit": ["sektionen", "gruppen", "afdelingen", "instituttet"],
        "meeting": ["sektionsmøderne", "personalemøderne", "gruppemøderne", "vores ugemøder"],
        "intl": ["de internationale kolleger", "vores internationale kolleger", "de ikke-dansktalende kolleger"],
        "time": ["to timer", "halvanden time", "tre timer"],
    },
    "en": {
        "leader": ["the manager", "the manager", "our manager", "my manager", "the boss"],
        "hr": ["the HR partner", "our HR partner", "HR", "the HR consultant"],
        "unit": ["the section", "the group", "the department", "our team"],
        "meeting": ["section meetings", "staff meetings", "group meetings", "our weekly meetings"],
        "intl": ["international colleagues", "our international staff", "non-Danish speakers"],
        "time": ["two hours", "an hour and a half", "three hours"],
    },
}
DIALOGUE = {
    ("da", "wellbeing"): ["trivselsdialogen", "dialogen"],
    ("da", "leadership"): ["ledelsesdialogen", "dialogen"],
    ("en", "wellbeing"): ["the well-being dialogue", "the dialogue", "the wellbeing session"],
    ("en", "leadership"): ["the leadership dialogue", "the dialogue", "the leadership session"],
}
OPENERS = {  # by valence: 0 goes with anything
    0: [("Overordnet set:", "Overall:"), ("Tja.", "Hmm."), ("Svært at sige.", "Hard to say."),
        ("Kort sagt:", "In short:"), ("Ærligt talt:", "Honestly,"), ("Som sagt i gruppen:", "As I said in the group,")],
    1: [("Generelt en god oplevelse.", "Generally a good experience."), ("Positivt!", "Positive!"),
        ("Rigtig god proces.", "Really good process."),
        ("Jeg var skeptisk, men det var faktisk godt.", "I was sceptical, but it was actually good.")],
    -1: [("Blandede følelser.", "Mixed feelings."), ("Desværre ikke så godt.", "Unfortunately not great."),
         ("Det var lidt skuffende.", "It was a bit disappointing."), ("Jeg havde forventet mere.", "I expected more.")],
}
CLOSERS = {
    0: [("Bare mine to øre.", "Just my two cents."), ("Tak for at spørge.", "Thanks for asking."),
        ("Det var det.", "That's it."), ("Held og lykke med det.", "Good luck with it.")],
    1: [("Tak for initiativet!", "Thanks for the initiative!"), ("Fortsæt endelig!", "Please keep it up!"),
        (":)", ":)"), ("Alt i alt godt.", "All in all good.")],
    -1: [("Håber, det bliver bedre næste gang.", "Hope it gets better next time."),
         ("Det må kunne gøres bedre.", "Surely this can be done better."), ("Men idéen er god.", "But the idea is good.")],
}
NOTHING = [
    ("Ingen kommentarer.", "No comments."), ("Ved ikke.", "Don't know."), ("Intet at tilføje.", "Nothing to add."),
    ("Se ovenfor.", "See above."), ("Det samme som ovenfor", "Same as above"), ("-", "-"),
    ("Ikke noget særligt.", "Nothing in particular."),
]
# How a group interview's notes start (the HR partner writes them).
INTERVIEW_HEADS = [
    ("Flere nævnte:", "Several mentioned:"), ("Fra gruppen:", "From the group:"),
    ("Pointer fra gruppen:", "Points from the group:"), ("Gruppen var enig om:", "The group agreed on:"),
]
# fmt: on

# Concept and role shift how often a theme comes up.
CONCEPT_FACTOR = {
    "leadership": {"fear_manager": 1.6, "manager_listened": 1.3, "stress_revealed": 0.6},
    "wellbeing": {"stress_revealed": 1.5, "social_cohesion": 1.3, "colleagues_share": 1.2,
                  "fear_manager": 0.7},
}  # fmt: skip


@dataclass(frozen=True)
class Writer:
    """Whoever writes: their language, whether international staff or a manager, the concept."""

    language: str = "da"
    concept: str = "wellbeing"
    international: bool = False
    manager: bool = False


class Sample(NamedTuple):
    text: str
    language: str
    theme: str


# --- filling templates -------------------------------------------------------------------------

_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")


def _slot_values(name: str, writer: Writer) -> list[str]:
    if name == "dlg":
        return DIALOGUE[(writer.language, writer.concept)]
    return SLOTS[writer.language][name]


def fill(template: str, rng: random.Random, writer: Writer) -> str:
    """One variant of ``template``: alternatives picked, slots filled, spaces tidied."""
    text = _ALTERNATIVES.sub(lambda match: rng.choice(match.group(1).split("|")), template)

    def slot(match: re.Match) -> str:
        name = match.group(1)
        value = rng.choice(_slot_values(name.lower(), writer))
        return value[:1].upper() + value[1:] if name[:1].isupper() else value

    text = _SLOT.sub(slot, text)
    text = re.sub(r" {2,}", " ", text)
    return re.sub(r"\s+([.,;:!?])", r"\1", text).strip()


def _side(pair: Pair, writer: Writer) -> str:
    return pair[0] if writer.language == "da" else pair[1]


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first == "I" or first.startswith("I'") or (len(first) > 1 and first.isupper()):
        return text
    return text[:1].lower() + text[1:]


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = [key for key, weight in weights.items() if weight > 0]
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


def _core(
    rng: random.Random, key: str, question: str | None, writer: Writer, used: set | None = None
) -> str:
    """A sentence of theme ``key``, from a template not in ``used`` (which it joins)."""
    theme = THEMES[key]
    pool = theme.intl if writer.international and theme.intl else theme.any
    own = (theme.by_question or {}).get(question or "", ())
    if own and (not pool or rng.random() < 0.45):
        pool = own
    used = set() if used is None else used
    fresh = [pair for pair in pool if pair not in used] or [
        pair for pair in (*theme.any, *theme.intl, *own) if pair not in used
    ]
    pair = rng.choice(fresh or pool)
    used.add(pair)
    return fill(_side(pair, writer), rng, writer)


# --- informal writing --------------------------------------------------------------------------

_DANISH_SLIPS = [(" ikke ", " ik "), ("også", "osse"), ("synes", "syntes"), ("nogle", "nogen")]
_ENGLISH_SLIPS = [("don't", "dont"), ("it's", "its"), ("didn't", "didnt"), ("a lot", "alot")]


def _typo(rng: random.Random, text: str) -> str:
    words = [
        (match.start(), match.group())
        for match in re.finditer(r"[^\W\d_]{5,}", text)
        if not match.group().isupper()
    ]
    if not words:
        return text
    start, word = rng.choice(words)
    at = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        changed = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind == 1:
        changed = word[:at] + word[at + 1 :]
    else:
        changed = word[:at] + word[at] + word[at:]
    return text[:start] + changed + text[start + len(word) :]


def informal(text: str, rng: random.Random, language: str) -> str:
    """Now and then write as people do: a slip, a typo, no capital, no full stop."""
    for wrong, slip in _DANISH_SLIPS if language == "da" else _ENGLISH_SLIPS:
        if wrong in text and rng.random() < 0.25:
            text = text.replace(wrong, slip, 1)
    if rng.random() < 0.08:
        text = _typo(rng, text)
    if rng.random() < 0.12:
        text = _lower_first(text)
    roll = rng.random()
    if text.endswith(".") and not text.endswith("..") and roll < 0.2:
        text = text[:-1]
    elif text.endswith(".") and roll < 0.24:
        text = text[:-1] + rng.choice(["!", "...", "!!"])
    return text


# --- comments ----------------------------------------------------------------------------------


def theme_weights(
    weights: Mapping[str, float], writer: Writer, tilts: Mapping[str, float] | None = None
) -> dict[str, float]:
    """``weights`` shifted by concept, role, language and mood (``tilts`` by axis, + is happier)."""
    tilts = tilts or {}
    factors = CONCEPT_FACTOR.get(writer.concept, {})
    shifted = {}
    for key, weight in weights.items():
        theme = THEMES[key]
        weight *= factors.get(key, 1.0)
        weight *= math.exp(0.8 * theme.valence * tilts.get(theme.axis, 0.0))
        if key == "manager_perspective" and not writer.manager:
            weight = 0
        elif key == "fear_manager" and writer.manager:
            weight *= 0.15
        elif key == "language":
            weight *= 6 if writer.international else 0.8
        shifted[key] = weight
    return shifted


def _decorated(rng: random.Random, writer: Writer, valence: int, table) -> str:
    pool = table[0] + (table[valence] if valence else [])
    return fill(_side(rng.choice(pool), writer), rng, writer)


def compose(
    rng: random.Random,
    weights: Mapping[str, float],
    writer: Writer,
    question: str | None = None,
    *,
    nothing: float = 0.04,
) -> tuple[str, str]:
    """One comment on ``question`` from the themes in ``weights``: ``(text, theme)``."""
    if rng.random() < nothing:
        return _side(rng.choice(NOTHING), writer), NO_THEME
    key = _weighted(rng, weights)
    theme = THEMES[key]
    style = rng.random()
    if style < 0.14 and theme.short:
        return informal(fill(_side(rng.choice(theme.short), writer), rng, writer), rng,
                        writer.language), key  # fmt: skip
    parts: list[str] = []
    if rng.random() < 0.18:
        parts.append(_decorated(rng, writer, theme.valence, OPENERS))
    used: set = set()
    parts.append(_core(rng, key, question, writer, used))
    if style > 0.82:  # a long one: the theme twice
        parts.append(_core(rng, key, question, writer, used))
    more = list(theme.more)
    rng.shuffle(more)
    for chance in (0.35, 0.0):  # a very long one (style > 0.96) says more
        if more and (rng.random() < chance or style > 0.96):
            parts.append(fill(_side(more.pop(), writer), rng, writer))
    others = {other: weight for other, weight in weights.items() if other != key}
    if others and rng.random() < (0.7 if style > 0.96 else 0.2):
        second = _weighted(rng, others)
        text = _core(rng, second, question, writer, used)
        contrast = THEMES[second].valence * theme.valence < 0
        if contrast and rng.random() < 0.7:
            text = ("Men " if writer.language == "da" else "But ") + _lower_first(text)
        elif rng.random() < 0.3:
            text = ("Og så: " if writer.language == "da" else "Also, ") + _lower_first(text)
        parts.append(text)
    if rng.random() < 0.12:
        parts.append(_decorated(rng, writer, theme.valence, CLOSERS))
    text = parts[0]
    for part in parts[1:]:
        joined_by = " " if text.endswith((".", "!", "?", ":", ",")) else ". "
        if text.endswith((":", ",")):
            part = _lower_first(part)
        text += joined_by + part
    return informal(text, rng, writer.language), key


def open_comment(
    rng: random.Random, question: str, writer: Writer, tilts: Mapping[str, float] | None = None
) -> tuple[str, str]:
    """A comment on the open question ``question`` (a key of ``QUESTION_THEMES``)."""
    weights = theme_weights(QUESTION_THEMES.get(question, OTHER_QUESTION), writer, tilts)
    return compose(rng, weights, writer, question)


def why_comment(
    rng: random.Random,
    question: str,
    choice: str,
    writer: Writer,
    tilts: Mapping[str, float] | None = None,
) -> tuple[str, str] | None:
    """The "why" after answering ``choice`` to the closed ``question``; None if none fits."""
    weights = WHY_THEMES.get((question, choice))
    if not weights:
        return None
    text, key = compose(rng, theme_weights(weights, writer, tilts), writer, question, nothing=0)
    if key != NO_THEME and rng.random() < 0.3:
        word = _side(ANSWER_WORDS[choice], writer)
        text = f"{word}, {_lower_first(text)}" if rng.random() < 0.7 else f"{word}. {text}"
    return text, key


def interview_comment(
    rng: random.Random, question: str, writer: Writer, tilts: Mapping[str, float] | None = None
) -> tuple[str, str]:
    """An HR partner's notes of what a group said: a heading and two or three points."""
    weights = theme_weights(QUESTION_THEMES.get(question, OTHER_QUESTION), writer, tilts)
    first = _weighted(rng, weights)
    keys = [first]
    for _ in range(rng.choice([1, 1, 2])):
        rest = {key: weight for key, weight in weights.items() if key not in keys}
        if rest:
            keys.append(_weighted(rng, rest))
    used: set = set()
    points = [quoted(_core(rng, key, question, writer, used), writer) for key in keys]
    head = fill(_side(rng.choice(INTERVIEW_HEADS), writer), rng, writer)
    if rng.random() < 0.5:
        return head + "\n" + "\n".join(f"- {point}" for point in points), first
    return " ".join(points), first


_FIRST_PERSON = {"da": re.compile(r"\b(jeg|mig|min|mit|mine)\b", re.I),
                 "en": re.compile(r"\b(I|me|my|I'm)\b")}  # fmt: skip


def quoted(point: str, writer: Writer) -> str:
    """In the notes of a group interview, what one person said of themselves is a quote."""
    if not _FIRST_PERSON[writer.language].search(point):
        return point
    someone = "En deltager" if writer.language == "da" else "One participant"
    return f"{someone}: “{point}”"


def comment_samples(count: int = 1000, seed: int = 2025, english: float = 0.3) -> list[Sample]:
    """``count`` comments with their language and theme, for benchmarks; the same for a seed.

    They are made as the demo's answers are: open questions and the "why" of closed answers,
    both concepts, some writers international or managers, in Danish and (``english``) English.
    """
    rng = random.Random(seed)
    questions = list(QUESTION_THEMES)
    whys = list(WHY_THEMES)
    samples: list[Sample] = []
    while len(samples) < count:
        language = "en" if rng.random() < english else "da"
        writer = Writer(
            language=language,
            concept=rng.choice(["wellbeing", "leadership"]),
            international=language == "en" and rng.random() < 0.5,
            manager=rng.random() < 0.12,
        )
        tilts = {axis: rng.gauss(0, 0.6) for axis in ("general", "safety", "follow")}
        if rng.random() < 0.75:
            text, theme = open_comment(rng, rng.choice(questions), writer, tilts)
        else:
            question, choice = rng.choice(whys)
            text, theme = why_comment(rng, question, choice, writer, tilts)
        samples.append(Sample(text, language, theme))
    return samples
