"""Search backends: the embedded tantivy index and PostgreSQL. Both take the same analyzed
documents and queries and return the same Results (see base.py)."""
