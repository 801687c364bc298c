"""Keyword ads (直通车): campaigns, the auction, serving, clicks, reports."""
