"""Shafa (شفا): the operating platform of a medical university."""
