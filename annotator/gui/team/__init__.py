"""Team work: adjudication of volunteers' layers and the agreement report."""
