"""`python -m ccgraph`: the same as the ccgraph command."""

from ccgraph.cli import main

main()
