"""`problemspace demo`: a believable workspace for a fictional product, built from one seed.

- story.py: the product, its customers and team, and the shape of each customer problem;
- wording/: how customers and colleagues put each problem into words;
- plan.py: `demo_plan(seed, today)`, everything as plain data, each signal with its theme;
- build.py: `build_demo(seed)` writes the plan into the database.

Importing this package does not import Django models; build.py does.
"""

from __future__ import annotations

from problemspace.demo.plan import DEFAULT_SEED, DemoPlan, PlannedEvidence, demo_plan

__all__ = ["DEFAULT_SEED", "DemoPlan", "PlannedEvidence", "demo_plan"]
