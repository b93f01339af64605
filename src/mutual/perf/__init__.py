"""Performance and reliability: the 503 guard, the bench floor view, the load generator,
the ``make bench`` HTTP sections and the crash drills (docs/performance.md)."""
