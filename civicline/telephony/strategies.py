"""Which free agent rings for a call: Asterisk's strategies, as pure functions.

Members with the lowest penalty among those free ring first (Asterisk's rule); the
strategy then picks among them. Each member (`services.Member`) carries `rank`: its place
in the queue's whole list for round robin with memory, then position and id, which
linear goes by and every strategy breaks ties with.
"""

import random
from collections.abc import Sequence

from civicline.telephony.models import Queue, Strategy

# The same choice made by the database (an ORDER BY of queue members), for the strategies
# that ring one agent: the first rows in this order are the ones `choose` would pick
# (ringall and round robin with memory need every free member). Never-called agents first
# as `choose` has them: false sorts before true on SQLite and PostgreSQL alike.
SQL_ORDER = {
    Strategy.LEASTRECENT: "penalty, last_call_at IS NOT NULL, last_call_at, position, id",
    Strategy.FEWESTCALLS: "penalty, calls_taken, position, id",
    Strategy.LINEAR: "penalty, position, id",
    Strategy.RANDOM: "penalty, RANDOM()",
}


def choose(queue: Queue, free: Sequence, rng: random.Random) -> list:
    """The members to ring now, among the free ones of `queue`."""
    if not free:
        return []
    lowest = min(m.penalty for m in free)
    tier = sorted((m for m in free if m.penalty == lowest), key=lambda m: m.rank)
    strategy = queue.strategy
    if strategy == Strategy.RINGALL:
        return tier
    if strategy == Strategy.LEASTRECENT:
        never = [m for m in tier if m.last_call_at is None]
        if never:
            return never[:1]
        return [min(tier, key=lambda m: (m.last_call_at, m.rank))]
    if strategy == Strategy.FEWESTCALLS:
        return [min(tier, key=lambda m: (m.calls_taken, m.rank))]
    if strategy == Strategy.RRMEMORY:
        # The first member after the one rung last, going round the queue's list.
        after = [m for m in tier if m.rank[0] > queue.last_position]
        return [(after or tier)[0]]
    if strategy == Strategy.LINEAR:
        return tier[:1]
    return [rng.choice(tier)]
