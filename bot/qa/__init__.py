"""Policy Q&A: retrieval, extractive answers, optional grounded LLM answers."""
