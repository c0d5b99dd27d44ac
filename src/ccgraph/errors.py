"""One exception type for every failure a user can cause: its message is the one line they see."""


class CcgraphError(Exception):
    """A problem with the user's input or environment, worded to be shown as is."""
