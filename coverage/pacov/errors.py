"""The one exception type users see: its message is printed as a single line, no traceback."""


class PacovError(Exception):
    """A problem with the user's input or environment that they can fix.

    The message must name the file, layer, feature or field at fault and say what to do.
    """

    exit_code = 1
