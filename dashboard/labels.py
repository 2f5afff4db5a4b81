"""Readable names for the keys the store returns: agency and topic slugs, region codes, tags."""

from __future__ import annotations

from dashboard.context import Dashboard
from dashboard.i18n import translator


class Labels:
    def __init__(self, ctx: Dashboard, lang: str) -> None:
        self.ctx = ctx
        self.lang = lang
        self.t = translator(lang)

    def agency(self, slug: str) -> str:
        agency = self.ctx.taxonomy.agencies.get(slug)
        return agency.short if agency else slug

    def agency_full(self, slug: str) -> str:
        agency = self.ctx.taxonomy.agencies.get(slug)
        return agency.name if agency else slug

    def topic(self, slug: str) -> str:
        topic = self.ctx.taxonomy.topics.get(slug)
        if topic is None:
            return slug
        return topic.name_en if self.lang == "en" else topic.name_id

    def region(self, code: str) -> str:
        region = self.ctx.regions.get(code)
        return region.name if region else code

    def value(self, field: str, key: str) -> str:
        """The label of a facet value of ``field``."""
        if field == "agency":
            return self.agency(key)
        if field == "topic":
            return self.topic(key)
        if field == "region":
            return self.region(key)
        if field in ("sentiment", "kind", "source"):
            return self.t(f"{field}_{key}")
        return key
