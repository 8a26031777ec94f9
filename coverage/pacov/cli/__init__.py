"""The ``pacov`` command line: one module per command, each a thin shell over a library call."""
