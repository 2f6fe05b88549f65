"""Qt-free importers and exporters."""
