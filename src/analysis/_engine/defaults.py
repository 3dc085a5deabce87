"""Defaults shared by the analyses and the reassessment, defined once.

The public functions use these as their keyword defaults, and the reassessment passes them on,
so a documented analysis and the reassessment can never judge with different numbers.
"""

#: No e1RM above this many reps (domain.md section 1: error grows past 10-12 reps).
MAX_REPS = 12
#: RPE at or above which a working set is hard (about 3 reps in reserve; domain.md section 3).
HARD_RPE = 7.0
#: Weeks without progress that make a stall (runners progress every 2-3 weeks).
STALL_WEEKS = 3
#: Fewest sessions in a block for a block statistic.
MIN_SESSIONS = 3
#: Fewest runs of a type in each block for a pace comparison (Welch needs 2; 3 is our floor).
MIN_RUNS = 3
#: Planned strength sessions per week (2-3 is the range studied in runners).
TARGET_PER_WEEK = 2
#: Secondary asymmetry flag, % (10-15 % in the literature, without prospective support).
ASYMMETRY_THRESHOLD_PCT = 10.0
