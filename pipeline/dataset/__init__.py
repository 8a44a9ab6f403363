"""Dataset: rows of the metrics, documents and sections tables (``rows``), the column contract
that types them (``schema``) as DataFrames and Arrow tables (``frames``), writing them as CSV,
Parquet and DuckDB (``writers``, ``atomic``) and describing the folder (``datapackage``)."""
