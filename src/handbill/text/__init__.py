"""Setting text: words, hyphenation, line breaking, placing lines in frames, fitting sizes.

One algorithm sets every text block, the body and the headline alike, and fitting
measures with that very algorithm: what was measured is what is drawn.
"""
