"""Rotation-scheduling engine (plain Python + OR-Tools CP-SAT, no Django)."""
