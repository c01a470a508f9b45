"""PDF reports (ReportLab). Imported only when a report is made, never at GUI start-up."""
