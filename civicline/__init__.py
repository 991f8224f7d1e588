"""civicline: a city's single line to its citizens."""
