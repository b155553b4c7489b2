"""Indexing: what an article becomes in the index (fields, documents), and
keeping an index up to date with its corpus (indexer, manifest, store,
vocabulary)."""
