"""FAL3xx: how the application is split into routers."""
