from django import template

register = template.Library()


@register.filter
def slice_query(slice_) -> str:
    """``?unit=…&role=…`` for a slice, to append to a results address."""
    from dialogues.insights.views import slice_query as query

    return query(slice_)


@register.filter
def get(sequence, index):
    """``row.cells|get:forloop.counter0``: the cell of a concept column."""
    try:
        return sequence[index]
    except (IndexError, KeyError, TypeError):
        return None
