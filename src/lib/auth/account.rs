//! The original's account routes, minus HTTP: password changes, user lookups,
//! `PUT /auth/users`, user deletion and token revocation.
