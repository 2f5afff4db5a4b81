"""Item pipelines, one class per module, in the order settings.ITEM_PIPELINES gives them:
clean -> validate -> duplicates -> relevance -> spool."""
