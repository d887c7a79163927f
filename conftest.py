"""Root pytest configuration: the Streamlit pages are scripts, not modules to import."""

collect_ignore_glob = ["onatool/app/*"]
