"""Worlds: station data (locations, populations, domains) and the interference they imply.

- ``world``: the World container and its folder format (save_world / load_world);
- ``spec``: the settings of both generators; ``synth``: synthetic worlds;
  ``national``: worlds from a real station table; ``generate``: either, written with a
  manifest (``auctool data synth`` / ``data table``);
- ``distance`` + ``calibrate``: the distance model and its fit to real FCC constraints;
  ``transmitters``: synthetic ERP/HAAT draws; ``build``: pairs -> constraints, admitted
  and checked assignments; ``homes``: interference-free home channels;
- ``tables``: readers of FCC / TVStudy / auctool station tables; ``info``, ``convert``,
  ``writing``: ``auctool data info`` / ``convert`` and format-exact writing;
- ``problems``: auction-like packing sequences (how hard a world is for a checker);
- ``region``: a city's or DMA's stations and their interference neighbours, cut from a
  world as a world (``auctool data region``).

Nothing is imported here, so ``auctool --help`` stays instant.
"""
