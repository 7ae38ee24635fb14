"""The read form of custom fields (planfix-xml-api/23-files-and-other.md §6.3)."""

from __future__ import annotations

from planfix_server.wire.encode import Items, Leaf, Node

CUSTOM_VALUE = Node(
    "customValue",
    Node("field", Leaf("id", "field_id"), Leaf("name", "field_name")),
    Leaf("value"),
    Leaf("text"),
)
# ``<customData>`` from the ``custom_data`` attribute (a list of service.CustomValueView).
CUSTOM_DATA = Items("customData", CUSTOM_VALUE, attr="custom_data")
