"""Outputs: canonical tables, and (later) the stakeholder report and exports."""
