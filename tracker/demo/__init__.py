"""The fictional demonstration data set: generated as plain records (generate), written in bulk (write)."""
