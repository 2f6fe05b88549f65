"""Qt-free NLP: spaCy model loading, tokenization, gazetteer, pre-annotation."""
