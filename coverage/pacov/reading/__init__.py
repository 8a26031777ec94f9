"""Reading layers and their schemas (WDPA, IUCN ranges): one set of field names, typed values."""
