"""The protected-area cleaning verbs (status, MAB, types, repair, projection, points) and their composition."""
