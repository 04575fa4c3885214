"""The methodology, computed in one place: quote matching, origins and channels,
independence, corroboration and the rating scale. Pure functions of the model: the checks
compare what a desk recorded with what these rules derive, and every view explains them.
"""
