"""Writers that put the composed rules into the files each AI coding assistant reads.

One module per assistant format; `apply` plans and applies the changes for `auditor init`."""
