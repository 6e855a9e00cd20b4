"""Floor 7, PDFs: what is printed, printing with WeasyPrint in a sandbox, and sealing."""
