"""The table formats every command prints (a module of its own so the CLI loads without pandas)."""

FORMATS = ("table", "csv", "md", "json")
