"""Tuning the checker with SMAC over instance sets (``auctool tune``, ``validate``).

One module per concern: ``features`` (what SMAC sees of an instance), ``target`` (one
check anywhere, picklable), ``scoring`` (objectives, summaries), ``parallel`` (in-process
or dask), ``rounds`` + ``smac_driver`` (one SMAC run by ask/tell, resumable from its
``journal``), ``portfolio`` (Hydra), ``validation``, ``report``, ``run`` (end to end),
``sets`` (train/test sets from synthetic packing sequences). Nothing here imports smac,
dask or ConfigSpace at package import time.
"""
