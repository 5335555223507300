import sys

from stip.cli import main

sys.exit(main())
