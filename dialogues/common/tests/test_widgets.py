"""The long select draws what Django's own select draws, in one pass."""

import re

from django import forms

from dialogues.common.widgets import LongSelect

CHOICES = [("", "The whole campaign"), (1, "University"), (2, '\u00a0\u00a0Dept <&> "x"')]
OPTION = re.compile(r"<option value=\"([^\"]*)\"( selected)?>([^<]*)</option>")


def options(html: str) -> list[tuple[str, bool, str]]:
    return [(value, bool(selected), label) for value, selected, label in OPTION.findall(html)]


def test_the_options_are_those_of_djangos_select_escaped_and_one_selected():
    for value in (None, 2, "1"):
        ours = LongSelect(choices=CHOICES).render("unit", value, {"id": "id_unit"})
        theirs = forms.Select(choices=CHOICES).render("unit", value, {"id": "id_unit"})
        assert options(ours) == options(theirs)
        assert len(options(ours)) == len(CHOICES)
        assert ours.startswith('<select name="unit" id="id_unit">')
    selected = options(LongSelect(choices=CHOICES).render("unit", 2, {}))
    assert [value for value, chosen, _ in selected if chosen] == ["2"]
    assert selected[2][2] == "\u00a0\u00a0Dept &lt;&amp;&gt; &quot;x&quot;"
