//! Operational transformation (work in progress).
