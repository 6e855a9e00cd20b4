"""Floor 10, delivery to the e-arkiv (`export earkiv`): the archive's justerade protocols as
E-ARK SIPs, one per body and year: their files, METS, PREMIS and descriptive metadata."""
