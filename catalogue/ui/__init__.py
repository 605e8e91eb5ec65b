"""The public web pages: server-rendered HTML with a JSON twin for every page."""
