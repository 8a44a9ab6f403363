"""Extraction: the spaCy pipeline (jieba tokenizer + the project's registered components)."""
