"""The overlay engine: ranges dissolved and subdivided, sites flattened, pieces overlaid, in chunks."""
