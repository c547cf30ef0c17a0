"""FAL4xx: cross-origin resource sharing."""
