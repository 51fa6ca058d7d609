"""Plain data and rules of the programme: no Qt, no database."""
