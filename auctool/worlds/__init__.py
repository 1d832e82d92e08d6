"""Worlds: station data (locations, populations, domains) and the interference they imply."""
