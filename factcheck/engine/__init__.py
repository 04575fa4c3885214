"""Running the checks: the library's front door (``run.validate``), the signed cache, the
worker processes and the incremental runs that make a warm run cost a fraction of a cold one.
"""
