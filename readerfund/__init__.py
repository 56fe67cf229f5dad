"""Readerfund: reader revenue for independent, ad-free newsrooms."""
