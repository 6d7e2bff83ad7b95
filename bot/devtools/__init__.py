"""Developer tools (the import graph check): never imported by the product."""
