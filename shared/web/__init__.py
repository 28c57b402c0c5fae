"""Flask helpers shared by the three services' APIs."""
