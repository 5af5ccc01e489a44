"""`python -m langnghe …` runs the same CLI as the `langnghe` script (useful from a checkout with PYTHONPATH=.)."""

import sys

from langnghe.cli import main

sys.exit(main())
