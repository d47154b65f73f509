"""The one base of every failure a user should read as one line, not a traceback.

The command line catches :class:`FindingsError` (and the ingest's own
:class:`ingest.records.IngestError`) and prints its message; anything else
is a bug and keeps its traceback. One base lets the CLI do that without
importing every module that can fail, which keeps it quick to start.
"""

__all__ = ["FindingsError"]


class FindingsError(Exception):
    """A failure whose message names what is wrong (the file, the query, the parameter) in one line."""
