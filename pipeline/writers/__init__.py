"""Output writers: each turns aligned translations into one file format, written atomically."""
