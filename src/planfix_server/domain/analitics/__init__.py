"""Analitics (data tags): the ``analitic.*`` functions and the data rows actions carry
(planfix-xml-api/22-handbooks-analitics.md §1, §11-§17; 20-actions.md §2-§3)."""
