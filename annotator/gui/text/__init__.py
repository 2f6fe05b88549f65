"""The document text on screen: the span view and the span commands (editor)."""
