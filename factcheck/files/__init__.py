"""Bytes in and out: the positioned, safe YAML reader, containment and the one atomic write.

The lowest layer: nothing here knows what a dispute or a workspace is.
"""
