"""What is built from a checked workspace: the report, one dispute in full, the diff between
revisions, catalogue usage, the JSON Schema for editors. Plain data; the reporters format it.
"""
