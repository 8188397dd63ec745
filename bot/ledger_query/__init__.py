"""Questions about the ledger as a small query language: reading.py reads a question into a
typed query (what is asked, the kinds, the period, the place), periods.py turns the words for a
period into calendar days, answering.py answers it from the database under the scope rule."""
