"""The dock widgets around the text: documents, entities, labels, and the find bar."""
