"""pacov: protected-area coverage of species ranges, computed in equal-area space."""

__version__ = "0.1.0"
