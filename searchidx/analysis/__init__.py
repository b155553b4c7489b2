"""German text analysis, one word at a time (words.py): tokenize -> lowercase
-> stop words -> compound parts -> fold + stem; and many texts at once to term
occurrences for the index writer (occurrences.py)."""

# Bump when any analysis output changes: an index built with another version
# must be rebuilt.
ANALYSIS_VERSION = 4  # 2: compound parts marked (`_hand`), the light stemmer; 3: elided ends;
# 4: -anisch, -enisch ... are not compounds with Nische
