"""Analyses built on the engine: gaps and targets, timeline, raster weights, observations, reconciliation."""
