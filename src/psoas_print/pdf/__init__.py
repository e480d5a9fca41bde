"""PDF work on finished documents: joining portions, imposing copies, stamping lines."""
