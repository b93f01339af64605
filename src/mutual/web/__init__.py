"""Web code shared by every app: who the client is behind our proxies, and (in time) the
middleware that is not about accounts."""
