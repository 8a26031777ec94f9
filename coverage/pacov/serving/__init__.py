"""``pacov serve``: the planning page and its API (above outputs, below the CLI)."""
