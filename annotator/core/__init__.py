"""Qt-free domain model: schema, SQLite project store and edit operations."""
