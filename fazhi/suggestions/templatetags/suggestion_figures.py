from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """{{ row.counts|get_item:t.key }}: a figure by its key."""
    return mapping.get(key)
