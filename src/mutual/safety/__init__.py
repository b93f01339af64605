"""Safety: taking back, private reports, safety mode, pause and leave."""
