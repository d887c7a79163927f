"""Everything onatool writes for people outside the analyst's seat: files, workbooks, graphs,
Kumu, static maps, the HTML/PDF report and the DPIA summary, each after the disclosure gate."""
