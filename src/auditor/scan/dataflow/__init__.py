"""One dataflow core for the languages that run on it (Go, Ruby): a small intermediate
form (`ir`) that each language's front-end lowers its grammar into, and one solver
(`solver`) that runs taint over it, with function summaries across functions and files."""
