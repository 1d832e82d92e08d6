"""Distances and neighbour search: which stations are close enough to interfere.

A national world has ~3,000 stations; a full distance matrix would be 9 million
entries and grows with the square. We find candidate pairs with a KD-tree: on the plane
for synthetic worlds (x/y in km), on the unit sphere for real ones (the chord between two
points is a monotone function of their great-circle distance, so a chord radius is an
exact great-circle radius).
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Haversine distance in km between points given in degrees."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    p, la = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(p) * np.cos(la), np.cos(p) * np.sin(la), np.sin(p)], axis=1)


def _pairs_within(points: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    from scipy.spatial import cKDTree  # scipy is heavy-ish: import when a world is built

    if len(points) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    pairs = cKDTree(points).query_pairs(radius, output_type="ndarray")
    if pairs.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    return pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)


def plane_pairs(
    x: np.ndarray, y: np.ndarray, max_km: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index pairs (i < j) of points within ``max_km`` on the plane, with their distances."""
    i, j = _pairs_within(np.column_stack([x, y]), max_km)
    return i, j, np.hypot(x[i] - x[j], y[i] - y[j])


def sphere_pairs(
    lat: np.ndarray, lon: np.ndarray, max_km: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index pairs (i < j) within ``max_km`` great-circle distance, with their distances."""
    chord = 2 * np.sin(min(max_km / EARTH_RADIUS_KM, np.pi) / 2)
    i, j = _pairs_within(unit_vectors(lat, lon), chord)
    return i, j, great_circle_km(lat[i], lon[i], lat[j], lon[j])
