"""The `fazhi` command: demo, serve, worker, due, token, audit — and any manage.py command.

fazhi demo [--no-serve] [--scale N]   build the demo city on SQLite and serve it
fazhi serve [--port 8000]             serve the site with waitress
fazhi worker                          run the background task worker
fazhi due 2024-09-27 5wd              print a due date on the loaded work calendar
fazhi token create USERNAME           print a new API bearer token
fazhi audit verify                    check the audit hash chain
"""

import os
import sys

ALIASES = {"worker": "db_worker"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    from django.core.management import execute_from_command_line

    command = ALIASES.get(argv[0], argv[0])
    execute_from_command_line(["fazhi", command, *argv[1:]])


if __name__ == "__main__":
    main()
