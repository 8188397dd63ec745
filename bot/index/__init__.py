"""The search indexes: Chroma vectors and a BM25 keyword index over jieba tokens."""
