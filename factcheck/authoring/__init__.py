"""The commands that write the desk's files: new, fmt, quote, add-source. They edit
round-trip (comments and wording kept), write atomically and refuse rather than guess.
"""
