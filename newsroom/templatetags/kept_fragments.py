"""`{% keep %}`: a piece of a reader page rendered once per process, publish generation,
language and site, then served from memory (readerfund.lib.fragments).

    {% keep "navigation" page.path|slice:":12" %}{% include "…/navigation.html" %}{% endkeep %}

Like Django's `{% cache %}`, without a cache's round trip (a file read or Redis, and a
pickle) and without a timeout: whatever could change the piece bumps the generation
(newsroom/signals.py). The name and the values after it are the key: name every value the
piece depends on. Keep pieces that are the same for every reader; never one that holds a
form's CSRF token, a reader's choice or the request's host.
"""

from django import template
from django.utils.safestring import mark_safe

from readerfund.lib.fragments import kept

register = template.Library()


class KeepNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context):
        request = context.get("request")
        site = getattr(getattr(request, "_wagtail_site", None), "pk", None)
        values = tuple(value.resolve(context) for value in self.values)
        key = ("keep", self.name.resolve(context), site, *values)
        return kept(key, lambda: mark_safe(self.nodelist.render(context)))  # noqa: S308 — rendered by the template engine, escaped as ever


@register.tag
def keep(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a name: {{% keep 'name' %}}")
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    name, *values = (parser.compile_filter(bit) for bit in bits[1:])
    return KeepNode(nodelist, name, values)
