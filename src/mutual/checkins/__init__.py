"""Check-ins: a feeling and a guess of the partner's, sealed until both have checked in."""
