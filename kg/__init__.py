"""fazhi-kg: a knowledge graph of China's rule-of-law government work (法治政府建设)."""

__version__ = "0.1.0"
