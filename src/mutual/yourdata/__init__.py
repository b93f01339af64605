"""Your data, across every feature: the export of what a person wrote and the deletion of
their account. It sits above the features (bonds, check-ins, differences, safety), which
know nothing of it, so that ``accounts`` below them never has to import them."""
