"""FAL0xx: files that cannot be analysed."""
