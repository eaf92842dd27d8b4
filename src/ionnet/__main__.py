"""``python -m ionnet`` runs the CLI."""

import sys

from ionnet.cli import main

sys.exit(main())
