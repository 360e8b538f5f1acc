"""CSV imports, all or nothing: every row is checked before anything is written. Plain Python: no Flask."""
