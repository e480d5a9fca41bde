"""Figures: the line art drawn from each exercise's pose description."""
