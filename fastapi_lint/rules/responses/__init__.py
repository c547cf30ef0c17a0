"""FAL2xx: what routes send back."""
