"""What a planner reads: tables, the report, web maps."""
