"""Output for people: tables, heatmaps, trace diagrams, report pages."""
