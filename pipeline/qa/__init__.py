"""Quality: per-segment checks (checks), the checks over a bilingual file (files), and MT
scores against references (evaluate)."""
