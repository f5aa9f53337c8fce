"""The durable store: journal, checkpoint, lock, schema version."""
