"""Results taken out of the application: XLSX and CSV files and the read-only JSON API.

``tabular`` turns a slice into flat rows of figures from ``domain.results``; ``files`` writes
them as a workbook or CSV, ``api`` as JSON, ``openapi`` describes the API, and ``log`` records
every export and API read.
"""
