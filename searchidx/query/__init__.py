"""The query language: syntax (text -> tree), tree (the dataclasses), rewrites
(the German steps, tree -> tree)."""
