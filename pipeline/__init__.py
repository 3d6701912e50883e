"""Offline translation and localization pipeline for German news articles."""

__version__ = "0.1.0"
