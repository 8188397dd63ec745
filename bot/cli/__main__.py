"""`python -m bot.cli`, as the tests and benchmarks run the command."""

import sys

from bot.cli import main

sys.exit(main())
