"""The history of tasks and contacts: the ``action.*`` functions (planfix-xml-api/20-actions.md)."""
