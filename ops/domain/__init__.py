"""What an operator reasons about: lag, dead letters and their resolution, component health."""
