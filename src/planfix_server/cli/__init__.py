"""The command line: ``planfix-server serve | migrate | methods | account | user | key | token | seed``.

Every command takes ``--data-dir DIR`` (or ``--db URL``) and ``--json``; settings not given on
the command line come from ``PLANFIX_*`` environment variables (see ``docs/settings.md``).
Errors exit with status 1 and one ``Error: …`` line on stderr.
"""

from __future__ import annotations

import click

from planfix_server.cli.access import key, token, user
from planfix_server.cli.accounts import account
from planfix_server.cli.analitics import analitic
from planfix_server.cli.call import call
from planfix_server.cli.contact_access import contact_access
from planfix_server.cli.contacts import contact, contact_group
from planfix_server.cli.customfields import customfield
from planfix_server.cli.files import files
from planfix_server.cli.handbooks import handbook
from planfix_server.cli.seed import seed
from planfix_server.cli.server import methods, migrate, serve


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
def cli() -> None:
    """planfix-server: a server, sandbox and SDK for the PlanFix XML API v1."""


for command in (serve, migrate, methods, account, user, key, token, seed, customfield):
    cli.add_command(command)
cli.add_command(call)
cli.add_command(contact_access)
cli.add_command(contact_group)
cli.add_command(contact)
cli.add_command(analitic)
cli.add_command(handbook)
cli.add_command(files)


def main() -> None:
    cli()


__all__ = ["cli", "main"]
