"""SMAC's random forest with a vectorised prediction over instances (same numbers, ~50x less time).

With instance features, SMAC predicts a configuration's cost as the mean over every
training instance of each tree's prediction. SMAC 2.4 does that with one joblib task and
one scikit-learn ``predict`` call per (tree, instance) pair: 10 trees x 100 instances is
1,000 tiny calls, each ~0.3 ms of validation overhead, per acquisition evaluation, and the
local search makes dozens of those per proposal. Measured on 80 instances: ~0.3 s per
proposal, most of SMAC's overhead. Here each tree predicts all (configuration, instance)
rows in one call.

:class:`TunerFacade` is SMAC's algorithm-configuration facade with this forest as its
model: it overrides ``get_model`` (SMAC's public seam) and keeps SMAC's own settings.

Imported only by the SMAC driver (it imports smac).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np
from smac import AlgorithmConfigurationFacade, Scenario
from smac.model.random_forest import RandomForest
from smac.model.random_forest.random_forest import EPMRandomForest

#: Rows per tree ``predict`` call (bounds memory: rows x (knobs + features) float32).
CHUNK_ROWS = 200_000


class _BatchedForest(EPMRandomForest):
    def _validate_X_predict(self, X: np.ndarray, ensure_2d: bool = True) -> np.ndarray:
        """float32, as the trees want; scikit-learn's full validation costs ~1 ms a call,
        and SMAC calls this for every configuration it scores (its inputs are its own
        arrays, already imputed and finite)."""
        return np.asarray(X, dtype=np.float32)

    def predict_marginalized_over_instances_batch(
        self, X: np.ndarray, X_feat: np.ndarray, log_y: bool
    ) -> np.ndarray:
        """[n configurations, n trees]: each tree's mean prediction over the instances."""
        X = self._validate_X_predict(X, ensure_2d=False)
        X_feat = self._validate_X_predict(X_feat, ensure_2d=False)
        if X.ndim == 1:
            X = X[None, :]
        assert X.shape[-1] + X_feat.shape[-1] == self.n_features_in_
        k = len(X_feat)
        preds = np.zeros((X.shape[0], len(self.estimators_)), dtype=np.float64)
        step = max(1, CHUNK_ROWS // max(k, 1))
        for lo in range(0, X.shape[0], step):
            part = X[lo : lo + step]
            rows = np.concatenate(
                [np.repeat(part, k, axis=0), np.tile(X_feat, (len(part), 1))], axis=1
            ).astype(np.float32, copy=False)
            for t, tree in enumerate(self.estimators_):
                preds[lo : lo + len(part), t] = (
                    tree.predict(rows, check_input=False).reshape(len(part), k).mean(axis=1)
                )
        return preds


class BatchedRandomForest(RandomForest):
    """SMAC's ``RandomForest`` model, training a :class:`_BatchedForest`."""

    #: Forest options changed from SMAC's: one job (joblib's thread pool polls with
    #: sleeps), and no 2**20 leaf allocation (best-first building then spends ~0.2 s a
    #: tree allocating; depth-first builds the same trees in ~1 ms)
    CHANGED: ClassVar[Mapping[str, Any]] = MappingProxyType({"n_jobs": 1, "max_leaf_nodes": None})

    @classmethod
    def like(cls, model: RandomForest) -> BatchedRandomForest:
        """``model`` (configuration space, features, seed, every forest setting), batched,
        with :data:`CHANGED` applied."""
        batched = cls.__new__(cls)
        batched.__dict__.update(model.__dict__)
        batched._rf_opts = {**model._rf_opts, **cls.CHANGED}
        return batched

    def _train(self, X: np.ndarray, y: np.ndarray) -> Any:
        X = self._impute_inactive(X)
        self._rf = _BatchedForest(**self._rf_opts)
        self._rf.fit(X, y.flatten())
        return self


class TunerFacade(AlgorithmConfigurationFacade):
    """SMAC's facade for algorithm configuration, with the batched forest as its model."""

    @staticmethod
    def get_model(  # type: ignore[override]
        scenario: Scenario, *, pca_components: int | None = None, **settings: Any
    ) -> BatchedRandomForest:
        """SMAC's own random forest (its settings: ``settings`` override them), batched,
        and with no PCA of the instance features by default (it crashes with 4 or more
        features, SMAC #1323)."""
        model = AlgorithmConfigurationFacade.get_model(
            scenario, pca_components=pca_components, **settings
        )
        return BatchedRandomForest.like(model)
