"""Infrastructure every feature may use: atomic writes, bounded reading, hardened XML parsing.

Not named ``io``: the standard library has one.
"""
