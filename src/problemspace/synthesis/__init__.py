"""Synthesis: from raw evidence to ranked, explained customer problems.

Plain Python with no Django imports, so that it can be used, tested and benchmarked on its own.
The stages are swappable: embed -> (reduce) -> cluster -> label -> score. The Django layer
(`problemspace.problems`) feeds it evidence and stores what it returns.
"""
