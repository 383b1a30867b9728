"""``python -m evidence`` is the ``evidence`` command."""

from .cli import main

raise SystemExit(main())
