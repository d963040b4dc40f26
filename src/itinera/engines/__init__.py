"""Wrappers around heavy or security-sensitive third-party engines behind small interfaces."""
