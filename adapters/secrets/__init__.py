"""Sealing secrets at rest."""
