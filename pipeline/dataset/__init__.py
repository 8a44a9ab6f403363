"""Dataset: rows of the metrics, documents and sections tables, and writing them."""
