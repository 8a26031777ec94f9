"""What-if scenarios: the TOML file, the operations, running and comparing them, planning."""
