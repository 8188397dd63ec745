"""Activity reports (台账): parsing free text into a record; storage and export build on it."""
