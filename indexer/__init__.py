"""Read, validate and index the corpus of statements."""
