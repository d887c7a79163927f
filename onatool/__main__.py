"""``python -m onatool`` runs the command line."""

from onatool.cli import main

main()
