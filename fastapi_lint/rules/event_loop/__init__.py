"""FAL1xx: blocking work on the event loop."""
