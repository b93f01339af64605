"""How dates and numbers read in English on Mutual's pages (Django's format module for
``en``): day, month, year, as the pages always wrote them. ``|day`` writes
``DATE_FORMAT`` and ``|day_time`` ``DATETIME_FORMAT``; the tables under the charts the
short forms. Another language brings its own module beside this one, or Django's own
formats for it are used (``de``: "3. Dezember 2026"). Numbers keep Django's English
separators (``1,234.5`` where a number is grouped)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
