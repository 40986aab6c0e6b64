"""Static scanning: parse each file once with tree-sitter, run every check on the tree."""
