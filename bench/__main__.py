"""``python -m bench`` (``make bench``): see ``bench/budgets.py``."""

import sys

from .budgets import main

sys.exit(main())
