//! Shared helpers for the whole-site tests.
