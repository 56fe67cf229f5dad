"""The sitemap's entries (newsroom/sitemap.py)."""

from django import template

from newsroom.sitemap import entries

register = template.Library()
register.filter("sitemap_entries", entries)
