"""Import and export: files other programs read or write (calendars, address books, tables)."""
