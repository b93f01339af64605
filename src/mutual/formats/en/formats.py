"""How dates and numbers read in English on Mutual's pages (Django's format module for
``en``): day, month, year, as the pages always wrote them. Another language brings its
own module beside this one, or Django's own formats for it."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
