"""Participants: who takes part in a meeting, in which role and breakout groups, which restricted
documents name them as readers, and the one membership rule (membership.py) built on that.

It sits below the dossiers and knows meetings and documents only by their ids; the secretariat edits
the roster through the dossiers' roster API (meetings/dossiers/roster.py)."""
