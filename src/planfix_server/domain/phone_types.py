"""Phone number types (the ids clients send as ``typeId``; also ``contact.getPhoneTypes``)."""

from __future__ import annotations

PHONE_TYPES: dict[int, str] = {1: "Mobile", 2: "Work", 3: "Home", 4: "Fax", 5: "Other"}
