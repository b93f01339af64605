"""Web code shared by every app: response headers and quiet error reports, who the client
is behind our proxies, and the calm 503 when the database is out of reach."""
