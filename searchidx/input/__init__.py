"""Reading a corpus, only ever reading: finding article files (scan), bytes
to text (decode), dates, and one parser per file format (formats/)."""
