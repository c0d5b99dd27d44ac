"""Checks on the graph: SHACL validation, the audit, rules of combination."""
