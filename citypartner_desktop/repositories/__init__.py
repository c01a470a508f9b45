"""select() builders per aggregate. Repositories read and stage writes; they never commit."""
