from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """{{ totals|get_item:unit.pk }}: a value by its key, or None."""
    return mapping.get(key) if mapping else None
