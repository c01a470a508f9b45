"""Visit packs: the records of a visit taken onto a laptop as a database file of their own
(``create``), worked on offline, and merged back field by field (``plan``, ``merge``)."""
