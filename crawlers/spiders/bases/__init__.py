"""Shared spider logic: :class:`PantauSpider` (config, authors, counting, marks) and
:class:`ApiSpider` (JSON APIs with defensive decoding and paging)."""

from crawlers.spiders.bases.api import ApiSpider, ShapeError, dig
from crawlers.spiders.bases.pantau import BackPage, PantauSpider

__all__ = ["ApiSpider", "BackPage", "PantauSpider", "ShapeError", "dig"]
