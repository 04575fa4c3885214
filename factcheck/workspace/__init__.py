"""The workspace into the model: the root and factcheck.yaml, the field declarations, the
catalogues and claim files read into frozen records (with FC101–FC106 as they are read), and
the same workspace as it stood at a git revision.
"""
