"""Sentiment of Indonesian posts: negative / neutral / positive with a calibrated score."""

from nlp.sentiment.model import LABELS, SHIPPED_DIR, Sentiment, SentimentModel, SentimentModelError, load_sentiment_model

__all__ = ["LABELS", "SHIPPED_DIR", "Sentiment", "SentimentModel", "SentimentModelError", "load_sentiment_model"]
