"""What the command line and the explorer offer to choose in analytics, named without importing the analytics.

The views, the co-occurrence weightings and the betweenness sampling limits
are options of ``findings centrality`` and choices on the Network page. They
live here, free of networkx and numpy, so that ``findings --help`` and every
command that does not compute measures start at once; the modules that use
them import them from here.
"""

VIEWS = ("cooccurrence", "mitigation", "interviewee", "full")
WEIGHTINGS = ("excerpts", "interviews")
EXACT_LIMIT = 1000  # nodes up to which betweenness is exact
SAMPLES = 200  # source nodes sampled for betweenness above EXACT_LIMIT
