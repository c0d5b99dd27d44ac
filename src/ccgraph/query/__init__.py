"""Questions asked of the store: saved queries, trace, matrix, figures, remote endpoints."""
