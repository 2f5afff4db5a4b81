"""Downloader and spider middlewares of the Pantau crawlers."""
