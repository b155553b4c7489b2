"""German text analysis: tokenize -> lowercase -> stop words -> compound parts -> fold + stem."""
from .chain import ANALYSIS_VERSION, german_analyzer, name_analyzer

__all__ = ["ANALYSIS_VERSION", "german_analyzer", "name_analyzer"]
