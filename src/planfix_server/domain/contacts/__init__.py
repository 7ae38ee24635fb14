"""Contacts and companies: the ``contact.*`` functions (planfix-xml-api/21-contacts.md)."""
