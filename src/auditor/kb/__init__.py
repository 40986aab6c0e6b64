"""The rules knowledge base: rule records as data, their loader, selection and ranking."""
