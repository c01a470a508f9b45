"""CityPartner Desktop: the tool of a municipal international-relations office."""

__version__ = "0.1.0"
