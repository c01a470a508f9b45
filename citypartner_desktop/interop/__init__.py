"""Import and export: spreadsheets (CSV, XLSX) in, CSV/XLSX/vCard/iCalendar/JSON out.

This layer reads and writes files and turns their cells into plain values; what is created,
matched or refused is decided by ``services.imports``, which owns the transaction.
"""
