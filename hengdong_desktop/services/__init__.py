"""Use cases over the database: each opens its own transaction, takes and returns plain data,
and imports no Qt."""
