"""Storage: the records every layer shares and the SQLite Store that holds them."""
