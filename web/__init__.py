"""The web interface (blueprints, forms, error handlers) and the command line: thin layers over services."""
