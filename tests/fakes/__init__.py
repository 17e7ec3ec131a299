"""Shared test doubles: a fake Bot API server, a loopback feed server and a fake clock."""
