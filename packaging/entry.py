"""The bundle's entry point: the ``crm`` command (crm.cli:main), as the pip-installed script."""

import sys

from crm.cli import main

if __name__ == "__main__":
    sys.exit(main())
